// Delimited text with DuckDB's read_csv, every field as text. DuckDB reads UTF-8 only
// (its encodings extension cannot be downloaded here), so a Windows-1252 export, as
// Finnish Excel writes them, is first transcoded to a UTF-8 scratch copy; Windows-1252
// differs from Latin-1 exactly where € and š live.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import type { EntityOptions } from '../catalogue.ts';
import { literal } from '../sql.ts';
import { sha256OfFile } from './checksum.ts';
import { describeColumns } from './describe.ts';
import type { PreparedSource } from './prepared-source.ts';
import { makeTempDir } from './temp-files.ts';

/** read_csv over a UTF-8 file; short rows are padded with NULLs so required-field rules catch them. */
export function csvRelation(path: string, delimiter = ','): string {
  return `read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(delimiter)}, quote = '"', escape = '"', null_padding = true)`;
}

export async function transcodeToUtf8(from: string, to: string, encoding: string): Promise<void> {
  await pipeline(createReadStream(from), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(to));
}

export async function prepareCsv(connection: DuckDBConnection, path: string, options: EntityOptions, location = path): Promise<PreparedSource> {
  const checksum = await sha256OfFile(path);
  const temp = makeTempDir();
  try {
    let readable = path;
    if (options.encoding === 'windows-1252') {
      readable = temp.file('utf8.csv');
      await transcodeToUtf8(path, readable, 'win1252');
    }
    const relation = csvRelation(readable, options.delimiter);
    const columns = await describeColumns(connection, relation, location);
    return { location, checksum, relation, columns, cleanup: temp.remove };
  } catch (error) {
    temp.remove();
    throw error;
  }
}
