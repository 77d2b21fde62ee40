// The marketing page's server side: saved segments (a JSON file next to the warehouse,
// so they survive a rebuild, which only swaps the warehouse file) and the CSV export of
// a segment or list in the newsletter tool's subscriber import format. The export asks
// Cube for the rows (the `marketing` view, the caller's filters and segments plus the
// `contactable` segment) page by page and writes each page as it comes, waiting for the
// client to take it, so a 100,000-row file neither sits in memory nor holds up the
// queries of other users between pages.
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AuthError, type Authenticator, type SecurityContext } from './auth.ts';
import { aliasOfMember, type RestQuery, type SemanticModel } from './semantic-model.ts';
import type { WarehouseReader } from './warehouse-reader.ts';

/** The newsletter tool's subscriber import columns (ingest/sources.yml, newsletter.subscribers) and the view members behind them. */
export const newsletterImportColumns = [
  ['subscriber_id', 'marketing.export_subscriber_id'],
  ['email', 'marketing.export_email'],
  ['first_name', 'marketing.export_first_name'],
  ['last_name', 'marketing.export_last_name'],
  ['status', 'marketing.export_status'],
  ['subscribed_at', 'marketing.export_subscribed_at'],
  ['updated_at', 'marketing.export_updated_at'],
] as const;

/** Rows asked of Cube per page of the export. */
export const exportPageSize = 5_000;
const customerIdMember = 'marketing.customer_id';
const contactableSegment = 'marketing.contactable';
const sizeMeasure = 'marketing.contactable_count';

const limits = { nameLength: 80, conditions: 30, values: 200, textLength: 200 };

/** One condition of the segment builder; the dashboard owns its meaning, the server its shape. */
export interface SegmentCondition {
  attribute: string;
  operator: string;
  values: string[];
}

export interface SavedSegment {
  name: string;
  conditions: SegmentCondition[];
  savedAt: string;
  savedBy: string;
}

class MarketingInputError extends Error {}

type AuthedRequest = Request & { securityContext?: SecurityContext };

function segmentName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name === '') throw new MarketingInputError('segment name is required');
  if (name.length > limits.nameLength) throw new MarketingInputError(`segment name is longer than ${limits.nameLength} characters`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new MarketingInputError('segment name contains control characters');
  return name;
}

function shortText(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || raw === '' || raw.length > limits.textLength) {
    throw new MarketingInputError(`${what} must be text of 1-${limits.textLength} characters`);
  }
  return raw;
}

export function parseConditions(raw: unknown): SegmentCondition[] {
  if (!Array.isArray(raw)) throw new MarketingInputError('conditions must be a list');
  if (raw.length > limits.conditions) throw new MarketingInputError(`at most ${limits.conditions} conditions`);
  return raw.map((item, index) => {
    const condition = (item ?? {}) as Record<string, unknown>;
    const where = `condition ${index + 1}`;
    if (!Array.isArray(condition.values) || condition.values.length > limits.values) {
      throw new MarketingInputError(`${where}: values must be a list of at most ${limits.values}`);
    }
    return {
      attribute: shortText(condition.attribute, `${where}: attribute`),
      operator: shortText(condition.operator, `${where}: operator`),
      values: condition.values.map((value, valueIndex) => shortText(value, `${where}: value ${valueIndex + 1}`)),
    };
  });
}

/** Saved segments by name in one JSON file; writes go one at a time and replace the file whole. */
export class SegmentStore {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  list(): SavedSegment[] {
    if (!existsSync(this.file)) return [];
    const document = JSON.parse(readFileSync(this.file, 'utf8')) as { segments?: SavedSegment[] };
    return (document.segments ?? []).sort((a, b) => a.name.localeCompare(b.name));
  }

