// From source text to typed values. Every reader stages each field as text, so one
// conversion per column decides both whether a value is valid (quarantine when not)
// and what is stored; the two can never disagree.
import type { ColumnSpec, EntityOptions } from './catalogue.ts';
import { ident, literal } from './sql.ts';

const fractional = /^(DECIMAL|DOUBLE)/;
const whole = /^(INTEGER|BIGINT)$/;

/** The staged field, optionally qualified by a table alias. */
function field(column: ColumnSpec, from?: string): string {
  return from ? `${from}.${ident(column.name)}` : ident(column.name);
}

/**
 * The field's text without surrounding spaces, NULL when there is none. trim() copies
 * every string it touches, so it runs only on the few values that start or end with a
 * space.
 */
function trimmedText(column: ColumnSpec, from?: string): string {
  const text = field(column, from);
  return `CASE WHEN starts_with(${text}, ' ') OR ends_with(${text}, ' ') THEN NULLIF(trim(${text}), '') ELSE NULLIF(${text}, '') END`;
}

/** SQL that is true when the field holds no value (missing, empty or only spaces). */
export function blank(column: ColumnSpec, from?: string): string {
  return `(${trimmedText(column, from)} IS NULL)`;
}

/** SQL for the value's text as compared with the allowed codes. */
export function codeText(column: ColumnSpec, from?: string): string {
  return trimmedText(column, from);
}

/**
 * SQL converting the text field to the column's type, NULL when the text is not a valid
 * value. DuckDB's casts to numbers, dates and timestamps allow surrounding spaces, so
 * only text, booleans and strptime patterns need the trimmed text. Finnish exports write
 * "1 234,56": with decimal_separator "," spaces (also no-break ones) are dropped and the
 * comma becomes the decimal point; the comma applies to DECIMAL and DOUBLE columns only.
 */
export function typedValue(column: ColumnSpec, options: EntityOptions, from?: string): string {
  const text = field(column, from);
  const trimmed = trimmedText(column, from);
  if (column.type === 'VARCHAR') return trimmed;
  if (column.type === 'BOOLEAN') return `TRY_CAST(${trimmed} AS BOOLEAN)`;
  if (column.type === 'DATE' && options.date_format) return `CAST(try_strptime(${trimmed}, ${literal(options.date_format)}) AS DATE)`;
  if (column.type === 'TIMESTAMP' && options.timestamp_format) return `try_strptime(${trimmed}, ${literal(options.timestamp_format)})`;
  if (whole.test(column.type)) {
    // DuckDB would round "2.5" (or "25e-1") to an INTEGER 3; a whole-number column takes whole numbers only.
    return `CASE WHEN NOT (contains(${text}, '.') OR contains(${text}, 'e') OR contains(${text}, 'E')) THEN TRY_CAST(${text} AS ${column.type}) END`;
  }
  if (fractional.test(column.type) && options.decimal_separator === ',') {
    const digits = `replace(replace(replace(${text}, ' ', ''), chr(160), ''), chr(8239), '')`;
    // With a decimal comma a point can only be a thousands separator or a mistake; refuse it rather than guess.
    return `CASE WHEN NOT contains(${text}, '.') THEN TRY_CAST(replace(${digits}, ',', '.') AS ${column.type}) END`;
  }
  return `TRY_CAST(${text} AS ${column.type})`;
}

/** The reason stored in quarantine for a value that does not convert. */
export function invalidValueReason(column: ColumnSpec, options: EntityOptions): string {
  if (column.type === 'DATE' && options.date_format) return `not a valid DATE (expected format ${options.date_format})`;
  if (column.type === 'TIMESTAMP' && options.timestamp_format) return `not a valid TIMESTAMP (expected format ${options.timestamp_format})`;
  if (fractional.test(column.type) && options.decimal_separator === ',') return `not a valid ${column.type} (decimal comma expected)`;
  return `not a valid ${column.type}`;
}
