// Sign-in and token checks. The dashboard signs in with a username and password and
// receives a JWT signed with the API secret; every Cube API request must carry a valid
// one (Authorization: Bearer <token>, or the bare token as Cube's clients send it). The
// secret never leaves the server.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jwt from 'jsonwebtoken';
import { parse } from 'yaml';
import { verifyPassword } from './passwords.ts';

export interface UserRecord {
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
}

/** What a token carries; Cube calls this the security context. */
export interface SecurityContext {
  sub: string;
  role: string;
  name: string;
}

export class AuthError extends Error {}

const tokenLifetime = '8h';

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

export function readUsers(file: string): UserRecord[] {
  const document = parse(readFileSync(file, 'utf8')) as { users?: Partial<UserRecord>[] };
  return (document.users ?? []).map((user, index) => {
    for (const field of ['username', 'role', 'passwordHash'] as const) {
      if (typeof user[field] !== 'string' || user[field] === '') throw new Error(`${file}: user ${index + 1} has no ${field}`);
    }
    return { displayName: user.username!, ...user } as UserRecord;
  });
}

export class Authenticator {
  constructor(private readonly secret: string, private readonly users: UserRecord[]) {}

  signIn(username: unknown, password: unknown): { token: string; user: Omit<UserRecord, 'passwordHash'> } {
    const user = this.users.find((candidate) => candidate.username === username);
    // Check a password even for unknown users so timing does not reveal which names exist.
    const passwordOk = verifyPassword(String(password ?? ''), user?.passwordHash ?? this.users[0]?.passwordHash ?? '');
    if (!user || !passwordOk) throw new AuthError('wrong username or password');
    const context: SecurityContext = { sub: user.username, role: user.role, name: user.displayName };
    const token = jwt.sign(context, this.secret, { algorithm: 'HS256', expiresIn: tokenLifetime });
    return { token, user: { username: user.username, displayName: user.displayName, role: user.role } };
  }

  /** The security context of a request's Authorization header; throws AuthError when missing or invalid. */
  verify(authorization: string | undefined): SecurityContext {
    if (!authorization) throw new AuthError('authorization header is missing');
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    try {
      return jwt.verify(token, this.secret, { algorithms: ['HS256'] }) as SecurityContext;
    } catch (error) {
      throw new AuthError(`invalid token: ${(error as Error).message}`);
    }
  }
}
