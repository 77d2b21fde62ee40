// The sample company the API and browser tests run on: small enough that dbt builds it
// in seconds, large enough to have several customers, months and discounts.
import { defaultSampleOptions } from '../../ingest/sample/generate.ts';

export const testSample = { ...defaultSampleOptions, customers: 60, seed: 4242 };
