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
  /** Row rules checked part by part (a view whose parts each carry their own owner column). */
  partRules?: readonly PartRowRule[];
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
  'finance.profit_decile',
  'finance.ranked_contribution_margin',
  'finance.period_loss_making_customers',
  'finance.lifetime_contribution_margin',
  'finance.predicted_margin',
  'finance.predicted_margin_value',
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

const financeAccess: ViewAccess = {
  view: 'finance',
  rowRule: { ownerDimension: 'finance.owner_salesperson', customerDimension: 'finance.customer_id', totalMeasure: 'finance.line_revenue' },
  roles: {
    management: { allowed: [...financeRevenueAndCustomers, ...financeCostAndMargin], hidden: [] },
    finance: { allowed: [...financeRevenueAndCustomers, ...financeCostAndMargin], hidden: [] },
    marketing: { allowed: financeRevenueAndCustomers, hidden: financeCostAndMargin },
    sales: { allowed: financeRevenueAndCustomers, hidden: financeCostAndMargin, rowsOwnedBy: 'salesperson' },
    service: { allowed: [], hidden: [...financeRevenueAndCustomers, ...financeCostAndMargin] },
  },
};

/**
 * A row rule of one part of a view, checked against the warehouse read directly: a
 * salesperson's count of the part is the mart's rows whose owner (or handler) column
 * names them, and every row the API gives them names them in one of those columns.
 */
export interface PartRowRule {
  part: string;
  /** A count measure of the part. */
  countMeasure: string;
  /** The part's owner dimension and, where a salesperson can also handle a row, the handler dimension. */
  ownerDimension: string;
  handlerDimension?: string;
  /** The same count in SQL over the mart: `?` is the salesperson (bound once per `?`). */
  expectedSql: string;
}

/** The service view's money members: hidden from the service role. */
const serviceCostAndMargin = ['service.customer_lifetime_contribution_margin', 'service.customer_contribution_margin', 'service.customer_gross_margin'] as const;
const serviceRevenueAndPipeline = [
  'service.customer_lifetime_net_revenue',
  'service.customer_net_revenue',
  'service.customer_pipeline_value',
  'service.customer_open_pipeline_value',
  'service.opportunity_amount',
  'service.opportunity_open_value',
  'service.opportunity_won_value',
] as const;

const serviceCases = [
  'service.case_count',
  'service.case_customers',
  'service.case_sla_met_pct',
  'service.case_case_id',
  'service.case_customer_name',
  'service.case_account_owner',
  'service.case_handled_by',
  'service.case_subject',
  'service.case_breaches_only',
] as const;
const serviceCustomersWithoutMoney = [
  'service.customer_count',
  'service.customer_complaining_customers',
  'service.customer_customer_id',
  'service.customer_customer_name',
  'service.customer_account_owner',
  'service.customer_last_contact_subject',
  'service.customer_complaint_count',
] as const;
const serviceOpportunityCounts = ['service.opportunity_count', 'service.opportunity_win_rate_pct', 'service.opportunity_salesperson', 'service.opportunity_stage'] as const;
const serviceStages = ['service.stage_reached', 'service.stage_conversion_pct', 'service.stage_stage', 'service.stage_salesperson'] as const;
const serviceActivities = ['service.activity_count', 'service.activity_visits', 'service.activity_salesperson', 'service.activity_subject'] as const;
const serviceContacts = ['service.contact_count', 'service.contact_handled_by', 'service.contact_subject', 'service.contact_customer_name'] as const;
const serviceMentions = ['service.mention_count', 'service.mention_linked_pct', 'service.mention_handle', 'service.mention_text', 'service.mention_campaign_name'] as const;
const servicePlans = [
  'service.plan_count',
  'service.plan_owner',
  'service.plan_planned_visits',
  'service.plan_visits_made',
  'service.plan_customer_name',
  'service.plan_behind_on_visits',
  'service.plan_behind_on_revenue',
] as const;
/** The care plans' revenue: money, so not for the service role; sales see their own plans' (the plan part's row rule). */
const servicePlanRevenue = ['service.plan_target_revenue', 'service.plan_target_revenue_to_date', 'service.plan_revenue_made'] as const;
const serviceWithoutMoney = [
  ...serviceCases,
  ...serviceCustomersWithoutMoney,
  ...serviceOpportunityCounts,
  ...serviceStages,
  ...serviceActivities,
  ...serviceContacts,
  ...serviceMentions,
  ...servicePlans,
];

