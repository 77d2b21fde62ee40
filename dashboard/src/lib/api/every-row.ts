// Every row of a paged table's query, for its CSV export: the tables show one page, the
// export must hold all of them. Each export once asked for one request of at most
// 50,000 rows (the API's row limit), so at 1,000,000 customers the customer lists' CSV
// silently ended at row 50,000.
//
// Read here page after page with the table's own loader rather than through a server
// route like the marketing page's newsletter export (cube/server/marketing-routes.ts):
// that route writes one fixed import format, while the tables' files are the tables'
// own typed rows with localised headers, labels and the columns the role may see, all
// of which live in the dashboard. Paging in the browser keeps that in one place, at the
// cost of holding every row in the browser until the file is written.
//
// Kept free of browser code (like the *-queries.ts files) so a test can page real
// queries against a test warehouse with it.
import { ApiError } from './errors.ts';

/** Rows asked for per request: the API's row limit (CUBEJS_DB_QUERY_LIMIT, 50,000 by default). */
export const exportPageSize = 50_000;

/**
 * The rows read are not the rows the query has: the data changed between two pages (a
 * rebuild swapped the warehouse), so the file would hold a different count, or the same
 * row twice and another not at all. Thrown instead of delivering such a file.
 */
export class RowsChangedError extends ApiError {
  constructor(
    /** Distinct rows read. */
    readonly read: number,
    /** Rows the query had when the export started. */
    readonly total: number,
  ) {
    super(`the data changed while it was read: ${read} distinct rows read of ${total}; export again`, 'server');
  }
}

/**
 * Reads every page of a paged query: `loadPage(offset, limit)` from offset 0 until it has
 * the first page's `total`. The query's order must be total (end on a unique key, as the
 * tables' queries do), or pages may overlap and skip rows. Throws RowsChangedError when
 * a later page reports another total, when a row comes twice (its key), or when the rows
 * read are not `total`.
 */
export async function loadEveryRow<Page extends { total: number }, Row>(
  loadPage: (offset: number, limit: number) => Promise<Page>,
  rowsOf: (page: Page) => readonly Row[],
  keyOf: (row: Row) => string,
  pageSize: number = exportPageSize,
): Promise<Row[]> {
  const first = await loadPage(0, pageSize);
  const total = first.total;
  const rows = [...rowsOf(first)];
  while (rows.length < total) {
    const page = await loadPage(rows.length, pageSize);
    const pageRows = rowsOf(page);
    if (page.total !== total) throw new RowsChangedError(rows.length, total);
    // A page shorter than asked is fine (a server may send fewer); an empty one means the rows ran out before `total`.
    if (pageRows.length === 0) break;
    rows.push(...pageRows);
  }
  const distinct = new Set(rows.map(keyOf)).size;
  if (distinct !== total || rows.length !== total) throw new RowsChangedError(distinct, total);
  return rows;
}
