#!/usr/bin/env node
// `npm start`: installs what is missing, builds the warehouse from the sample company
// (or ASIAKKUUS_SOURCE_DIR), builds the dashboard and serves both. See pipeline/start.ts.
import { ensureNodeDependencies, runTypeScript } from './bootstrap.mjs';

ensureNodeDependencies();
await runTypeScript('pipeline/start.ts');
