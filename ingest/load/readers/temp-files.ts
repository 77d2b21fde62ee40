// Scratch files for readers that convert a source to UTF-8 CSV first (Windows-1252
// text, Excel sheets, PostgreSQL COPY output). Kept beside the system temp folder and
// removed after each load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-ingest-'));
  return { file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
