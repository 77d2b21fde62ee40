// Rows that cannot be parsed at all (a CSV line with the wrong number of fields, an
// unterminated quote, bytes that are not UTF-8; an NDJSON line that is not a JSON
// object) are set aside, not the whole file: each goes to the temp table
//
//   _unparseable(source_row BIGINT, raw_text VARCHAR, reason VARCHAR)
//
// which the loader moves to raw.quarantine (field "(row)", the raw text as value) with
// the rule violations of the parsed rows. CSV rows come from DuckDB's own reject
// tables (read_csv's store_rejects). When more rows are broken than the entity's
// max_broken_rows allows, the export itself is wrong and the whole file is refused,
// with the first broken lines in the message.
import { closeSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntitySpec } from '../catalogue.ts';
import { literal } from '../sql.ts';
import { SourceFileError } from './source-file-error.ts';

export const unparseable = '_unparseable';
export const csvRejects = '_csv_rejects';
export const csvRejectScans = '_csv_reject_scans';

/** max_broken_rows when the catalogue does not set it. */
export const defaultMaxBrokenRows = '1%';

export async function createUnparseable(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${unparseable} (source_row BIGINT NOT NULL, raw_text VARCHAR, reason VARCHAR NOT NULL)`);
}

export async function dropUnparseable(connection: DuckDBConnection): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${unparseable}; DROP TABLE IF EXISTS ${csvRejects}; DROP TABLE IF EXISTS ${csvRejectScans}`);
}

/** The read_csv options that send unparseable lines to the reject tables instead of failing the read. */
export function csvRejectOptions(): string {
  return `store_rejects = true, rejects_table = '${csvRejects}', rejects_scan = '${csvRejectScans}'`;
}

/** DROP the reject tables of an earlier read: read_csv appends to them. */
export async function clearCsvRejects(connection: DuckDBConnection): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${csvRejects}; DROP TABLE IF EXISTS ${csvRejectScans}`);
}

/**
 * DuckDB's CSV rejects as broken rows: one per line (a line with too many fields is
 * reported once per extra field), the raw line as DuckDB read it, the reason in words.
 * DuckDB's line number counts the header as line 1 and a record whose quoted field
 * spans lines once. `expectedFields` is the header's field count.
 */
export async function collectCsvRejects(connection: DuckDBConnection, path: string, expectedFields: number, encodingHint: string, blankLinesAreRows = false): Promise<void> {
  await connection.run(`
    INSERT INTO ${unparseable}
    SELECT line,
           -- DuckDB's raw line may start with the line break before it; the text is the record itself.
           regexp_replace(regexp_replace(arg_min(csv_line, byte_position), '^[\\r\\n]+', ''), '[\\r\\n]+$', ''),
           CASE
             WHEN bool_or(error_type IN ('TOO MANY COLUMNS', 'MISSING COLUMNS')) THEN
               'wrong number of fields: ' ||
               CASE WHEN bool_or(error_type = 'TOO MANY COLUMNS')
                    THEN max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) FILTER (WHERE error_type = 'TOO MANY COLUMNS')
                    ELSE min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) END
               || ' instead of ${expectedFields}'
             WHEN bool_or(error_type = 'UNQUOTED VALUE') THEN
               'unterminated quote: a quoted field is not closed' ||
               CASE WHEN contains(regexp_replace(arg_min(csv_line, byte_position), '^[\\r\\n]+|[\\r\\n]+$', '', 'g'), chr(10)) THEN ', so every line after it was read into that field' ELSE '' END
             WHEN bool_or(error_type = 'INVALID ENCODING') THEN ${literal(`bytes that are not valid UTF-8${encodingHint}`)}
             WHEN bool_or(error_type = 'LINE SIZE OVER MAXIMUM') THEN 'the line is longer than DuckDB''s maximum line size'
             ELSE min(error_type || ': ' || error_message)
           END
    FROM ${csvRejects}
    GROUP BY line`);
  await keepBytesThatAreNotUtf8(connection, path);
  if (!blankLinesAreRows) await leaveOutBlankLines(connection, path);
}

/**
 * DuckDB's line number for a reject counts the blank lines before it, but read_csv
 * skips blank lines and the parsed rows are numbered without them (staging.ts). So that
 * a broken line and its neighbours are numbered alike, its number loses the blank lines
 * (outside quoted fields) above it.
 */
async function leaveOutBlankLines(connection: DuckDBConnection, path: string): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT line, min(byte_position) FROM ${csvRejects} GROUP BY line ORDER BY line`);
  const rejects = reader.getRowsJS().map(([line, position]) => ({ line: Number(line), offset: Number(position) - 1 }));
  if (rejects.length === 0) return;
  const blanks = blankLinesBefore(path, rejects.map((r) => r.offset));
  const shifted = rejects.map((r, i) => ({ ...r, blanks: blanks[i]! })).filter((r) => r.blanks > 0);
  if (shifted.length === 0) return;
  const values = shifted.map((r) => `(${r.line}, ${r.line - r.blanks})`).join(', ');
  await connection.run(`UPDATE ${unparseable} SET source_row = m.record_line FROM (VALUES ${values}) AS m(line, record_line) WHERE ${unparseable}.source_row = m.line`);
}

