// The Authenticator verifies tokens with the API secret made into a key object once
// (auth.ts): tokens it signs, and tokens any HS256 signer made with the same secret
// string (the official Cube server's CUBEJS_API_SECRET), verify; others do not.
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AuthError, Authenticator } from '../../cube/server/auth.ts';
import { hashPassword } from '../../cube/server/passwords.ts';

const secret = 'the-api-secret-of-this-test';
const auth = new Authenticator(secret, [{ username: 'finance', displayName: 'Finance', roles: ['finance'], passwordHash: hashPassword('demo') }]);
const claims = { sub: 'finance', roles: ['finance'], name: 'Finance' };

describe('token checks with the secret as a key object', () => {
  it('accept the tokens the sign-in gives', () => {
    const { token } = auth.signIn('finance', 'demo');
    expect(auth.verify(`Bearer ${token}`)).toMatchObject(claims);
    expect(jwt.verify(token, secret, { algorithms: ['HS256'] })).toMatchObject(claims);
  });

  it('accept a token signed with the same secret text elsewhere', () => {
    expect(auth.verify(jwt.sign(claims, secret, { expiresIn: 60 }))).toMatchObject(claims);
  });

  it.each([
    ['another secret', () => jwt.sign(claims, `${secret}-not`, { expiresIn: 60 })],
    ['no signature (alg none)', () => jwt.sign(claims, null as unknown as string, { algorithm: 'none' })],
  ])('refuse a token with %s', (_label, token) => {
    expect(() => auth.verify(token())).toThrow(AuthError);
  });
});
