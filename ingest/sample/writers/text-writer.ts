// Buffered text writer, fast enough for tens of millions of rows: each piece of text is
// encoded straight into a 1 MiB byte buffer (so no strings pile up for the garbage
// collector), which is written out when full. UTF-8, or Windows-1252 for the CRM's
// Finnish Excel-style exports. Appending keeps what the file holds.
import { closeSync, openSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1252';

const bufferSize = 1 << 20;
/** Text Windows-1252 and Latin-1 encode alike: ASCII and U+00A0-U+00FF (ä, ö, å, é ...). */
const latin1Alike = /^[\x00-\x7f\xa0-\xff]*$/;

export class TextWriter {
  private readonly fd: number;
  private readonly bytes = Buffer.allocUnsafe(bufferSize);
  private used = 0;

  constructor(readonly path: string, private readonly encoding: TextEncoding = 'utf-8', append = false) {
    this.fd = openSync(path, append ? 'a' : 'w');
  }

  write(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; flush first if it might not fit.
    if (this.used + text.length * 3 > bufferSize) this.flush();
    if (text.length * 3 > bufferSize) {
      this.writeOut(this.encode(text));
      return;
    }
    if (this.encoding === 'utf-8') this.used += this.bytes.write(text, this.used, 'utf8');
    else if (latin1Alike.test(text)) this.used += this.bytes.write(text, this.used, 'latin1');
    else this.used += iconv.encode(text, 'win1252').copy(this.bytes, this.used);
  }

  private encode(text: string): Buffer {
    return this.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1252');
  }

  private writeOut(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.bytes.subarray(0, this.used));
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
