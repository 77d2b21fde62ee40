#!/usr/bin/env node
// npm bin: `npx dbt <args>` runs the pinned dbt from the project virtualenv (created on
// first use) against models/ and the warehouse working copy. See pipeline/dbt-cli.ts.
import { register } from 'tsx/esm/api';

register();
await import('../pipeline/dbt-cli.ts');
