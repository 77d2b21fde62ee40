// loadEveryRow, the CSV exports' reader of every page, against pages made up here: it
// reads on past a page shorter than asked, and refuses (RowsChangedError) rather than
// delivering a file whose rows are not the query's: the total changed between pages, or
// a row moved so that pages overlapped.
import { describe, expect, it } from 'vitest';
import { loadEveryRow, RowsChangedError } from '../../dashboard/src/lib/api/every-row.ts';

interface Page {
  ids: string[];
  total: number;
}

/** A paged list of `ids`; `answer` may change what a request gets. */
function pagedList(ids: string[], answer: (offset: number, limit: number, call: number) => Page = (offset, limit) => ({ ids: ids.slice(offset, offset + limit), total: ids.length })) {
  const asked: [number, number][] = [];
  return {
    asked,
    load: async (offset: number, limit: number): Promise<Page> => {
      asked.push([offset, limit]);
      return answer(offset, limit, asked.length);
    },
  };
}

const ids = Array.from({ length: 10 }, (_, i) => `C${i + 1}`);
const read = (list: ReturnType<typeof pagedList>, pageSize: number) => loadEveryRow(list.load, (page) => page.ids, (id) => id, pageSize);

describe('loadEveryRow', () => {
  it('reads page after page until it has the total, each row once', async () => {
    const list = pagedList(ids);
    expect(await read(list, 4)).toEqual(ids);
    expect(list.asked).toEqual([[0, 4], [4, 4], [8, 4]]);
  });

  it('reads on from where it is when the server sends fewer rows than asked', async () => {
    const list = pagedList(ids, (offset, limit) => ({ ids: ids.slice(offset, offset + Math.min(limit, 3)), total: ids.length }));
    expect(await read(list, 4)).toEqual(ids);
    expect(list.asked.map(([offset]) => offset)).toEqual([0, 3, 6, 9]);
  });

  it('refuses when a row was added between two pages', async () => {
    const grown = ['C0', ...ids];
    const list = pagedList(ids, (offset, limit, call) => (call === 1 ? { ids: ids.slice(0, limit), total: ids.length } : { ids: grown.slice(offset, offset + limit), total: grown.length }));
    await expect(read(list, 4)).rejects.toBeInstanceOf(RowsChangedError);
  });

  it('refuses when a row moved between two pages, so one came twice and another not at all', async () => {
    // C5 moved to the front after the first page (its sort value changed): the total is the same.
    const moved = ['C5', ...ids.filter((id) => id !== 'C5')];
    const list = pagedList(ids, (offset, limit, call) => ({ ids: (call === 1 ? ids : moved).slice(offset, offset + limit), total: ids.length }));
    const failure = await read(list, 4).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RowsChangedError);
    expect(failure).toMatchObject({ read: 9, total: 10 });
  });

  it('refuses when the rows run out before the total', async () => {
    const list = pagedList(ids, (offset, limit) => ({ ids: ids.slice(offset, Math.min(offset + limit, 6)), total: ids.length }));
    await expect(read(list, 4)).rejects.toMatchObject({ read: 6, total: 10 });
  });
});
