// The Cube REST client, created with the signed-in user's token. Internal to the data
// module: components call the typed loaders in finance.ts, never Cube directly.
import cube, { RequestError, type CubeApi, type Query, type ResultSet } from '@cubejs-client/core';
import { ApiError, kindOfStatus } from './errors.ts';
import { currentToken, signOut } from './session.svelte.ts';

let client: { token: string; api: CubeApi } | null = null;

function cubeApi(): CubeApi {
  const token = currentToken();
  if (client?.token !== token) {
    client = {
      token,
      // Same origin as the dashboard; absolute because some client versions need it.
      api: cube(token, { apiUrl: new URL('/cubejs-api/v1', window.location.origin).toString(), castNumerics: true }),
    };
  }
  return client.api;
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RequestError) {
    const status = typeof error.status === 'number' ? error.status : undefined;
    return new ApiError(error.message || `request failed with status ${status ?? 'unknown'}`, kindOfStatus(status), status);
  }
  if (error instanceof DOMException && error.name === 'AbortError') return new ApiError('the request was cancelled', 'network');
  return new ApiError(error instanceof Error ? error.message : String(error), 'server');
}

/**
 * One shared request per identical query: a query already in flight, or answered in the
 * last `recentMs`, is not sent again (two panels asking the same, a filter set back, a
 * remount). Keyed by the token too, so another user's answer is never reused; the
 * server's cache is what keeps answers across warehouse versions (docs/performance.md).
 */
interface SharedRequest {
  result: Promise<ResultSet>;
  /** Callers still waiting; when every one has cancelled, the request is cancelled. */
  waiting: number;
  controller: AbortController;
  settledAt: number | null;
}
const recentMs = 30_000;
const maxShared = 200;
const shared = new Map<string, SharedRequest>();

function forget(key: string, entry: SharedRequest) {
  if (shared.get(key) === entry) shared.delete(key);
}

function sharedRequest(key: string, query: Query): SharedRequest {
  const now = Date.now();
  const existing = shared.get(key);
  if (existing && (existing.settledAt === null || now - existing.settledAt < recentMs)) return existing;
  if (existing) shared.delete(key);
  const controller = new AbortController();
  const entry: SharedRequest = { waiting: 0, controller, settledAt: null, result: Promise.resolve(null as unknown as ResultSet) };
  entry.result = cubeApi()
    // The client casts numbers before it unpacks a compact answer into rows, and fails on
    // one; the loaders of compact queries convert numbers themselves (toNumber).
    .load(query, { castNumerics: query.responseFormat !== 'compact', signal: controller.signal })
    .then(
      (resultSet) => {
        entry.settledAt = Date.now();
        return resultSet;
      },
      (error: unknown) => {
        // A failure is not remembered: the next ask tries again.
        forget(key, entry);
        throw error;
      },
    );
  shared.set(key, entry);
  // Oldest first out (Map keeps insertion order).
  while (shared.size > maxShared) shared.delete(shared.keys().next().value!);
  return entry;
}

/** Runs a Cube query. Numbers come back as numbers; a 401/403 ends the session. */
export async function runQuery(query: Query, signal?: AbortSignal): Promise<ResultSet> {
  try {
    signal?.throwIfAborted();
    const key = `${currentToken()}\n${JSON.stringify(query)}`;
    const entry = sharedRequest(key, query);
    if (entry.settledAt !== null) return await entry.result;
    entry.waiting += 1;
    return await new Promise<ResultSet>((resolve, reject) => {
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        entry.waiting -= 1;
        if (entry.waiting === 0 && entry.settledAt === null) {
          forget(key, entry);
          entry.controller.abort();
        }
        reject(new DOMException('the request was cancelled', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.result.then(
        (resultSet) => {
          if (done) return;
          done = true;
          entry.waiting -= 1;
          signal?.removeEventListener('abort', onAbort);
          resolve(resultSet);
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          entry.waiting -= 1;
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  } catch (cause) {
    const error = toApiError(cause);
    if (error.kind === 'auth') signOut('session-ended');
    throw error;
  }
}

/** The server's data refresh time of a result, if it reported one. */
export function lastRefreshTimeOf(resultSet: ResultSet): string | undefined {
  const time = resultSet.serialize().loadResponse.results[0]?.lastRefreshTime;
  return typeof time === 'string' && time !== '' ? time : undefined;
}

/** The names of every member the signed-in user may query: the API's /meta, which Cube's access policies already trimmed to the user's roles. */
export async function loadQueryableMembers(signal?: AbortSignal): Promise<Set<string>> {
  try {
    const meta = await cubeApi().meta({ signal });
    return new Set(
      meta.meta.cubes.flatMap((cube) => [...cube.measures, ...cube.dimensions, ...cube.segments].map((member) => member.name)),
    );
  } catch (cause) {
    const error = toApiError(cause);
    if (error.kind === 'auth') signOut('session-ended');
    throw error;
  }
}
