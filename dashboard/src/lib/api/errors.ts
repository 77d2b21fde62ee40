// The one error type the data module throws, so components can show the server's
// message and tell a lost session or an unreachable server from a failed query.

export type ApiErrorKind =
  /** 401/403: the session is missing, expired or not allowed; the UI returns to sign-in. */
  | 'auth'
  /** No HTTP response at all (server down, offline, timeout). */
  | 'network'
  /** Any other non-2xx answer; `message` is the server's `error` text. */
  | 'server';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    /** HTTP status, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function kindOfStatus(status: number | undefined): ApiErrorKind {
  if (status === undefined || status === 0) return 'network';
  if (status === 401 || status === 403) return 'auth';
  return 'server';
}

/** The `error` text of a JSON error body (`{ "error": "..." }`), else the body text, else the status line. */
export async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string' && body.error !== '') return body.error;
    if (typeof body.message === 'string' && body.message !== '') return body.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.trim() || `${response.status} ${response.statusText}`.trim();
}