  private write(segments: SavedSegment[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const next = `${this.file}.next`;
    writeFileSync(next, `${JSON.stringify({ segments }, null, 2)}\n`);
    renameSync(next, this.file);
  }

  private serialized<T>(change: () => T): Promise<T> {
    const result = this.writes.then(change);
    this.writes = result.catch(() => undefined);
    return result;
  }

  save(segment: SavedSegment): Promise<SavedSegment> {
    return this.serialized(() => {
      this.write([...this.list().filter((saved) => saved.name !== segment.name), segment]);
      return segment;
    });
  }

  remove(name: string): Promise<boolean> {
    return this.serialized(() => {
      const segments = this.list();
      const kept = segments.filter((saved) => saved.name !== name);
      if (kept.length === segments.length) return false;
      this.write(kept);
      return true;
    });
  }
}

/** The caller's choice of customers: Cube filters and segments on the marketing view, nothing else. */
export function exportSelection(raw: unknown): { filters: unknown[]; segments: string[] } {
  const query = (raw ?? {}) as { filters?: unknown; segments?: unknown };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MarketingInputError('query must be an object with filters and segments');
  const filters = query.filters ?? [];
  const segments = query.segments ?? [];
  if (!Array.isArray(filters)) throw new MarketingInputError('query.filters must be a list');
  if (!Array.isArray(segments) || segments.some((segment) => typeof segment !== 'string' || !segment.startsWith('marketing.'))) {
    throw new MarketingInputError('query.segments must be a list of marketing view segments');
  }
  const members = JSON.stringify(filters).match(/"member"\s*:\s*"[^"]*"/g) ?? [];
  if (members.some((member) => !/"member"\s*:\s*"marketing\./.test(member))) throw new MarketingInputError('query.filters may only name members of the marketing view');
  return { filters, segments: segments as string[] };
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Cube returns times as 2025-01-31T08:00:00.000; the import reads "2025-01-31 08:00:00".
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(text)) text = text.slice(0, 19).replace('T', ' ');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export interface MarketingRouteDependencies {
  model: SemanticModel;
  warehouse: WarehouseReader;
  auth: Authenticator;
  /** Where saved segments live; default: marketing-segments.json next to the warehouse. */
  segmentsFile?: string;
  /** Rows per page of the export; default exportPageSize. */
  pageSize?: number;
}

export function marketingRoutes({ model, warehouse, auth, segmentsFile, pageSize = exportPageSize }: MarketingRouteDependencies): express.Router {
  const store = new SegmentStore(segmentsFile ?? join(dirname(warehouse.file), 'marketing-segments.json'));
  const router = express.Router();

  router.use((req: AuthedRequest, res, next) => {
    try {
      req.securityContext = auth.verify(req.headers.authorization);
      next();
    } catch (error) {
      if (error instanceof AuthError) res.status(401).json({ error: error.message });
      else next(error);
    }
  });

  router.get('/segments', (_req, res) => {
    res.json({ segments: store.list() });
  });

  router.put('/segments/:name', async (req: AuthedRequest, res) => {
    const name = segmentName(req.params.name);
    const conditions = parseConditions((req.body as { conditions?: unknown } | undefined)?.conditions);
    const saved = await store.save({ name, conditions, savedAt: new Date().toISOString(), savedBy: req.securityContext?.sub ?? '' });
    res.json({ segment: saved });
  });

  router.delete('/segments/:name', async (req, res) => {
    const removed = await store.remove(segmentName(req.params.name));
    if (removed) res.status(204).end();
    else res.status(404).json({ error: 'no saved segment by that name' });
  });

  router.post('/export', async (req: AuthedRequest, res) => {
    // Planned under the caller's security context: Cube's access policies decide what the export may hold.
    const context = req.securityContext as unknown as Record<string, unknown>;
    const { filters, segments } = exportSelection((req.body as { query?: unknown } | undefined)?.query);
    const selection: RestQuery = { filters, segments: [...new Set([...segments, contactableSegment])] };
    // Planning both queries first turns a bad filter into a 400 before anything is sent.
    const sizePlan = await model.plan({ ...selection, measures: [sizeMeasure] }, context);
    const pageQuery = (offset: number): RestQuery => ({
      ...selection,
      dimensions: [customerIdMember, ...newsletterImportColumns.map(([, member]) => member)],
      order: [[customerIdMember, 'asc']],
      limit: pageSize,
      offset,
    });
    const firstPage = await model.plan(pageQuery(0), context);
    const [sizeRow] = await warehouse.query<Record<string, unknown>>(sizePlan.sql, sizePlan.values);
    const size = Number(Object.values(sizeRow ?? {})[0] ?? 0);

    const rawName = typeof req.query.filename === 'string' ? req.query.filename : 'segment';
    const filename = `${rawName.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60) || 'segment'}.csv`;
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${encodeURIComponent(filename)}"`);
    res.setHeader('x-asiakkuus-row-count', String(size));
    res.write(csvLine(newsletterImportColumns.map(([column]) => column)));

    let closed = false;
    res.on('close', () => (closed = true));
    try {
      for (let offset = 0, planned = firstPage; !closed; offset += pageSize, planned = await model.plan(pageQuery(offset), context)) {
        const rows = await warehouse.query<Record<string, unknown>>(planned.sql, planned.values);
        const aliases = newsletterImportColumns.map(([, member]) => aliasOfMember(planned, member) ?? '');
        const text = rows.map((row) => csvLine(aliases.map((alias) => row[alias]))).join('');
        if (text && !res.write(text)) await once(res, 'drain');
        if (rows.length < pageSize) break;
      }
      res.end();
    } catch (error) {
      // Headers are gone; a cut-off download is the only honest signal left.
      console.error(`marketing export failed after the headers were sent: ${error instanceof Error ? error.message : String(error)}`);
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof MarketingInputError) res.status(400).json({ error: error.message });
    else next(error);
  });

  return router;
}
