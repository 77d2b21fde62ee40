-- Every helpdesk case, CRM opportunity, CRM activity and social mention of staging is
-- in its service mart exactly once, and each customer's case, complaint and activity
-- counts in dim_service_customers equal the facts; the won value of an opportunity tied
-- to an ERP order equals that order's net revenue in finance.fct_order_lines.
with counts as (
    select 'cases' as entity, (select count(*) from {{ ref('stg_helpdesk__cases') }}) as staged, (select count(*) from {{ ref('fct_cases') }}) as in_mart
    union all
    select 'opportunities', (select count(*) from {{ ref('stg_crm__opportunities') }}), (select count(*) from {{ ref('fct_opportunities') }})
    union all
    select 'activities', (select count(*) from {{ ref('stg_crm__activities') }}), (select count(*) from {{ ref('fct_sales_activities') }})
    union all
    select 'mentions', (select count(*) from {{ ref('stg_social__mentions') }}), (select count(*) from {{ ref('fct_social_mentions') }})
    union all
    select 'customer cases', (select count(*) from {{ ref('fct_cases') }} where customer_id is not null), (select sum(case_count) from {{ ref('dim_service_customers') }})
    union all
    select 'customer complaints', (select count(*) from {{ ref('fct_cases') }} where is_complaint and customer_id is not null), (select sum(complaint_count) from {{ ref('dim_service_customers') }})
    union all
    select 'customer activities', (select count(*) from {{ ref('fct_sales_activities') }} where customer_id is not null), (select sum(visit_count + call_count + email_count) from {{ ref('dim_service_customers') }})
),

won as (
    select opportunities.opportunity_id, opportunities.won_value, sum(lines.net_revenue) as order_net_revenue
    from {{ ref('fct_opportunities') }} as opportunities
    inner join {{ ref('fct_order_lines') }} as lines on lines.order_id = opportunities.erp_order_id
    where opportunities.is_won
    group by all
)

select entity, staged, in_mart, null as opportunity_id
from counts
where staged is distinct from in_mart
union all
select 'won value', won_value, order_net_revenue, opportunity_id
from won
where won_value <> order_net_revenue
