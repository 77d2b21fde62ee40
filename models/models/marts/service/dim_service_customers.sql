-- Grain: one resolved customer (core.dim_customers): what sales and service need on one
-- line - the account owner, the last contact (who, what, when; from dim_customers),
-- helpdesk cases and complaints (open, SLA breaches, repeat complainer from
-- var('service').repeat_complaint_min complaints), the customer's margin over the whole
-- history (finance.fct_customer_profitability: net revenue, gross and contribution
-- margin), the open pipeline and won value, sales activities and social mentions.
-- Row-level access: account_owner.
with cases as (
    select
        customer_id,
        count(*) as case_count,
        count(*) filter (where is_open) as open_case_count,
        count(*) filter (where is_sla_breached) as breached_case_count,
        count(*) filter (where is_complaint) as complaint_count,
        count(*) filter (where is_complaint and is_open) as open_complaint_count,
        count(*) filter (where is_complaint and is_sla_breached) as breached_complaint_count,
        min(opened_at) filter (where is_complaint) as first_complaint_at,
        max(opened_at) filter (where is_complaint) as last_complaint_at
    from {{ ref('fct_cases') }}
    where customer_id is not null
    group by customer_id
),

pipeline as (
    select
        customer_id,
        count(*) filter (where is_open) as open_opportunity_count,
        {{ money('sum(open_value)') }} as open_pipeline_value,
        {{ money('sum(won_value)') }} as won_value
    from {{ ref('fct_opportunities') }}
    where customer_id is not null
    group by customer_id
),

activities as (
    select
        customer_id,
        count(*) filter (where activity_type = 'visit') as visit_count,
        count(*) filter (where activity_type = 'call') as call_count,
        count(*) filter (where activity_type = 'email') as email_count
    from {{ ref('fct_sales_activities') }}
    where customer_id is not null
    group by customer_id
),

mentions as (
    select
        customer_id,
        count(*) as mention_count,
        count(*) filter (where sentiment = 'negative') as negative_mention_count
    from {{ ref('fct_social_mentions') }}
    where customer_id is not null
    group by customer_id
)

select
    customers.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    customers.city,
    owners.account_owner,
    customers.last_contact_at,
    customers.last_contact_type,
    customers.last_contact_by,
    customers.last_contact_subject,
    customers.last_purchase_on,
    coalesce(cases.case_count, 0) as case_count,
    coalesce(cases.open_case_count, 0) as open_case_count,
    coalesce(cases.breached_case_count, 0) as breached_case_count,
    coalesce(cases.complaint_count, 0) as complaint_count,
    coalesce(cases.open_complaint_count, 0) as open_complaint_count,
    coalesce(cases.breached_complaint_count, 0) as breached_complaint_count,
    coalesce(cases.complaint_count, 0) >= {{ var('service')['repeat_complaint_min'] }} as is_repeat_complainer,
    cases.first_complaint_at,
    cases.last_complaint_at,
    coalesce(profitability.net_revenue, 0) as net_revenue,
    coalesce(profitability.gross_margin, 0) as gross_margin,
    coalesce(profitability.contribution_margin, 0) as contribution_margin,
    coalesce(pipeline.open_opportunity_count, 0) as open_opportunity_count,
    coalesce(pipeline.open_pipeline_value, 0) as open_pipeline_value,
    coalesce(pipeline.won_value, 0) as won_value,
    coalesce(activities.visit_count, 0) as visit_count,
    coalesce(activities.call_count, 0) as call_count,
    coalesce(activities.email_count, 0) as email_count,
    coalesce(mentions.mention_count, 0) as mention_count,
    coalesce(mentions.negative_mention_count, 0) as negative_mention_count
from {{ ref('dim_customers') }} as customers
left join {{ ref('int_customer_account_owner') }} as owners using (customer_id)
left join cases using (customer_id)
left join pipeline using (customer_id)
left join activities using (customer_id)
left join mentions using (customer_id)
left join {{ ref('fct_customer_profitability') }} as profitability using (customer_id)
