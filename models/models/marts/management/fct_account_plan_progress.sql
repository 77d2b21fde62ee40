-- Grain: one account plan (crm.account_plans: a customer's care and activity plan for a
-- calendar year). Planned vs actual visits and target vs actual revenue (order net
-- revenue plus contract invoices) in the plan year up to the end of the data, with the
-- pro-rata targets to date and whether the plan is behind (below
-- var management.care.plan_behind_share of them).
{%- set care = var('management')['care'] %}
with erp_numbers as (
    select record_id as erp_customer_number, customer_id
    from {{ ref('int_management__customer_numbers') }}
    where source = 'erp' and entity = 'customers'
),

latest as (
    select max(month_end) as data_end from {{ ref('int_management__months') }}
),

plans as (
    select
        plans.plan_id,
        erp_numbers.customer_id,
        plans.erp_customer_number,
        plans.owner,
        plans.plan_year,
        plans.goal,
        plans.target_revenue,
        plans.planned_visits,
        plans.starts_on,
        plans.ends_on,
        plans.source_file,
        plans.source_row,
        plans.load_id
    from {{ ref('stg_crm__account_plans') }} as plans
    inner join erp_numbers on erp_numbers.erp_customer_number = plans.erp_customer_number
),

visits as (
    select plans.plan_id, count(*) as actual_visits
    from plans
    inner join {{ ref('fct_customer_events') }} as events
        on events.customer_id = plans.customer_id
        and events.event_type = 'sales_visit'
        and events.occurred_at::date between plans.starts_on and plans.ends_on
    group by plans.plan_id
),

order_revenue as (
    select plans.plan_id, {{ money('sum(lines.net_revenue)') }} as actual_order_revenue
    from plans
    inner join {{ ref('fct_order_lines') }} as lines
        on lines.customer_id = plans.customer_id
        and lines.ordered_on between plans.starts_on and plans.ends_on
    group by plans.plan_id
),

contract_revenue as (
    select plans.plan_id, {{ money('sum(invoices.net_amount)') }} as actual_contract_revenue
    from plans
    inner join {{ ref('stg_billing__invoices') }} as invoices
        on invoices.erp_customer_number = plans.erp_customer_number
        and invoices.contract_id is not null
        and invoices.invoice_date between plans.starts_on and plans.ends_on
    group by plans.plan_id
),

measured as (
    select
        plans.*,
        coalesce(visits.actual_visits, 0) as actual_visits,
        coalesce(order_revenue.actual_order_revenue, 0) as actual_order_revenue,
        coalesce(contract_revenue.actual_contract_revenue, 0) as actual_contract_revenue,
        -- Share of the plan period gone by the end of the data, 0..1.
        greatest(0, least(1,
            (date_diff('day', plans.starts_on, least(plans.ends_on, latest.data_end)) + 1)
            / (date_diff('day', plans.starts_on, plans.ends_on) + 1)::double
        )) as elapsed_share
    from plans
    cross join latest
    left join visits using (plan_id)
    left join order_revenue using (plan_id)
    left join contract_revenue using (plan_id)
)

select
    plan_id,
    customer_id,
    erp_customer_number,
    owner,
    plan_year,
    goal,
    planned_visits,
    actual_visits,
    planned_visits * elapsed_share as planned_visits_to_date,
    target_revenue,
    {{ money('actual_order_revenue + actual_contract_revenue') }} as actual_revenue,
    actual_order_revenue,
    actual_contract_revenue,
    target_revenue * elapsed_share as target_revenue_to_date,
    elapsed_share,
    actual_visits / nullif(planned_visits * elapsed_share, 0) as visit_attainment,
    (actual_order_revenue + actual_contract_revenue) / nullif(target_revenue * elapsed_share, 0) as revenue_attainment,
    actual_visits < {{ care['plan_behind_share'] }} * planned_visits * elapsed_share as is_behind_on_visits,
    actual_order_revenue + actual_contract_revenue < {{ care['plan_behind_share'] }} * target_revenue * elapsed_share as is_behind_on_revenue,
    starts_on,
    ends_on,
    source_file,
    source_row,
    load_id
from measured
