// The signed-in session: POST /api/session exchanges a username and password for a
// JWT, which is kept in sessionStorage (per browser tab, gone when the tab closes) and
// sent with every Cube API request. No secret is part of the bundle.
import { ApiError, errorMessageOf, kindOfStatus } from './errors.ts';

export interface User {
  username: string;
  /** The user's roles; the API grants the union of what they may see (docs/access.md). */
  roles: string[];
  displayName: string;
  /** For the sales role: whose customers the user sees. */
  salesperson?: string;
}

export interface Session {
  token: string;
  user: User;
}

/** Why the user was sent back to sign-in, for the sign-in form to explain. */
export type SignOutReason = 'signed-out' | 'session-ended';

const storageKey = 'asiakkuus.session';

function isSession(value: unknown): value is Session {
  const candidate = value as Partial<Session> | null;
  return (
    typeof candidate?.token === 'string' &&
    typeof candidate.user?.username === 'string' &&
    Array.isArray(candidate.user.roles) &&
    candidate.user.roles.every((role) => typeof role === 'string') &&
    typeof candidate.user.displayName === 'string'
  );
}

/** Expiry of a JWT in epoch milliseconds, or undefined when it cannot be read. The server still verifies every token. */
function tokenExpiry(token: string): number | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) return undefined;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(token: string): boolean {
  const expiry = tokenExpiry(token);
  return expiry !== undefined && expiry <= Date.now();
}

function restore(): Session | null {
  try {
    const stored = sessionStorage.getItem(storageKey);
    if (!stored) return null;
    const parsed: unknown = JSON.parse(stored);
    if (isSession(parsed) && !isExpired(parsed.token)) return parsed;
    sessionStorage.removeItem(storageKey);
  } catch {
    // Unreadable or unavailable storage: start signed out.
  }
  return null;
}

function persist(value: Session | null): void {
  try {
    if (value) sessionStorage.setItem(storageKey, JSON.stringify(value));
    else sessionStorage.removeItem(storageKey);
  } catch {
    // The session then lasts until the page is reloaded.
  }
}

const state = $state<{ current: Session | null; endedBecause: SignOutReason | null }>({
  current: restore(),
  endedBecause: null,
});

/** The reactive session: read `session.current` in components to follow sign-in and sign-out. */
export const session = {
  get current(): Session | null {
    return state.current;
  },
  get user(): User | null {
    return state.current?.user ?? null;
  },
  /** Set when the last session ended; cleared by the next sign-in. */
  get endedBecause(): SignOutReason | null {
    return state.endedBecause;
  },
};

/** The current token, or an `auth` ApiError when signed out or expired (and then signs out). */
export function currentToken(): string {
  const token = state.current?.token;
  if (!token || isExpired(token)) {
    if (token) signOut('session-ended');
    throw new ApiError('not signed in', 'auth', 401);
  }
  return token;
}

/**
 * Signs in. Resolves with the user; rejects with an ApiError: `auth` (401) for a wrong
 * username or password, `server` or `network` otherwise, carrying the server's message.
 */
export async function signIn(username: string, password: string): Promise<User> {
  let response: Response;
  try {
    response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : String(error), 'network');
  }
  if (!response.ok) throw new ApiError(await errorMessageOf(response), kindOfStatus(response.status), response.status);
  const body: unknown = await response.json();
  if (!isSession(body)) throw new ApiError('the server answered sign-in with an unexpected response', 'server', response.status);
  const value: Session = { token: body.token, user: { ...body.user } };
  persist(value);
  state.current = value;
  state.endedBecause = null;
  return value.user;
}

/** Forgets the token. `session-ended` is used when the API rejected it (401/403). */
export function signOut(reason: SignOutReason = 'signed-out'): void {
  persist(null);
  state.current = null;
  state.endedBecause = reason;
}
