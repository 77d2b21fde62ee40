// English messages. This table defines the message keys; every other language must
// provide the same keys (checked by the compiler through `Messages`).
import { serviceEn } from './service.ts';

import { marketingEn } from './marketing.ts';
import { managementEn } from './management.ts';

export const en = {
  ...managementEn,
  'app.name': 'Asiakkuus',
  'app.tagline': 'Customer-relationship analytics',
  'app.skipToContent': 'Skip to content',

  'header.signedInAs': 'Signed in as',
  'header.pages': 'Pages',
  'header.signOut': 'Sign out',
  'header.language': 'Language',

  'role.finance': 'Finance',
  'role.management': 'Management',
  'role.marketing': 'Marketing',
  'role.sales': 'Sales',
  'role.service': 'Customer service',

  'access.noPages': 'No page of this dashboard is available for your role yet.',
  'access.hiddenPages': 'Hidden for your role: {pages}',
  'access.pageHidden': 'The {page} page is not available for your role.',
  'access.hiddenValue': 'hidden for your role',

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

  'finance.title': "Finance",
  'finance.intro': "Which customers and products make or lose money, and what each customer is worth. Euros; returns and credit notes count in the month of the original order.",
  'finance.period': "Period {from} – {to}",

  'filters.label': "Filters",
  'filters.from': "From",
  'filters.to': "To",
  'filters.customerType': "Customer type",
  'filters.region': "Region",
  'filters.all': "All",
  'filters.reset': "Reset filters",

  'segment.customerType': "Customer type",
  'segment.region': "Region",
  'segment.city': "City",

  'customerType.business': "Business",
  'customerType.consumer': "Consumer",

  'kpi.revenue': "Net revenue",
  'kpi.grossMargin': "Gross margin",
  'kpi.contributionMargin': "Contribution margin",
  'kpi.marginPct': "Gross margin %",
  'kpi.contributionPct': "Contribution margin {value}",
  'kpi.costToServe': "Cost-to-serve {value}",
  'kpi.vsPrevious': "vs {from} – {to}",
  'kpi.noPrevious': "No previous period to compare with",
  'kpi.changePoints': "{value} pp",

  'monthly.title': "Revenue and margin by month",
  'monthly.subtitle': "Net revenue (bars), gross margin (line) and gross margin % (dashed, right axis)",
  'monthly.revenue': "Net revenue",
  'monthly.grossMargin': "Gross margin",
  'monthly.grossMarginPct': "Gross margin %",
  'monthly.chartLabel': "Chart of net revenue and gross margin for {count} months, {from} – {to}.",

  'customers.title': "Margin per customer",
  'customers.subtitle': "Customers with sales or cost-to-serve in the period. Choose a customer for its products, months and order lines.",
  'customers.search': "Search customers",
  'customers.searchPlaceholder': "Name or id",
  'customers.customer': "Customer",
  'customers.revenue': "Net revenue",
  'customers.cost': "Cost of goods",
  'customers.grossMargin': "Gross margin",
  'customers.grossMarginPct': "Margin %",
  'customers.costToServe': "Cost-to-serve",
  'customers.contributionMargin': "Contribution margin",
  'customers.orders': "Orders",
  'customers.predictedMargin': "Value, next 12 mo",
  'customers.predictedMarginHint': "Predicted gross margin of the next 12 months (BG/NBD and Gamma-Gamma, discounted)",
  'customers.sortBy': "Sort by {column}",
  
  'customers.previous': "Previous",
  'customers.next': "Next",
  'customers.export': "Export CSV",
  'customers.exporting': "Exporting…",
  'customers.noMatch': "No customer matches “{search}”.",
  'customers.open': "Show {name}",

  'pager.showing': '{from}–{to} of {total}',
  'detail.title': "Customer: {name}",
  'detail.close': "Close",
  'detail.byProduct': "Margin per product",
  'detail.byMonth': "Margin per month",
  'detail.noPurchases': "No purchases in the period.",
  'detail.lines': "Order lines behind the figures",
  'detail.linesFor': "Order lines of {product}",
  'detail.allProducts': "Show all products",
  'detail.product': "Product",
  'detail.group': "Group",
  'detail.quantity': "Units",
  'detail.returned': "Returned",
  'detail.date': "Date",
  'detail.order': "Order / line",
  'detail.price': "Unit price",
  'detail.unitCost': "Unit cost",
  'detail.netSales': "Net sales",
  'detail.returnsAndCredits': "Returns & credits",
  'detail.documents': "Invoice / returns / credit notes",
  'detail.showLines': "Show order lines of {product}",

  'heatmap.title': "Customer × product margin",
  'heatmap.subtitle': "Gross margin of the {count} customers with the highest gross margin, per product",
  'heatmap.chartLabel': "Heatmap of gross margin for {rows} customers and {columns} products.",

  'segmentMatrix.title': "Segment × product group margin",
  'segmentMatrix.subtitle': "Gross margin per segment and product group",
  'segmentMatrix.segmentBy': "Segment by",
  'segmentMatrix.chartLabel': "Heatmap of gross margin for {rows} segments and {columns} product groups.",

  'whale.title': "Customer profitability (whale curve)",
  'whale.subtitle': "Cumulative share of contribution margin, customers ranked from most to least profitable",
  'whale.summary': "The top {share} of customers earn {top} of the contribution margin; {lossMakers} of {customers} customers lose money; profit peaks at {peak} with the top {peakCustomers}.",
  'whale.customerShare': "Share of customers",
  'whale.profitShare': "Share of contribution margin",
  'whale.chartLabel': "Whale curve of {customers} customers: cumulative share of contribution margin against cumulative share of customers.",

  'deciles.title': "Contribution margin per decile",
  'deciles.subtitle': "Customers in ten equal groups, most profitable first",
  'deciles.group': "Decile {group}",
  'deciles.chartLabel': "Bar chart of contribution margin for ten customer deciles.",
  'deciles.margin': "Contribution margin",
  ...serviceEn,
  ...marketingEn,
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
