// The bench's stage measurement (bench/measure-process.py through measuredRun): wall time,
// CPU time of the stage's processes and peak memory. CPU time is what two versions of a
// stage are compared by on this shared machine, so it must count the stage's own work and
// not its waiting. The children here run Python from the project virtualenv: one that
// sleeps and one that computes until it has used half a second of CPU, whatever else the
// machine is doing.
import { beforeAll, expect, it } from 'vitest';
import { measuredRun } from '../../bench/measured-run.ts';
import { ensurePythonEnv, venvBinary } from '../../pipeline/python-env.ts';

beforeAll(async () => {
  await ensurePythonEnv(() => {});
});

it('counts a sleeping stage in wall time but hardly in CPU time', async () => {
  const measured = await measuredRun(venvBinary('python'), ['-c', 'import time; time.sleep(0.6)']);
  expect(measured.seconds).toBeGreaterThanOrEqual(0.6);
  // Python's own start, not the sleep.
  expect(measured.cpuSeconds).toBeLessThan(0.4);
});

it("counts a computing child's grandchild in CPU time", async () => {
  // The work is done by a grandchild, as a stage's dbt or DuckDB work is (node -> dbt).
  const burn = 'import time\nwhile time.process_time() < 0.5: pass';
  const measured = await measuredRun(venvBinary('python'), ['-c', `import subprocess, sys; subprocess.run([sys.executable, '-c', ${JSON.stringify(burn)}], check=True)`]);
  expect(measured.cpuSeconds).toBeGreaterThanOrEqual(0.5);
  expect(measured.maxRssBytes).toBeGreaterThan(1024 * 1024);
});
