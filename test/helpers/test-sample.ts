// The sample company the API, identity and browser tests run on: the default sample
// company itself, so the identity targets are measured where they are promised.
import { defaultSampleOptions } from '../../ingest/sample/generate.ts';

export const testSample = { ...defaultSampleOptions };
