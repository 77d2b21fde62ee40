// Who sees what, as data: role x view x members (allowed and hidden) and the row rule.
// The persona test (access.warehouse.test.ts) runs every line of it over the REST API. A new view
// adds one entry here with its policy (docs/access.md says how); nothing else in the
// test changes.

export type Role = 'management' | 'finance' | 'marketing' | 'sales' | 'service';

/** The demo users of config/users.yml that hold one role each (password "demo"). */
export const demoUserOf: Record<Role, string> = {
  management: 'management',
  finance: 'finance',
  marketing: 'marketing',
  sales: 'sales',
  service: 'service',
};

/** Two salespeople: each sees only the customers they own, never the other's. */
export const salespeople = [
  { username: 'sales', salesperson: 'Kaisa Lehto' },
  { username: 'sales2', salesperson: 'Jari Mäntylä' },
] as const;

export interface RoleAccess {
  /** Members the role must be able to query (each is asked alone and answers 200). */
  allowed: readonly string[];
  /** Members the role must be refused, however they are asked. */
  hidden: readonly string[];
  /** Row-level rule: only rows whose `member` equals the user's salesperson. */
  rowsOwnedBy?: 'salesperson';
}

export interface ViewAccess {
  view: string;
  /** A measure to total a row rule by, and the dimension that names the row's owner. */
  rowRule?: { ownerDimension: string; customerDimension: string; totalMeasure: string };
  roles: Record<Role, RoleAccess>;
}

/** The finance view's cost and margin members: hidden from marketing and sales. */
const financeCostAndMargin = [
  'finance.cost',
  'finance.gross_margin',
  'finance.gross_margin_pct',
  'finance.cost_to_serve',
  'finance.cost_complaints',
  'finance.contribution_margin',
  'finance.contribution_margin_pct',
  'finance.product_cost',
  'finance.product_gross_margin',
  'finance.unit_cost',
  'finance.line_cost',
  'finance.line_gross_margin',
  'finance.profitability_rank',
  'finance.is_loss_making',
  'finance.loss_making_customers',
  'finance.top_share_of_profit',
  'finance.lifetime_contribution_margin',
  'finance.predicted_margin',
] as const;

const financeRevenueAndCustomers = [
  'finance.customer_id',
  'finance.customer_name',
  'finance.region',
  'finance.owner_salesperson',
  'finance.revenue',
  'finance.net_sales',
  'finance.order_count',
  'finance.customer_count',
  'finance.product_revenue',
  'finance.line_revenue',
  'finance.predicted_revenue',
  'finance.probability_alive',
] as const;

export const accessMatrix: readonly ViewAccess[] = [
  {
    view: 'finance',
    rowRule: { ownerDimension: 'finance.owner_salesperson', customerDimension: 'finance.customer_id', totalMeasure: 'finance.line_revenue' },
    roles: {
      management: { allowed: [...financeRevenueAndCustomers, ...financeCostAndMargin], hidden: [] },
      finance: { allowed: [...financeRevenueAndCustomers, ...financeCostAndMargin], hidden: [] },
      marketing: { allowed: financeRevenueAndCustomers, hidden: financeCostAndMargin },
      sales: { allowed: financeRevenueAndCustomers, hidden: financeCostAndMargin, rowsOwnedBy: 'salesperson' },
      service: { allowed: [], hidden: [...financeRevenueAndCustomers, ...financeCostAndMargin] },
    },
  },
];