/** The marketing view's margin members: hidden from marketing and sales. */
const marketingMargin = [
  'marketing.lifetime_gross_margin',
  'marketing.predicted_margin',
  'marketing.predicted_margin_value',
  'marketing.winback_list_predicted_margin',
  'marketing.winback_list_predicted_margin_value',
  'marketing.campaign_sends_attributed_gross_margin',
  'marketing.referrals_referred_gross_margin',
] as const;
const marketingSegmentsListsAndRevenue = [
  'marketing.count',
  'marketing.contactable_count',
  'marketing.customer_id',
  'marketing.rfm_segment',
  'marketing.owner_salesperson',
  'marketing.lifetime_revenue',
  'marketing.predicted_revenue',
  'marketing.contactable',
  'marketing.winback_list_count',
  'marketing.lead_list_count',
  'marketing.reminder_list_count',
  'marketing.campaign_sends_sent',
  'marketing.campaign_sends_attributed_revenue',
  'marketing.referrals_referred_revenue',
  'marketing.customer_preferences_count',
  'marketing.export_email',
] as const;

/** Owned (or handled) by the salesperson: `?` bound to them. */
const ownedOrHandled = (table: string, handler: string) => `SELECT count(*) AS n FROM ${table} WHERE account_owner = ? OR ${handler} = ?`;
const owned = (table: string) => `SELECT count(*) AS n FROM ${table} WHERE account_owner = ?`;

export const serviceRowRules: readonly PartRowRule[] = [
  { part: 'cases', countMeasure: 'service.case_count', ownerDimension: 'service.case_account_owner', expectedSql: owned('service.fct_cases') },
  { part: 'customers', countMeasure: 'service.customer_count', ownerDimension: 'service.customer_account_owner', expectedSql: owned('service.dim_service_customers') },
  {
    part: 'opportunities',
    countMeasure: 'service.opportunity_count',
    ownerDimension: 'service.opportunity_account_owner',
    handlerDimension: 'service.opportunity_salesperson',
    expectedSql: ownedOrHandled('service.fct_opportunities', 'salesperson'),
  },
  {
    part: 'pipeline stages',
    countMeasure: 'service.stage_reached',
    ownerDimension: 'service.stage_account_owner',
    handlerDimension: 'service.stage_salesperson',
    expectedSql: ownedOrHandled('service.fct_opportunity_stages', 'salesperson'),
  },
  {
    part: 'activities',
    countMeasure: 'service.activity_count',
    ownerDimension: 'service.activity_account_owner',
    handlerDimension: 'service.activity_salesperson',
    expectedSql: ownedOrHandled('service.fct_sales_activities', 'salesperson'),
  },
  {
    part: 'contacts',
    countMeasure: 'service.contact_count',
    ownerDimension: 'service.contact_account_owner',
    handlerDimension: 'service.contact_handled_by',
    expectedSql: ownedOrHandled('service.fct_customer_contacts', 'handled_by'),
  },
  { part: 'mentions', countMeasure: 'service.mention_count', ownerDimension: 'service.mention_account_owner', expectedSql: owned('service.fct_social_mentions') },
  // Care plans belong to the salesperson responsible for the plan.
  { part: 'care plans', countMeasure: 'service.plan_count', ownerDimension: 'service.plan_owner', expectedSql: 'SELECT count(*) AS n FROM management.fct_account_plan_progress WHERE owner = ?' },
];

export const marketingRowRules: readonly PartRowRule[] = [
  {
    part: 'customers',
    countMeasure: 'marketing.count',
    ownerDimension: 'marketing.owner_salesperson',
    expectedSql: 'SELECT count(*) AS n FROM marketing.dim_marketing_customers WHERE owner_salesperson = ?',
  },
  {
    part: 'campaign e-mails',
    countMeasure: 'marketing.campaign_sends_sent',
    ownerDimension: 'marketing.owner_salesperson',
    expectedSql: `SELECT count(*) AS n FROM marketing.fct_campaign_sends JOIN marketing.dim_marketing_customers USING (customer_id) WHERE owner_salesperson = ?`,
  },
  {
    part: 'win-back list',
    countMeasure: 'marketing.winback_list_count',
    ownerDimension: 'marketing.owner_salesperson',
    expectedSql: `SELECT count(*) AS n FROM marketing.fct_winback_list JOIN marketing.dim_marketing_customers USING (customer_id) WHERE owner_salesperson = ?`,
  },
];

