-- Grain: one resolved customer: everything the segment builder filters on and the
-- figures it sums, in one row per customer so a segment's size is a count and its
-- revenue a sum. Who (type, region, city), purchase behaviour (RFM, last purchase,
-- product groups bought), campaigns clicked, survey answers, the lists the customer is
-- on, whole-history revenue and margin (finance.fct_customer_profitability), predicted
-- 12-month value (finance.fct_customer_value), whether marketing may e-mail them and why
-- not, and the newsletter tool's subscriber import columns for the export; the
-- customer's relationship nature and A-D care class as of the latest month, taken as they
-- are from management.fct_customer_portfolio (the rules live there only); and the
-- customer's owner (core.dim_customers.owner_salesperson) for the sales role's row-level
-- access.
-- Many-valued attributes are kept as '|'-delimited text ('|Kiukaat|Tarvikkeet|'), so a
-- condition "bought Kiukaat" is a contains on '|Kiukaat|' and several conditions can be
-- combined with and.
with customers as (
    select customer_id, customer_name, customer_type, region, city, owner_salesperson, first_purchase_on
    from {{ ref('dim_customers') }}
),

product_groups as (
    select customer_id, '|' || string_agg(distinct product_group, '|' order by product_group) || '|' as product_groups_bought
    from {{ ref('fct_order_lines') }}
    group by customer_id
),

campaigns_clicked as (
    select customer_id, '|' || string_agg(distinct campaign_id, '|' order by campaign_id) || '|' as campaigns_clicked
    from {{ ref('fct_campaign_sends') }}
    where is_clicked
    group by customer_id
),

preferences as (
    select customer_id, '|' || string_agg(preference_key, '|' order by preference_key) || '|' as survey_answers
    from {{ ref('fct_customer_preferences') }}
    group by customer_id
),

winback as (
    select customer_id, winback_reason from {{ ref('fct_winback_list') }}
),

leads as (
    select customer_id, count(*) as lead_count, max(first_clicked_at) as last_lead_at
    from {{ ref('fct_lead_list') }}
    group by customer_id
),

referrals as (
    select referrer_customer_id as customer_id, count(*) as referrals_made, {{ money('sum(referred_revenue)') }} as referred_revenue
    from {{ ref('fct_referrals') }}
    where referrer_customer_id is not null
    group by referrer_customer_id
)

select
    customers.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    customers.city,
    -- The salesperson who owns the customer: the sales role's row-level access filters on it.
    customers.owner_salesperson,
    rfm.recency_days,
    rfm.frequency,
    rfm.monetary,
    rfm.recency_score,
    rfm.frequency_score,
    rfm.monetary_score,
    rfm.fm_score,
    rfm.rfm_code,
    coalesce(rfm.rfm_segment, 'no_purchases') as rfm_segment,
    customers.first_purchase_on,
    rfm.last_purchase_on,
    rfm.recency_days as days_since_last_purchase,
    channel.preferred_channel,
    portfolio.relationship_nature,
    portfolio.care_class,
    coalesce(product_groups.product_groups_bought, '') as product_groups_bought,
    coalesce(campaigns_clicked.campaigns_clicked, '') as campaigns_clicked,
    coalesce(preferences.survey_answers, '') as survey_answers,
    winback.customer_id is not null as is_on_winback_list,
    winback.winback_reason,
    coalesce(leads.lead_count, 0) > 0 as is_lead,
    coalesce(referrals.referrals_made, 0) as referrals_made,
    coalesce(referrals.referred_revenue, 0) as referred_revenue,
    coalesce(profitability.net_revenue, 0) as lifetime_revenue,
    coalesce(profitability.gross_margin, 0) as lifetime_gross_margin,
    coalesce(profitability.contribution_margin, 0) as lifetime_contribution_margin,
    value.predicted_revenue_value as predicted_revenue,
    value.predicted_margin_value as predicted_margin,
    consent.exclusion_reason,
    consent.exclusion_reason is null as may_contact,
    consent.export_subscriber_id,
    consent.export_email,
    consent.export_first_name,
    consent.export_last_name,
    consent.export_subscribed_at,
    consent.export_updated_at
from customers
inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
left join {{ ref('fct_customer_rfm') }} as rfm using (customer_id)
left join {{ ref('int_marketing__preferred_channel') }} as channel using (customer_id)
left join {{ ref('fct_customer_portfolio') }} as portfolio using (customer_id)
left join product_groups using (customer_id)
left join campaigns_clicked using (customer_id)
left join preferences using (customer_id)
left join winback using (customer_id)
left join leads using (customer_id)
left join referrals using (customer_id)
left join {{ ref('fct_customer_profitability') }} as profitability using (customer_id)
left join {{ ref('fct_customer_value') }} as value using (customer_id)
