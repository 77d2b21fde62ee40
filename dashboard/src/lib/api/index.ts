// The dashboard's one data-access module. Components import from here only; the
// Cube client and the HTTP details stay inside this folder.
export { ApiError, type ApiErrorKind } from './errors.ts';
export { session, signIn, signOut, type Session, type SignOutReason, type User } from './session.svelte.ts';
export {
  loadMonthlyMargin,
  loadTopCustomers,
  type LoadOptions,
  type MonthlyMargin,
  type MonthlyMarginSeries,
  type TopCustomer,
  type TopCustomers,
} from './finance.ts';
export { financeMembers, monthlyMarginQuery, topCustomersQuery, type DateRange } from './queries.ts';
