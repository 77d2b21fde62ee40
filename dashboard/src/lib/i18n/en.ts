// English messages. This table defines the message keys; every other language must
// provide the same keys (checked by the compiler through `Messages`).
export const en = {
  'app.name': 'Asiakkuus',
  'app.tagline': 'Customer-relationship analytics',
  'app.skipToContent': 'Skip to content',

  'header.signedInAs': 'Signed in as',
  'header.signOut': 'Sign out',
  'header.language': 'Language',

  'role.finance': 'Finance',
  'role.management': 'Management',
  'role.marketing': 'Marketing',

  'signIn.title': 'Sign in',
  'signIn.intro': 'Sign in with your Asiakkuus account.',
  'signIn.username': 'Username',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.wrongCredentials': 'Wrong username or password.',
  'signIn.sessionEnded': 'Your session has ended. Please sign in again.',
  'signIn.failed': 'Sign-in failed: {message}',

  'state.loading': 'Loading…',
  'state.empty': 'No data to show yet.',
  'state.error': 'The data could not be loaded.',
  'state.networkError': 'The server could not be reached. Check your connection and try again.',
  'state.retry': 'Try again',

  'finance.title': 'Finance overview',
  'finance.intro': 'Net revenue, cost of goods and gross margin from the finance view, in euros.',
  'finance.period': 'Period {from} – {to}',

  'monthly.title': 'Revenue and gross margin by month',
  'monthly.subtitle': 'Net revenue (bars) and gross margin (line) per calendar month',
  'monthly.revenue': 'Net revenue',
  'monthly.grossMargin': 'Gross margin',
  'monthly.grossMarginPct': 'Gross margin %',
  'monthly.chartLabel': 'Chart of net revenue and gross margin for {count} months, {from} – {to}.',

  'topCustomers.title': 'Top customers by gross margin',
  'topCustomers.subtitle': 'The {count} customers with the highest gross margin over all months',
  'topCustomers.rank': 'Rank',
  'topCustomers.customer': 'Customer',
  'topCustomers.revenue': 'Net revenue',
  'topCustomers.cost': 'Cost of goods',
  'topCustomers.grossMargin': 'Gross margin',
  'topCustomers.grossMarginPct': 'Margin %',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
