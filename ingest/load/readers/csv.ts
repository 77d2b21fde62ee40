// Delimited text with DuckDB's read_csv, every field as text. DuckDB reads UTF-8 only
// (its encodings extension cannot be downloaded here), so a Windows-1252 export, as
// Finnish Excel writes them, is first transcoded in a stream to a UTF-8 scratch copy;
// Windows-1252 differs from Latin-1 exactly where € and š live (0x80-0x9F).
//
// The dialect is never guessed: the header line names the columns (checked against the
// catalogue), and read_csv reads with exactly those columns, the entity's delimiter and
// double quotes. Sniffing would read one line with extra fields as extra columns
// ("column8, column9") or give up on a short file with two broken lines. A line that
// does not parse (wrong number of fields, unterminated quote, bytes that are not UTF-8)
// goes to DuckDB's reject table and from there to the quarantine (unparseable.ts); the
// other rows load.
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import type { EntityOptions, EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { numberStagedRows, stageInOrder } from './staging.ts';
import { makeTempDir, type TempDir } from './temp-files.ts';
import { clearCsvRejects, collectCsvRejects, csvRejectOptions, enforceBrokenRowLimit } from './unparseable.ts';

async function transcodeToUtf8(from: string, to: string, encoding: string): Promise<void> {
  await pipeline(createReadStream(from), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(to));
}

/** The header line's bytes: up to the first line break outside double quotes (a header of 1 MiB is not a header). */
function headerLine(path: string): string | null {
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = openSync(path, 'r');
  const length = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  let text = buffer.subarray(0, length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return text.slice(0, i);
  }
  return text.length > 0 ? text : null;
}

/** The header's field names: split at the delimiter outside quotes, "" inside quotes is a quote. */
export function headerFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((name) => name.trim());
}

/**
 * Stages a UTF-8 CSV file: its header must name exactly the catalogue's columns.
 * `firstRow` is the _source_row of the first data row (see staging.ts).
 */
export async function stageCsvFile(connection: DuckDBConnection, spec: EntitySpec, path: string, delimiter: string, location: string, firstRow: number, encodingHint = ''): Promise<void> {
  const line = headerLine(path);
  if (line === null || line.trim() === '') {
    throw new SourceFileError(`${location}: the file is empty; expected a header line with: ${spec.columns.map((c) => c.name).join(delimiter)}`);
  }
  const header = headerFields(line, delimiter);
  checkColumns(spec, header, location, 'header columns');
  const columns = header.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ');
  await clearCsvRejects(connection);
  const relation = `read_csv(${literal(path)}, header = true, auto_detect = false, columns = {${columns}}, delim = ${literal(delimiter)}, quote = '"', escape = '"', ${csvRejectOptions()})`;
  await stageInOrderWithRejects(connection, spec, relation, path, firstRow, location, header.length, encodingHint);
}

async function stageInOrderWithRejects(
  connection: DuckDBConnection, spec: EntitySpec, relation: string, path: string, firstRow: number, location: string, fields: number, encodingHint: string,
): Promise<void> {
  // The rejects are known only after the read, and the row numbers of the parsed rows
  // depend on them: read into a scratch table first, then stage in order around them.
  await stageInOrder(connection, spec, relation, firstRow, location);
  await collectCsvRejects(connection, path, fields, encodingHint);
  const parsed = Number((await connection.runAndReadAll('SELECT count(*) FROM _staged_rows')).getRowsJS()[0]![0]);
  await enforceBrokenRowLimit(connection, spec, location, parsed);
  // Rows were numbered before the rejects were known; number them again around them.
  await numberStagedRows(connection, spec, firstRow);
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
      const hint = options.encoding === 'windows-1252' ? '' : ' (an export in Windows-1252 needs encoding: windows-1252 in the source catalogue)';
      // Row 1 is the header, so the first data row is row 2, as a spreadsheet shows it.
      await stageCsvFile(connection, spec, readable, options.delimiter ?? ',', path, 2, hint);
    },
    () => temp?.remove(),
  );
}
