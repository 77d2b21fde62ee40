// Sign-in and token checks. The dashboard signs in with a username and password and
// receives a JWT signed with the API secret; every Cube API request must carry a valid
// one (Authorization: Bearer <token>, or the bare token as Cube's clients send it). The
// secret never leaves the server.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jwt from 'jsonwebtoken';
import { parse } from 'yaml';
import { verifyPassword } from './passwords.ts';

/** The roles cube/cube.js maps to access-policy groups (docs/access.md). */
export const knownRoles = ['management', 'finance', 'marketing', 'sales', 'service'] as const;

export interface UserRecord {
  username: string;
  displayName: string;
  /** One or more of knownRoles; the user gets the union of what they grant. */
  roles: string[];
  /** For the sales role: the salesperson whose customers the user sees (the customers' owner_salesperson). */
  salesperson?: string;
  passwordHash: string;
}

export type PublicUser = Omit<UserRecord, 'passwordHash'>;

/** What a token carries; Cube calls this the security context. */
export interface SecurityContext {
  sub: string;
  roles: string[];
  name: string;
  salesperson?: string;
}

export class AuthError extends Error {}

/** Tokens are short-lived: the dashboard signs in again when one has expired. */
export const tokenLifetimeSeconds = 15 * 60;

/** CUBEJS_API_SECRET when set (as the official Cube server uses it), else a secret generated once per warehouse folder. */
export function loadApiSecret(secretFile: string): string {
  const fromEnv = process.env.CUBEJS_API_SECRET;
  if (fromEnv) return fromEnv;
  if (!existsSync(secretFile)) {
    mkdirSync(dirname(secretFile), { recursive: true });
    writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(secretFile, 'utf8').trim();
}

/** The users file: each user's name, password hash, roles and, for sales, salesperson. Refuses a file that would grant something unclear. */
export function readUsers(file: string): UserRecord[] {
  const document = parse(readFileSync(file, 'utf8')) as { users?: Partial<UserRecord>[] };
  const seen = new Set<string>();
  return (document.users ?? []).map((user, index) => {
    const where = `${file}: user ${index + 1}${typeof user.username === 'string' ? ` (${user.username})` : ''}`;
    for (const field of ['username', 'passwordHash'] as const) {
      if (typeof user[field] !== 'string' || user[field] === '') throw new Error(`${where} has no ${field}`);
    }
    if (seen.has(user.username!)) throw new Error(`${where}: the username is listed twice`);
    seen.add(user.username!);
    if (!Array.isArray(user.roles) || user.roles.length === 0) throw new Error(`${where} has no roles (a list, e.g. roles: [finance])`);
    for (const role of user.roles) {
      if (!(knownRoles as readonly string[]).includes(role)) throw new Error(`${where}: unknown role '${String(role)}' (known: ${knownRoles.join(', ')})`);
    }
    if (user.roles.includes('sales') && (typeof user.salesperson !== 'string' || user.salesperson === '')) {
      throw new Error(`${where} has the sales role but no salesperson (whose customers they see)`);
    }
    return { displayName: user.username!, ...user } as UserRecord;
  });
}

function publicUser(user: UserRecord): PublicUser {
  return {
    username: user.username,
    displayName: user.displayName,
    roles: [...user.roles],
    ...(user.salesperson ? { salesperson: user.salesperson } : {}),
  };
}

export class Authenticator {
  /**
   * The secret as a key object, made once. Given the string, jsonwebtoken first tries to
   * parse it as a PEM public key on every verify and falls back to a secret key when that
   * throws: about a millisecond per request on the one event loop (profiled at 20
   * concurrent clients).
   */
  private readonly key: KeyObject;

  constructor(secret: string, private readonly users: UserRecord[]) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  signIn(username: unknown, password: unknown): { token: string; expiresAt: string; user: PublicUser } {
    const user = this.users.find((candidate) => candidate.username === username);
    // Check a password even for unknown users so timing does not reveal which names exist.
    const passwordOk = verifyPassword(String(password ?? ''), user?.passwordHash ?? this.users[0]?.passwordHash ?? '');
    if (!user || !passwordOk) throw new AuthError('wrong username or password');
    const context: SecurityContext = {
      sub: user.username,
      roles: [...user.roles],
      name: user.displayName,
      ...(user.salesperson ? { salesperson: user.salesperson } : {}),
    };
    const token = jwt.sign(context, this.key, { algorithm: 'HS256', expiresIn: tokenLifetimeSeconds });
    return { token, expiresAt: new Date(Date.now() + tokenLifetimeSeconds * 1000).toISOString(), user: publicUser(user) };
  }

  /**
   * The security context of a request's Authorization header; throws AuthError when it
   * is missing, expired, not signed with the API secret by HS256 (alg "none" included),
   * or claims roles or a salesperson the users file does not give that user now (a
   * token outlives neither a removed user nor a withdrawn role).
   */
  verify(authorization: string | undefined): SecurityContext {
    if (!authorization) throw new AuthError('authorization header is missing');
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    let context: SecurityContext;
    try {
      context = jwt.verify(token, this.key, { algorithms: ['HS256'] }) as SecurityContext;
    } catch (error) {
      throw new AuthError(`invalid token: ${(error as Error).message}`);
    }
    const user = this.users.find((candidate) => candidate.username === context.sub);
    if (!user) throw new AuthError('invalid token: unknown user');
    if (!Array.isArray(context.roles) || context.roles.length === 0) throw new AuthError('invalid token: no roles');
    const notGiven = context.roles.filter((role) => !user.roles.includes(role));
    if (notGiven.length > 0) throw new AuthError(`invalid token: role ${notGiven.join(', ')} was not given to ${user.username}`);
    if ((context.salesperson ?? null) !== (user.salesperson ?? null)) throw new AuthError('invalid token: salesperson does not match the user');
    return context;
  }
}
