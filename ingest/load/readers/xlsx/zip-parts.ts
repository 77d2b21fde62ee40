// The parts of an .xlsx package (a zip of XML files), read by name with yauzl. The zip's
// central directory lists every part, so parts are read in whatever order the workbook
// needs them, not in the order a writer happened to store them (a worksheet stored
// before xl/sharedStrings.xml is what breaks streaming readers).
import { inflateRawSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';

export interface ZipParts {
  /** Part names as stored, without a leading slash. */
  names: string[];
  /** The part's bytes as UTF-8 text; undefined when the package has no such part. */
  text(name: string): Promise<string | undefined>;
  /** The part as byte text (xlsx/byte-text.ts) in pieces, for parts too big to hold as one string (a sheet of a million rows). */
  byteTextChunks(name: string): AsyncGenerator<string> | undefined;
  close(): void;
}

function entryStream(zip: ZipFile, entry: Entry, decompress = true): Promise<Readable> {
  return new Promise((resolveStream, reject) =>
    zip.openReadStream(entry, { decompress: decompress ? null : false }, (error, stream) => (error ? reject(error) : resolveStream(stream))),
  );
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Text pieces of about this many bytes: big enough to cost little per piece, far below V8's string limit. */
const pieceBytes = 16 * 1024 * 1024;

/**
 * The part inflated in one call (zlib's stream in 16 KiB pieces costs several times
 * more for a 40 MB sheet) and handed out as byte-text pieces: one character per byte,
 * so a piece may end inside a character's bytes and no decoder is needed.
 */
async function* entryByteText(zip: ZipFile, entry: Entry): AsyncGenerator<string> {
  let bytes: Buffer;
  if (entry.compressionMethod === 8) {
    const compressed: Buffer[] = [];
    for await (const chunk of await entryStream(zip, entry, false)) compressed.push(chunk as Buffer);
    bytes = inflateRawSync(Buffer.concat(compressed));
  } else {
    const stored: Buffer[] = [];
    for await (const chunk of await entryStream(zip, entry)) stored.push(chunk as Buffer);
    bytes = Buffer.concat(stored);
  }
  for (let start = 0; start < bytes.length; start += pieceBytes) yield bytes.toString('latin1', start, Math.min(bytes.length, start + pieceBytes));
}

export function openZipParts(path: string): Promise<ZipParts> {
  return new Promise((resolveParts, reject) => {
    openZip(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, zip) => {
      if (error) return reject(error);
      // Part names compare case-insensitively (OPC, ECMA-376 part 2), so do the lookups.
      const entries = new Map<string, Entry>();
      zip.on('entry', (entry: Entry) => {
        entries.set(entry.fileName.replace(/^\//, '').toLowerCase(), entry);
        zip.readEntry();
      });
      zip.on('error', reject);
      zip.on('end', () =>
        resolveParts({
          names: [...entries.values()].map((entry) => entry.fileName.replace(/^\//, '')),
          text: async (name) => {
            const entry = entries.get(name.replace(/^\//, '').toLowerCase());
            return entry ? readEntry(zip, entry) : undefined;
          },
          byteTextChunks: (name) => {
            const entry = entries.get(name.replace(/^\//, '').toLowerCase());
            return entry ? entryByteText(zip, entry) : undefined;
          },
          close: () => zip.close(),
        }),
      );
      zip.readEntry();
    });
  });
}