const serviceAccess: ViewAccess = {
  view: 'service',
  partRules: serviceRowRules,
  roles: {
    management: { allowed: [...serviceWithoutMoney, ...serviceCostAndMargin, ...serviceRevenueAndPipeline, ...servicePlanRevenue], hidden: [] },
    // Finance: the parts holding money (customers, opportunities), nothing else.
    finance: {
      allowed: [...serviceCustomersWithoutMoney, ...serviceCostAndMargin, ...serviceRevenueAndPipeline, ...serviceOpportunityCounts],
      hidden: [...serviceCases, ...serviceStages, ...serviceActivities, ...serviceContacts, ...serviceMentions, ...servicePlans, ...servicePlanRevenue],
    },
    // Marketing: the social mentions only.
    marketing: {
      allowed: serviceMentions,
      hidden: [
        ...serviceCases,
        ...serviceCustomersWithoutMoney,
        ...serviceOpportunityCounts,
        ...serviceActivities,
        ...serviceContacts,
        ...servicePlans,
        ...servicePlanRevenue,
        ...serviceCostAndMargin,
        ...serviceRevenueAndPipeline,
      ],
    },
    sales: { allowed: [...serviceWithoutMoney, ...serviceRevenueAndPipeline, ...servicePlanRevenue], hidden: serviceCostAndMargin, rowsOwnedBy: 'salesperson' },
    service: { allowed: serviceWithoutMoney, hidden: [...serviceCostAndMargin, ...serviceRevenueAndPipeline, ...servicePlanRevenue] },
  },
};

const marketingAccess: ViewAccess = {
  view: 'marketing',
  partRules: marketingRowRules,
  roles: {
    management: { allowed: [...marketingSegmentsListsAndRevenue, ...marketingMargin], hidden: [] },
    finance: { allowed: [...marketingSegmentsListsAndRevenue, ...marketingMargin], hidden: [] },
    marketing: { allowed: marketingSegmentsListsAndRevenue, hidden: marketingMargin },
    sales: { allowed: marketingSegmentsListsAndRevenue, hidden: marketingMargin, rowsOwnedBy: 'salesperson' },
    service: { allowed: [], hidden: [...marketingSegmentsListsAndRevenue, ...marketingMargin] },
  },
};


/** The management view's margin and what is ranked by it: hidden from marketing and sales. */
const managementMargin = [
  'management.gross_margin',
  'management.contribution_margin',
  'management.current_value',
  'management.potential_value',
  'management.current_value_cut',
  'management.current_value_band',
  'management.potential_value_band',
  'management.potential',
  'management.value_quadrant',
] as const;
const managementCustomerParts = [
  'management.customer_count',
  'management.revenue',
  'management.customer_id',
  'management.customer_name',
  'management.account_owner',
  'management.care_class',
  'management.relationship_nature',
  'management.month_customers',
  'management.customer_months',
  'management.month_care_class',
  'management.plans',
  'management.actual_revenue',
  'management.plan_owner',
  'management.behind_indicator',
] as const;
/** Company-wide parts with no owner to filter on: hidden from sales. */
const managementCompanyParts = ['management.moved_customers', 'management.moved_revenue', 'management.indicator', 'management.level_reached'] as const;

export const managementRowRules: readonly PartRowRule[] = [
  { part: 'customers', countMeasure: 'management.customer_count', ownerDimension: 'management.account_owner', expectedSql: owned('management.fct_customer_portfolio') },
  {
    part: 'account plans',
    countMeasure: 'management.plans',
    ownerDimension: 'management.account_owner',
    expectedSql: 'SELECT count(*) AS n FROM management.fct_account_plan_progress JOIN management.fct_customer_portfolio AS portfolio USING (customer_id) WHERE portfolio.account_owner = ?',
  },
];

const managementAccess: ViewAccess = {
  view: 'management',
  partRules: managementRowRules,
  roles: {
    management: { allowed: [...managementCustomerParts, ...managementCompanyParts, ...managementMargin], hidden: [] },
    finance: { allowed: [...managementCustomerParts, ...managementCompanyParts, ...managementMargin], hidden: [] },
    marketing: { allowed: [...managementCustomerParts, ...managementCompanyParts], hidden: managementMargin },
    sales: { allowed: managementCustomerParts, hidden: [...managementMargin, ...managementCompanyParts], rowsOwnedBy: 'salesperson' },
    service: { allowed: [], hidden: [...managementCustomerParts, ...managementCompanyParts, ...managementMargin] },
  },
};

export const accessMatrix: readonly ViewAccess[] = [financeAccess, serviceAccess, marketingAccess, managementAccess];
