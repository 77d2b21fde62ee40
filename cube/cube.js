// Configuration of the Cube project in this folder. The official Cube server (Docker
// image cubejs/cube, docs/cube-server.md) reads it as its cube.js; the embedded server
// (cube/server) loads the same file and hands contextToGroups and dialectFactory to Cube's
// CompilerApi, so both plan the same SQL and enforce the access policies on the views the
// same way (docs/access.md).

const { DuckDBDriver } = require('@cubejs-backend/duckdb-driver');

// The roles a token may carry. A role outside this list maps to no group.
const roles = ['management', 'finance', 'marketing', 'sales', 'service'];

/**
 * Cube's DuckDB dialect with time filters compared as plain timestamps. Cube casts a
 * date-range bound to TIMESTAMPTZ (`?::timestamptz`); every time column of the marts is
 * a plain DATE or TIMESTAMP, so DuckDB then converts the column, row by row, through the
 * time-zone library and cannot skip row groups by their min/max. On the bench's
 * 100,000-customer warehouse a year of the customer x month margins took 165-200 ms to
 * filter that way and 18 ms as plain timestamps (docs/performance.md). Cube sends the
 * bounds as UTC instants ("2025-11-01T00:00:00.000Z"), and the marts' dates and times are
 * UTC, so a plain comparison selects the same rows (test/api/time-filters.test.ts).
 */
class DuckDBPlainTimeQuery extends DuckDBDriver.dialectClass() {
  timeStampCast(value) {
    return `${value}::timestamp`;
  }

  // Before truncating a time column to a month or day, Cube converts it to the query's
  // time zone: timezone('UTC', column::timestamptz), again through the time-zone library
  // row by row (every customer x month margin by month: 272 ms, against 76 ms cast as
  // below). It also reads the plain column as the DuckDB session's local time: on a
  // server in Helsinki, November's figures fell into October. The marts' times are UTC,
  // so a UTC query needs no conversion; a query in another time zone still converts.
  convertTz(field) {
    return this.timezone === 'UTC' ? `${field}::timestamp` : super.convertTz(field);
  }
}

module.exports = {
  // Cube asks for the SQL dialect per data source; the warehouse is DuckDB.
  dialectFactory: ({ dbType } = {}) => (dbType === 'duckdb' ? DuckDBPlainTimeQuery : undefined),

  // The dashboard's lists (the portfolio's customers, the service customers, the SLA
  // breaches, a customer's contacts) ask for one row per customer, case or contact with
  // `ungrouped: true`: without it Cube groups by every column of the list, and at 100,000
  // customers that GROUP BY over 17 columns took 105-280 ms where the same rows ungrouped
  // took 10-83 ms (docs/performance.md). Cube accepts an ungrouped query only with the
  // primary key of every cube joined among its dimensions, and a view's member is not its
  // cube's key by name, so the check is off here; a list is only asked ungrouped where
  // its joins cannot repeat a row, which test/api/ungrouped-lists.warehouse.test.ts
  // checks against the same query grouped. The API refuses an ungrouped query with
  // measures (cube/server/query-input.ts): ungrouped, a measure is each row's own value,
  // finer than the access policies grant it.
  allowUngroupedWithoutPrimaryKey: true,

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
