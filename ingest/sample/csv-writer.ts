// Buffered CSV writer with RFC 4180 quoting, fast enough for millions of rows: rows are
// joined into a string buffer and flushed with one write per megabyte.
import { closeSync, openSync, writeSync } from 'node:fs';

export type CsvValue = string | number | null;

function quote(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export class CsvWriter {
  private readonly fd: number;
  private buffer = '';
  rowCount = 0;

  constructor(readonly path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.buffer = header.join(',') + '\n';
  }

  write(row: readonly CsvValue[]): void {
    this.buffer += row.map(quote).join(',') + '\n';
    this.rowCount++;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
