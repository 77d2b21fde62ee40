// From source text to typed values. Every reader stages each field as text, so one
// conversion per column decides both whether a value is valid (quarantine when not)
// and what is stored; the two can never disagree.
import type { ColumnSpec, EntityOptions } from './catalogue.ts';
import { ident, literal } from './sql.ts';

const fractional = /^(DECIMAL|DOUBLE)/;
const whole = /^(INTEGER|BIGINT)$/;

/** SQL that is true when the field holds no value (missing, empty or only spaces). */
export function blank(column: ColumnSpec): string {
  return `(${ident(column.name)} IS NULL OR trim(${ident(column.name)}) = '')`;
}

/**
 * SQL converting the text field to the column's type, NULL when the text is not a valid
 * value. Finnish exports write "1 234,56": with decimal_separator "," spaces (also
 * no-break ones) are dropped and the comma becomes the decimal point.
 */
export function typedValue(column: ColumnSpec, options: EntityOptions): string {
  const text = `trim(${ident(column.name)})`;
  if (column.type === 'VARCHAR') return `NULLIF(${text}, '')`;
  if (column.type === 'DATE' && options.date_format) return `CAST(try_strptime(${text}, ${literal(options.date_format)}) AS DATE)`;
  if (column.type === 'TIMESTAMP' && options.timestamp_format) return `try_strptime(${text}, ${literal(options.timestamp_format)})`;
  const digits = options.decimal_separator === ',' ? `regexp_replace(${text}, '[\\s\\x{00A0}\\x{202F}]', '', 'g')` : text;
  // DuckDB would round "2.5" to an INTEGER 3; a whole-number column takes whole numbers only.
  if (whole.test(column.type)) return `CASE WHEN regexp_full_match(${digits}, '[+-]?[0-9]+') THEN TRY_CAST(${digits} AS ${column.type}) END`;
  if (fractional.test(column.type) && options.decimal_separator === ',') {
    // With a decimal comma a point can only be a thousands separator or a mistake; refuse it rather than guess.
    return `CASE WHEN NOT contains(${digits}, '.') THEN TRY_CAST(replace(${digits}, ',', '.') AS ${column.type}) END`;
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