/** How many blank lines (outside double-quoted fields) end before each of the ascending byte offsets. */
export function blankLinesBefore(path: string, offsets: number[]): number[] {
  const counts: number[] = [];
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1024 * 1024);
  let blanks = 0;
  let quoted = false;
  let lineHasText = false;
  let position = 0;
  let next = 0;
  try {
    for (let length = readSync(fd, buffer, 0, buffer.length, 0); length > 0 && next < offsets.length; length = readSync(fd, buffer, 0, buffer.length, position)) {
      for (let i = 0; i < length && next < offsets.length; i++) {
        while (next < offsets.length && position + i >= offsets[next]!) counts[next++] = blanks;
        const byte = buffer[i]!;
        if (byte === 0x22) quoted = !quoted;
        if (quoted) {
          lineHasText = true;
        } else if (byte === 0x0a) {
          if (!lineHasText) blanks++;
          lineHasText = false;
        } else if (byte !== 0x0d) lineHasText = true;
      }
      position += length;
    }
  } finally {
    closeSync(fd);
  }
  while (next < offsets.length) counts[next++] = blanks;
  return counts;
}

/**
 * DuckDB shows a byte that is not UTF-8 as "?" and can take the next character with it
 * ("Järvi" in Latin-1 becomes "J??vi"). The raw text of such a line is read from the
 * file instead, each such byte written as \xHH, so nothing of it is lost.
 */
async function keepBytesThatAreNotUtf8(connection: DuckDBConnection, path: string): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT line, min(line_byte_position) FROM ${csvRejects} WHERE error_type = 'INVALID ENCODING' GROUP BY line`);
  const found = reader.getRowsJS();
  if (found.length === 0) return;
  const fd = openSync(path, 'r');
  try {
    for (const [line, position] of found) {
      const buffer = Buffer.alloc(64 * 1024);
      // DuckDB's position is 1-based and may point at the line break before the line.
      const length = readSync(fd, buffer, 0, buffer.length, Math.max(0, Number(position) - 1));
      let start = 0;
      while (start < length && (buffer[start] === 0x0a || buffer[start] === 0x0d)) start++;
      let end = buffer.indexOf(0x0a, start);
      if (end < 0 || end > length) end = length;
      if (end > start && buffer[end - 1] === 0x0d) end--;
      await connection.run(`UPDATE ${unparseable} SET raw_text = ${literal(textWithByteEscapes(buffer.subarray(start, end)))} WHERE source_row = ${Number(line)}`);
    }
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text with every byte that is not part of a valid UTF-8 sequence written as \xHH. */
export function textWithByteEscapes(bytes: Buffer): string {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) valid = (bytes[i + k]! & 0xc0) === 0x80;
    if (valid) {
      text += bytes.toString('utf8', i, i + length);
      i += length;
    } else {
      text += `\\x${lead.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return text;
}

/**
 * A broken row that swallowed the lines after it (an unterminated quote) stands for
 * every one of them when counting against the limit.
 */
const brokenLineCount = `sum(CASE WHEN starts_with(reason, 'unterminated quote') THEN length(raw_text) - length(replace(raw_text, chr(10), '')) + 1 ELSE 1 END)`;

/** The limit in rows for a file of `rows` rows: a count, or a percentage ("1%"), never below one row. */
export function allowedBrokenRows(limit: string, rows: number): number {
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(limit.trim());
  if (percent) return Math.max(1, Math.floor((Number(percent[1]) / 100) * rows));
  return Number(limit);
}

/**
 * Refuses the whole file when it has more broken rows than the entity's max_broken_rows
 * allows; `parsedRows` is how many rows did parse.
 */
export async function enforceBrokenRowLimit(connection: DuckDBConnection, spec: EntitySpec, location: string, parsedRows: number): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT count(*)::BIGINT, coalesce(${brokenLineCount}, 0)::BIGINT FROM ${unparseable}`);
  const [rows, lines] = (reader.getRowsJS()[0] as [bigint, bigint]).map(Number) as [number, number];
  if (rows === 0) return;
  const limit = spec.options.max_broken_rows ?? defaultMaxBrokenRows;
  const total = parsedRows + lines;
  const allowed = allowedBrokenRows(limit, total);
  if (lines <= allowed) return;
  const examples = await connection.runAndReadAll(`SELECT source_row, reason, left(raw_text, 80) FROM ${unparseable} ORDER BY source_row LIMIT 3`);
  const shown = examples.getRowsJS().map(([row, reason, raw]) => `line ${String(row)}: ${String(reason)}: ${JSON.stringify(raw)}`);
  throw new SourceFileError(
    `${location}: ${lines} of ${total} rows cannot be parsed, more than max_broken_rows (${limit}) allows, so the export itself looks wrong and nothing was loaded; ` +
      `first: ${shown.join('; ')}`,
  );
}
