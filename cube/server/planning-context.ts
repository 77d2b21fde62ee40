// What of a security context decides a query's plan and answer (cube/server/semantic-model.ts
// keeps plans by it, result-cache.ts answers).

/**
 * The part of a security context that Cube's planning reads: contextToGroups reads the
 * roles and the salesperson, the views' row-level filters the salesperson (cube/cube.js,
 * cube/model/views). Every context with the same part gets the same plan and the same
 * answer, so plans (SemanticModel.plan) and answers (ResultCache) are kept per this part,
 * not per user: the first user of a role after a restart finds what the cache warmer
 * planned and asked under that role. A policy that reads another field of the security
 * context must add it here.
 */
export function planningContext(context: { roles?: unknown; salesperson?: unknown }): { roles: string[]; salesperson: string | null } {
  return {
    roles: Array.isArray(context.roles) ? [...(context.roles as unknown[])].map(String).sort() : [],
    salesperson: typeof context.salesperson === 'string' ? context.salesperson : null,
  };
}
