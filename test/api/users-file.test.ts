// The users file grants roles, so a file that would grant something unclear is refused
// when the server starts, naming the user and the problem.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUsers } from '../../cube/server/auth.ts';
import { usersFile } from '../../config/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usersFrom(yaml: string) {
  const file = join(dir, `users-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return () => readUsers(file);
}

const hash = 'scrypt$00$00';

describe('users file', () => {
  it('reads the shipped demo users: every role, two salespeople, one user with two roles', () => {
    const users = readUsers(usersFile());
    expect(new Set(users.flatMap((user) => user.roles))).toEqual(new Set(['management', 'finance', 'marketing', 'sales', 'service']));
    expect(users.filter((user) => user.roles.includes('sales')).map((user) => user.salesperson)).toEqual(expect.arrayContaining(['Kaisa Lehto', 'Jari Mäntylä']));
    expect(users.some((user) => user.roles.length > 1)).toBe(true);
  });

  it.each([
    ['an unknown role', `users:\n  - { username: a, roles: [admin], passwordHash: "${hash}" }\n`, /user 1 \(a\): unknown role 'admin'/],
    ['no roles', `users:\n  - { username: a, passwordHash: "${hash}" }\n`, /user 1 \(a\) has no roles/],
    ['a role as a string', `users:\n  - { username: a, roles: finance, passwordHash: "${hash}" }\n`, /has no roles \(a list/],
    ['sales without a salesperson', `users:\n  - { username: a, roles: [sales], passwordHash: "${hash}" }\n`, /has the sales role but no salesperson/],
    ['a duplicate username', `users:\n  - { username: a, roles: [finance], passwordHash: "${hash}" }\n  - { username: a, roles: [service], passwordHash: "${hash}" }\n`, /user 2 \(a\): the username is listed twice/],
    ['no password hash', `users:\n  - { username: a, roles: [finance] }\n`, /user 1 \(a\) has no passwordHash/],
  ])('refuses %s', (_label, yaml, message) => {
    expect(usersFrom(yaml)).toThrow(message);
  });
});
