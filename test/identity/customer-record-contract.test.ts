// The one customer-record contract (docs/identity-resolution.md): customer_id is the
// resolved customer everywhere, and a model reaches a source record's customer by the
// source, entity and record_id columns - never by taking record_key apart or gluing it
// together from parts. Checked on the model files, so a new model that slips is named.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sqlFiles(join(dir, entry.name)) : entry.name.endsWith('.sql') ? [join(dir, entry.name)] : [],
  );
}

const models = sqlFiles(join(repoRoot, 'models/models')).map((file) => ({ file: relative(repoRoot, file), sql: readFileSync(file, 'utf8') }));
// int_customer_records is where record_key is made from its parts, once.
const consumers = models.filter((model) => !model.file.endsWith('int_customer_records.sql'));

describe('the customer-record contract in the models', () => {
  it('finds the models', () => {
    expect(consumers.length).toBeGreaterThan(50);
  });

  it.each([
    ['takes record_key apart', /split_part\(\s*(\w+\.)?record_key/i],
    ["matches record_key by a prefix (like 'crm.contacts:%')", /record_key\s+(not\s+)?like\s+'/i],
    ["builds a record key from its parts ('crm.contacts:' || id)", /'[a-z_]+\.[a-z_]+:'\s*\|\|/i],
  ])('no model %s', (_what, pattern) => {
    expect(consumers.filter((model) => pattern.test(model.sql)).map((model) => model.file)).toEqual([]);
  });

  it('no staging model calls a system\'s own number customer_id', () => {
    const staging = models.filter((model) => model.file.includes('/staging/'));
    // A bare `customer_id` output column; `customer_id as erp_customer_number` renames it.
    const offenders = staging.filter((model) => /^\s*customer_id\s*,?\s*$/m.test(model.sql) || /\bas\s+customer_id\b/i.test(model.sql));
    expect(offenders.map((model) => model.file)).toEqual([]);
  });
});
