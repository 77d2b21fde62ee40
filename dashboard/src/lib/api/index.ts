// The dashboard's one data-access module. Components import from here only; the
// Cube client and the HTTP details stay inside this folder.
export { ApiError, type ApiErrorKind } from './errors.ts';
export { exportPageSize, loadEveryRow, RowsChangedError } from './every-row.ts';
export { session, signIn, signOut, type Session, type SignOutReason, type User } from './session.svelte.ts';
export * from './finance.ts';
export * from './service.ts';
export * from './marketing.ts';
export {
  customerSortColumns,
  firstCustomerPage,
  financeMembers,
  noFilters,
  segmentDimensions,
  type CustomerSortColumn,
  type CustomerTableRequest,
  type DateRange,
  type FinanceFilters,
  type SegmentKey,
} from './queries.ts';
export * from './management.ts';
