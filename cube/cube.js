// Configuration for the official Cube server (Docker image cubejs/cube), which reads the
// same data model from cube/model. The embedded server (cube/server) does not use this
// file; it applies the same rules itself. See docs/cube-server.md.
module.exports = {
  // Access policies on views (access_policy: group: ...) match the role that the
  // sign-in put into the JWT's security context.
  contextToGroups: ({ securityContext }) => (securityContext && securityContext.role ? [securityContext.role] : []),
};
