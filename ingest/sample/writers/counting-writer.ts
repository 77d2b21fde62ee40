// The part every format's writer shares: count the rows handed over, and report the
// count when the file is finished. A format supplies how a row is written and how its
// file is finished.
import type { EntityWriter } from './entity-writer.ts';
import type { SampleRecord } from './values.ts';

export function countingWriter(path: string, writeRow: (record: SampleRecord) => void, finish: () => void | Promise<void>): EntityWriter {
  let rows = 0;
  return {
    path,
    get rows() {
      return rows;
    },
    write(record) {
      writeRow(record);
      rows++;
    },
    async close() {
      await finish();
      return rows;
    },
  };
}
