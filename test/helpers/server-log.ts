// The test servers' own log lines (result cache warming, swaps) go to a file per server
// under test-results/server-logs/ instead of the test output, which stays for results.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../config/settings.ts';

export function serverLogTo(label: string): (line: string) => void {
  const dir = join(repoRoot, 'test-results', 'server-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${label}-${process.pid}.log`);
  return (line) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}
