// Versions and machine facts the benchmark report states beside its figures.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../config/settings.ts';
import { venvBinary } from '../pipeline/python-env.ts';

function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

export function environmentFacts() {
  const pythonVersions = execFileSync(
    venvBinary('python'),
    ['-c', 'import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in ["dbt-core", "dbt-duckdb", "duckdb"]}))'],
    { encoding: 'utf8' },
  );
  return {
    machine: { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version },
    versions: {
      '@duckdb/node-api': installedVersion('@duckdb/node-api'),
      '@cubejs-backend/schema-compiler': installedVersion('@cubejs-backend/schema-compiler'),
      ...(JSON.parse(pythonVersions) as Record<string, string>),
    },
  };
}
