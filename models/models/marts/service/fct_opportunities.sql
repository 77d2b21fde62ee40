-- Grain: one sales opportunity in the CRM pipeline (seed 003), at its current stage,
-- joined to its resolved customer. Open = identification, marketing or
-- offer_negotiation; won = order; lost = lost. Open pipeline value is the CRM amount of
-- open opportunities; won value is the net revenue (after returns and credits,
-- finance.fct_order_lines) of the ERP order the opportunity became, or its CRM amount
-- when it names no order the ERP knows. opened_month is the pipeline cohort month;
-- closed_on the day it was won or lost.
-- Row-level access: salesperson (who works the opportunity) and account_owner (the
-- salesperson who owns the customer in the CRM).
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

customer_of_contact as (
    select record_id as contact_id, customer_id from {{ ref('int_identity_clusters') }}
    where source = 'crm' and entity = 'contacts'
),

order_revenue as (
    select order_id, {{ money('sum(net_revenue)') }} as order_net_revenue, min(ordered_on) as ordered_on
    from {{ ref('fct_order_lines') }}
    group by order_id
),

stages as (
    select
        opportunity_id,
        max(stage_rank) as highest_stage_rank,
        max(case when stage = 'marketing' then 1 else 0 end) = 1 as reached_marketing,
        max(case when stage = 'offer_negotiation' then 1 else 0 end) = 1 as reached_offer_negotiation
    from {{ ref('int_opportunity_stage_history') }}
    group by opportunity_id
),

as_of as (
    select as_of from {{ ref('int_service_as_of') }}
)

select
    opportunities.opportunity_id,
    customer_of_contact.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    customers.account_owner,
    opportunities.salesperson,
    opportunities.contact_id,
    opportunities.stage,
    case opportunities.stage when 'order' then 'won' when 'lost' then 'lost' else 'open' end as outcome,
    opportunities.stage not in ('order', 'lost') as is_open,
    opportunities.stage = 'order' as is_won,
    opportunities.stage = 'lost' as is_lost,
    stages.highest_stage_rank,
    stages.reached_marketing,
    stages.reached_offer_negotiation,
    opportunities.opened_on,
    date_trunc('month', opportunities.opened_on)::date as opened_month,
    opportunities.stage_changed_on,
    case when opportunities.stage in ('order', 'lost') then opportunities.stage_changed_on end as closed_on,
    case when opportunities.stage in ('order', 'lost') then opportunities.stage_changed_on - opportunities.opened_on end as days_to_close,
    case when opportunities.stage not in ('order', 'lost') then cast(as_of.as_of as date) - opportunities.stage_changed_on end as days_in_current_stage,
    opportunities.amount,
    case when opportunities.stage not in ('order', 'lost') then opportunities.amount else 0 end as open_value,
    opportunities.erp_order_id,
    order_revenue.order_id is not null as is_tied_to_erp_order,
    order_revenue.ordered_on as erp_ordered_on,
    order_revenue.order_net_revenue as erp_order_net_revenue,
    case when opportunities.stage = 'order' then coalesce(order_revenue.order_net_revenue, opportunities.amount) else 0 end as won_value,
    opportunities.load_id,
    opportunities.source_file,
    opportunities.source_row
from opportunities
cross join as_of
left join customer_of_contact on customer_of_contact.contact_id = opportunities.contact_id
left join {{ ref('int_customer_account_owner') }} as customers using (customer_id)
left join order_revenue on order_revenue.order_id = opportunities.erp_order_id
left join stages using (opportunity_id)
