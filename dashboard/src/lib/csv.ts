// CSV export of what a table shows: RFC 4180 quoting, a UTF-8 byte order mark so Excel
// reads ä and ö, and the separator Excel expects in the reader's language (";" where the
// decimal separator is a comma, as in Finnish).

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
}

function quote(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Numbers are written with the locale's decimal separator and no grouping. */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], locale: string): string {
  const decimalComma = new Intl.NumberFormat(locale).format(1.5).includes(',');
  const separator = decimalComma ? ';' : ',';
  const cell = (value: string | number | null): string => {
    if (value === null) return '';
    if (typeof value === 'number') return decimalComma ? String(value).replace('.', ',') : String(value);
    return quote(value, separator);
  };
  const lines = [columns.map((c) => quote(c.header, separator)).join(separator)];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(separator));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
