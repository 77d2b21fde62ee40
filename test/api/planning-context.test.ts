// Plans and cached answers are shared by every user whose security context has the same
// planning context (cube/server/planning-context.ts: roles and salesperson). That is sound
// only while the Cube project reads no other field of the security context, which this
// test checks in cube/cube.js and every model file: a policy filtering on, say,
// securityContext.region would otherwise be answered from another user's plan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cubeConfigFile, repoRoot } from '../../config/settings.ts';
import { planningContext } from '../../cube/server/planning-context.ts';
import { listModelFiles } from '../../cube/server/semantic-model.ts';

describe('planningContext', () => {
  it('keeps the roles, sorted, and the salesperson, and nothing of who the user is', () => {
    expect(planningContext({ sub: 'anna', roles: ['service', 'marketing'], iat: 1, exp: 2 } as never)).toEqual({ roles: ['marketing', 'service'], salesperson: null });
    expect(planningContext({ sub: 'kaisa', roles: ['sales'], salesperson: 'Kaisa Lehto' } as never)).toEqual({ roles: ['sales'], salesperson: 'Kaisa Lehto' });
    expect(planningContext({ roles: 'management', salesperson: 7 })).toEqual({ roles: [], salesperson: null });
  });

  it('holds every field of the security context that cube.js and the model read', () => {
    const kept = new Set(Object.keys(planningContext({})));
    const files = [cubeConfigFile, ...listModelFiles(join(repoRoot, 'cube/model'))];
    const read = new Map<string, string[]>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Any other way of reading the context (by index, whole) cannot be checked here.
      expect(/securityContext\s*\[|security_context|COMPILE_CONTEXT/.test(text), file).toBe(false);
      for (const [, field] of text.matchAll(/securityContext\??\.(\w+)/g)) read.set(field!, [...(read.get(field!) ?? []), file]);
    }
    expect([...read.keys()].sort()).toEqual(['roles', 'salesperson']);
    for (const [field, where] of read) expect(kept.has(field), `${field} (read in ${where.join(', ')})`).toBe(true);
  });
});
