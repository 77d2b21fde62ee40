// cube/cube.js maps a token's security context to Cube groups for both servers: known
// roles only, several roles give several groups, and the sales role only with a
// salesperson (its row-level policy filters on it), so a malformed token fails closed.
import { describe, expect, it } from 'vitest';
import { cubeConfigFile } from '../../config/settings.ts';
import { loadCubeConfig } from '../../cube/server/cube-config.ts';

const { contextToGroups } = loadCubeConfig(cubeConfigFile);
const groupsOf = async (securityContext: Record<string, unknown>) => contextToGroups!({ securityContext, requestId: 'test' });

describe('contextToGroups (cube/cube.js)', () => {
  it('maps each known role to its group, several roles to several groups', async () => {
    expect(await groupsOf({ roles: ['finance'] })).toEqual(['finance']);
    expect(await groupsOf({ roles: ['marketing', 'service'] })).toEqual(['marketing', 'service']);
    expect(await groupsOf({ roles: ['sales', 'marketing'], salesperson: 'Kaisa Lehto' })).toEqual(['sales', 'marketing']);
  });

  it('fails closed: unknown roles, a role string instead of a list, sales without a salesperson, no context', async () => {
    expect(await groupsOf({ roles: ['admin', 'root'] })).toEqual([]);
    expect(await groupsOf({ role: 'management' })).toEqual([]);
    expect(await groupsOf({ roles: 'management' })).toEqual([]);
    expect(await groupsOf({ roles: ['sales'] })).toEqual([]);
    expect(await groupsOf({ roles: ['sales'], salesperson: '' })).toEqual([]);
    expect(await contextToGroups!({ securityContext: undefined as never, requestId: 'test' })).toEqual([]);
  });
});
