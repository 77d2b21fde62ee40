// The parts of an .xlsx package (a zip of XML files), read by name with yauzl. The zip's
// central directory lists every part, so parts are read in whatever order the workbook
// needs them, not in the order a writer happened to store them (a worksheet stored
// before xl/sharedStrings.xml is what breaks streaming readers).
import { constants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';

export interface ZipParts {
  /** Part names as stored, without a leading slash. */
  names: string[];
  /** The part's bytes as UTF-8 text; undefined when the package has no such part. */
  text(name: string): Promise<string | undefined>;
  /** The part's bytes, inflated; undefined when the package has no such part. */
  bytes(name: string): Promise<Buffer | undefined>;
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

/**
 * The part inflated in one call, into one buffer of the size the zip's directory gives
 * (zlib's stream in 16 KiB pieces costs several times more for a 40 MB sheet, and even
 * a one-call inflate in 16 KiB output pieces a third more than one piece). The sheet
 * scanner works on the bytes (sheet-rows.ts), so there is no string to keep under V8's
 * length limit and the part is not cut up.
 */
const maxLength = constants.MAX_LENGTH;

async function entryBytes(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(zip, entry, entry.compressionMethod !== 8)) chunks.push(chunk as Buffer);
  const read = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (entry.compressionMethod !== 8) return read;
  // A size in the directory that is too small costs only speed (zlib adds pieces as it
  // needs them); one that deflate could not reach (at most about 1032:1) is not believed.
  const size = entry.uncompressedSize;
  const believable = size >= 64 * 1024 && size <= maxLength && size <= read.length * 1032 + 1024;
  return inflateRawSync(read, believable ? { chunkSize: size } : {});
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
          bytes: async (name) => {
            const entry = entries.get(name.replace(/^\//, '').toLowerCase());
            return entry ? entryBytes(zip, entry) : undefined;
          },
          close: () => zip.close(),
        }),
      );
      zip.readEntry();
    });
  });
}
