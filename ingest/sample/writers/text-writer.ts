// Buffered text writer, fast enough for tens of millions of rows: lines are joined into
// a string buffer and flushed every 64 KiB (small enough that the pieces die young and
// never burden the garbage collector), optionally encoded (Windows-1252 for
// the CRM's Finnish Excel-style exports). Appending keeps what the file holds.
import { closeSync, openSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1252';

export class TextWriter {
  private readonly fd: number;
  private buffer = '';

  constructor(readonly path: string, private readonly encoding: TextEncoding = 'utf-8', append = false) {
    this.fd = openSync(path, append ? 'a' : 'w');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buffer === '') return;
    if (this.encoding === 'utf-8') writeSync(this.fd, this.buffer);
    else writeSync(this.fd, iconv.encode(this.buffer, 'win1252'));
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
