// Run before each warehouse test file (vitest.config.ts setupFiles): waits until the
// global setup's sample warehouse is built (test/setup/global-setup.ts builds it while the
// unit tests run), so a file's own top-level code and hooks find it there. A failed build
// fails every warehouse file with the build's reason.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

const readyFile = inject('sampleReadyFile');
while (!existsSync(readyFile)) await sleep(250);
const outcome = readFileSync(readyFile, 'utf8');
if (outcome !== 'ok') throw new Error(`the sample warehouse for the warehouse tests could not be built: ${outcome.replace(/^failed: /, '')}`);
