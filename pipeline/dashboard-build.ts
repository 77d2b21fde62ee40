// Builds the dashboard bundle with Vite when its sources are newer than the last build,
// so a repeated `npm start` does not rebuild an unchanged dashboard.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardDistDir, repoRoot } from '../config/settings.ts';

const dashboardDir = join(repoRoot, 'dashboard');

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestModification(join(path, name))), stat.mtimeMs);
}

export function dashboardBuildIsCurrent(outDir = dashboardDistDir): boolean {
  const builtIndex = join(outDir, 'index.html');
  if (!existsSync(builtIndex)) return false;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json']
    .map((name) => join(dashboardDir, name))
    .filter((path) => existsSync(path));
  const lockFile = join(repoRoot, 'package-lock.json');
  return Math.max(...sources.map(newestModification), statSync(lockFile).mtimeMs) <= statSync(builtIndex).mtimeMs;
}

export async function buildDashboard(
  options: { outDir?: string; force?: boolean; log?: (line: string) => void; logLevel?: 'warn' | 'error' } = {},
): Promise<void> {
  const outDir = options.outDir ?? dashboardDistDir;
  if (!options.force && dashboardBuildIsCurrent(outDir)) return;
  options.log?.('Building the dashboard (Vite) ...');
  const { build } = await import('vite');
  await build({ configFile: join(dashboardDir, 'vite.config.ts'), logLevel: options.logLevel ?? 'warn', build: { outDir, emptyOutDir: true } });
}
