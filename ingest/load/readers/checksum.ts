// SHA-256 of a file, streamed: identical content means an unchanged source.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
