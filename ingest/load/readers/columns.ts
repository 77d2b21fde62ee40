// The source's columns against the catalogue: a missing or unknown column makes the
// whole source unreadable, with the file, what differs and what was expected.
import { entityName, type EntitySpec } from '../catalogue.ts';
import { SourceFileError } from './source-file-error.ts';

export function checkColumns(spec: EntitySpec, found: string[], location: string, what = 'columns'): void {
  const expected = spec.columns.map((c) => c.name);
  const missing = expected.filter((name) => !found.includes(name));
  const unknown = found.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new SourceFileError(
      `${location}: ${what} do not match ${entityName(spec)} in the source catalogue` +
        (missing.length ? `; missing column(s): ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown column(s): ${unknown.map((name) => name || '(empty header)').join(', ')}` : '') +
        `; expected: ${expected.join(', ')}`,
    );
  }
}
