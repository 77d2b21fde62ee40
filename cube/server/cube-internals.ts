// The one place that reaches into Cube's packages. These are internal APIs of
// @cubejs-backend/* (versions pinned exactly in package.json); test/cube covers them so
// an upgrade that moves them fails a test, not a user.
//
// Cube 1.x creates a Jinja engine from its native (Rust) binary on every compile, even
// for a model without Jinja files. The binary cannot be installed here, so the engine is
// replaced by one that refuses to render; semantic-model.ts rejects Jinja and Python
// model files up front so this refusal is never reached by a valid model.
import { createRequire } from 'node:module';
import native from '@cubejs-backend/native';

const require = createRequire(import.meta.url);

process.env.CUBEJS_TESSERACT_SQL_PLANNER ??= 'false';

const jinjaUnavailable = (): never => {
  throw new Error('Jinja templates in the Cube model need Cube\'s native binary, which the embedded server does not have');
};
(native.NativeInstance.prototype as unknown as { newJinjaEngine: () => unknown }).newJinjaEngine = () => ({
  loadTemplate: jinjaUnavailable,
  renderTemplate: jinjaUnavailable,
});

export { prepareCompiler, UserError as CompilerUserError } from '@cubejs-backend/schema-compiler';
export type { Compiler } from '@cubejs-backend/schema-compiler';
export { FileRepository } from '@cubejs-backend/shared';
export { DuckDBDriver } from '@cubejs-backend/duckdb-driver';

type RestQuery = Record<string, unknown>;

interface QueryModule {
  normalizeQuery(query: RestQuery, persistent: boolean): RestQuery;
  remapToQueryAdapterFormat(query: RestQuery): RestQuery;
}

interface AnnotationModule {
  prepareAnnotation(metaConfig: unknown[], query: unknown): Annotation;
}

export interface AnnotationItem {
  title: string;
  shortTitle: string;
  description?: string;
  type: string;
  format?: string;
  currency?: string;
  meta?: unknown;
  granularity?: { name: string; title: string; interval: string };
}

export interface Annotation {
  measures: Record<string, AnnotationItem>;
  dimensions: Record<string, AnnotationItem>;
  segments: Record<string, AnnotationItem>;
  timeDimensions: Record<string, AnnotationItem>;
}

// Deep imports: these modules pull in no native code (the gateway's index does).
const queryModule = require('@cubejs-backend/api-gateway/dist/src/query') as QueryModule;
const annotationModule = require('@cubejs-backend/api-gateway/dist/src/helpers/prepare-annotation') as AnnotationModule;
export const { UserError: GatewayUserError } = require('@cubejs-backend/api-gateway/dist/src/user-error') as {
  UserError: new (message: string) => Error;
};

export const normalizeQuery = queryModule.normalizeQuery;
export const remapToQueryAdapterFormat = queryModule.remapToQueryAdapterFormat;
export const prepareAnnotation = annotationModule.prepareAnnotation;
