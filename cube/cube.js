// Configuration of the Cube project in this folder. The official Cube server (Docker
// image cubejs/cube, docs/cube-server.md) reads it as its cube.js; the embedded server
// (cube/server) loads the same file and hands contextToGroups to Cube's CompilerApi, so
// both enforce the access policies on the views the same way (docs/access.md).

// The roles a token may carry. A role outside this list maps to no group.
const roles = ['management', 'finance', 'marketing', 'sales', 'service'];

module.exports = {
  // Access policies on views (access_policy: group: ...) match the roles that the
  // sign-in put into the JWT's security context. A user may hold several roles and gets
  // the union of what their policies grant. The sales role's row-level policy filters
  // on securityContext.salesperson, so a sales token without one maps to no sales group
  // (fails closed).
  contextToGroups: ({ securityContext }) => {
    const given = securityContext && Array.isArray(securityContext.roles) ? securityContext.roles : [];
    return given.filter(
      (role) => roles.includes(role) && (role !== 'sales' || (typeof securityContext.salesperson === 'string' && securityContext.salesperson !== '')),
    );
  },
};
