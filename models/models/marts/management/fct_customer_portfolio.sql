-- Grain: one resolved customer, as of the latest month. The value portfolio (seed 002,
-- after Mäntyneva): current value = contribution margin of the trailing evidence window
-- (12 months by default); potential value = the predicted margin of the next 12 months
-- (finance.fct_customer_value) plus the headroom an account plan still targets this year
-- (target revenue not yet reached, at the customer's historical gross margin %). A value
-- at or above the var management.portfolio cut percentile over the valued customers
-- (those with a purchase) is high:
--   high current, high potential  most_valuable
--   low current,  high potential  exploit_potential
--   high current, low potential   retain
--   low current,  low potential   improve_or_let_go (stop investing in developing it)
-- With the customer's latest relationship nature and care class and their flags, and the
-- customer's name and region (core.dim_customers): the management customer list and the
-- drill behind an indicator read one table instead of joining every customer to the
-- customer dimension for a page of 15 (and again for its count).
{%- set cuts = var('management')['portfolio'] %}
with latest as (
    -- Less what records when the care class was built.
    select * exclude (built_through_load_id, built_at) from {{ ref('fct_care_class_monthly') }} where is_latest
),

value as (
    select customer_id, predicted_margin_value, historical_margin_ratio
    from {{ ref('fct_customer_value') }}
),

plans as (
    select customer_id, sum(greatest(0, target_revenue - actual_revenue)) as plan_revenue_headroom
    from {{ ref('fct_account_plan_progress') }}
    where plan_year = (select max(year(month)) from {{ ref('int_management__months') }})
    group by customer_id
),

valued as (
    select
        latest.*,
        latest.contribution_margin_in_window as current_value,
        value.predicted_margin_value,
        coalesce(plans.plan_revenue_headroom, 0) as plan_revenue_headroom,
        coalesce(plans.plan_revenue_headroom, 0) * coalesce(value.historical_margin_ratio, 0) as plan_margin_headroom,
        case when value.customer_id is not null
            then coalesce(value.predicted_margin_value, 0) + coalesce(plans.plan_revenue_headroom, 0) * coalesce(value.historical_margin_ratio, 0)
        end as potential_value
    from latest
    left join value using (customer_id)
    left join plans using (customer_id)
),

cut_points as (
    select
        quantile_cont(current_value, {{ cuts['current_value_cut_percentile'] }}) as current_value_cut,
        quantile_cont(potential_value, {{ cuts['potential_value_cut_percentile'] }}) as potential_value_cut
    from valued
    where potential_value is not null
)

-- Money as DECIMAL(18,2) and counts as BIGINT, not the DECIMAL(38,2)/HUGEINT their sums
-- have upstream: every value of one customer fits (18 digits are 10^16 EUR), and DuckDB
-- scans 128-bit columns several times slower, which the management customer list, the
-- indicator drill and the account plans pay on every opening (docs/performance.md).
select
    valued.customer_id,
    customers.customer_name,
    valued.customer_type,
    customers.region,
    valued.month as as_of_month,
    case
        when valued.potential_value is null then 'not_valued'
        when valued.current_value >= cut_points.current_value_cut and valued.potential_value >= cut_points.potential_value_cut then 'most_valuable'
        when valued.potential_value >= cut_points.potential_value_cut then 'exploit_potential'
        when valued.current_value >= cut_points.current_value_cut then 'retain'
        else 'improve_or_let_go'
    end as value_quadrant,
    valued.current_value::decimal(18, 2) as current_value,
    valued.potential_value,
    valued.predicted_margin_value,
    valued.plan_revenue_headroom::decimal(18, 2) as plan_revenue_headroom,
    valued.plan_margin_headroom,
    cut_points.current_value_cut::decimal(18, 2) as current_value_cut,
    cut_points.potential_value_cut,
    valued.net_revenue_in_window::decimal(18, 2) as revenue_in_window,
    valued.gross_margin_in_window::decimal(18, 2) as gross_margin_in_window,
    valued.contribution_margin_in_window::decimal(18, 2) as contribution_margin_in_window,
    valued.relationship_nature,
    valued.nature_rule,
    valued.care_class,
    valued.care_class_rule,
    valued.flag_a_without_care_plan,
    valued.flag_plan_visits_behind,
    valued.flag_plan_revenue_behind,
    valued.flag_d_growth_signal,
    valued.account_owner,
    valued.orders_in_window::bigint as orders_in_window,
    valued.purchase_months_in_window::bigint as purchase_months_in_window,
    valued.discounted_share_in_window,
    valued.contracts_in_force,
    valued.is_network_partner,
    valued.referrals_given::bigint as referrals_given,
    valued.history_months,
    valued.has_care_plan
from valued
cross join cut_points
left join {{ ref('dim_customers') }} as customers on customers.customer_id = valued.customer_id
