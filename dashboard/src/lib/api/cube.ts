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

/** Runs a Cube query. Numbers come back as numbers; a 401/403 ends the session. */
export async function runQuery(query: Query, signal?: AbortSignal): Promise<ResultSet> {
  try {
    return await cubeApi().load(query, { castNumerics: true, signal });
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
