// One writer per catalogue entity, in the format and with the options the catalogue
// declares for it, so the generator only produces records and the exports look exactly
// like what the loaders are configured to read.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EntitySpec } from '../../load/catalogue.ts';
import { openCsvWriter } from './csv.ts';
import { openJsonWriter } from './json.ts';
import { openParquetWriter } from './parquet.ts';
import type { SampleRecord } from './values.ts';
import { openXlsxWriter } from './xlsx.ts';

export interface EntityWriter {
  readonly path: string;
  readonly rows: number;
  write(record: SampleRecord): void;
  /** Finishes the file; resolves to the number of data rows written by this writer. */
  close(): Promise<number>;
}

export interface WriterOptions {
  /** When the export was taken: stamped into files that carry a time (Excel), so reruns give the same bytes. */
  exportedAt: Date;
  /** Add rows to an existing export instead of writing a new one (the daily increment). */
  append?: boolean;
}

export function openEntityWriter(spec: EntitySpec, outDir: string, options: WriterOptions): EntityWriter {
  const path = join(outDir, spec.file);
  mkdirSync(dirname(path), { recursive: true });
  switch (spec.format) {
    case 'csv':
      return openCsvWriter(spec, path, options);
    // The partner network's fallback export is a plain CSV (the SQL script is written from it).
    case 'postgres':
      return openCsvWriter({ ...spec, format: 'csv', options: {} }, path, options);
    case 'json':
      return openJsonWriter(spec, path, 'array', options);
    case 'ndjson':
      return openJsonWriter(spec, path, 'lines', options);
    case 'xlsx':
      return openXlsxWriter(spec, path, options);
    case 'parquet':
      return openParquetWriter(spec, path, options);
  }
}
