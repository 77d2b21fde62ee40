// Delimited text with DuckDB's read_csv, every field as text. DuckDB reads UTF-8 only
// (its encodings extension cannot be downloaded here), so a Windows-1252 export, as
// Finnish Excel writes them, is first transcoded in a stream to a UTF-8 scratch copy;
// Windows-1252 differs from Latin-1 exactly where € and š live (0x80-0x9F).
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import type { EntityOptions, EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { describeColumns } from './describe.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { stageInOrder } from './staging.ts';
import { makeTempDir, type TempDir } from './temp-files.ts';

/** read_csv over a UTF-8 file; short rows are padded with NULLs so the required-field rule catches them. */
function csvRelation(path: string, delimiter: string): string {
  return `read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(delimiter)}, quote = '"', escape = '"', null_padding = true)`;
}

async function transcodeToUtf8(from: string, to: string, encoding: string): Promise<void> {
  await pipeline(createReadStream(from), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(to));
}

/**
 * Stages a UTF-8 CSV file: its header must name exactly the catalogue's columns.
 * `firstRow` is the _source_row of the first data row (see staging.ts).
 */
export async function stageCsvFile(connection: DuckDBConnection, spec: EntitySpec, path: string, delimiter: string, location: string, firstRow: number): Promise<void> {
  const relation = csvRelation(path, delimiter);
  checkColumns(spec, await describeColumns(connection, relation, location), location, 'header columns');
  await stageInOrder(connection, spec, relation, firstRow, location);
}

export async function openCsv(spec: EntitySpec, path: string, options: EntityOptions): Promise<OpenedSource> {
  // Scratch space only once staging needs it: an unchanged file is just hashed.
  let temp: TempDir | undefined;
  return openedFile(
    path,
    async (connection: DuckDBConnection, progress?: ProgressReport) => {
      let readable = path;
      if (options.encoding === 'windows-1252') {
        progress?.('reading');
        temp = makeTempDir();
        readable = temp.file('utf8.csv');
        await transcodeToUtf8(path, readable, 'win1252');
      }
      progress?.('staging');
      // Row 1 is the header, so the first data row is row 2, as a spreadsheet shows it.
      await stageCsvFile(connection, spec, readable, options.delimiter ?? ',', path, 2);
    },
    () => temp?.remove(),
  );
}
