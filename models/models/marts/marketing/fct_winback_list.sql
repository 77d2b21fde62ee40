-- Grain: one resolved customer with a delivered order who is due a win-back offer
-- ("we have missed you"), for one or more of these reasons (each a flag):
--   no_purchase_within_limit - no purchase in the last var marketing.winback.no_purchase_days;
--   overdue_vs_rhythm        - at least rhythm_min_purchases purchase days and days since
--                              the last purchase > rhythm_multiple x the median days
--                              between the customer's purchase days;
--   missed_season            - (var marketing.winback.seasonal) bought within
--                              season_window_days of this day last year and not within
--                              the last season_window_days.
-- Every candidate is a row; exclusion_reason (unsubscribed, bounced, no_email,
-- no_consent) says why one is left off the list that is sent.
{%- set winback = var('marketing')['winback'] %}
with as_of as (
    select as_of from {{ ref('int_marketing__as_of') }}
),

purchase_days as (
    select distinct customer_id, ordered_on
    from {{ ref('fct_order_lines') }}
),

intervals as (
    select
        customer_id,
        ordered_on,
        date_diff('day', lag(ordered_on) over (partition by customer_id order by ordered_on), ordered_on) as days_since_previous
    from purchase_days
),

rhythm as (
    select
        customer_id,
        count(*) as purchase_days,
        median(days_since_previous) as median_interval_days
    from intervals
    group by customer_id
),

season as (
    select
        purchase_days.customer_id,
        bool_or(abs(date_diff('day', purchase_days.ordered_on, as_of.as_of - interval 1 year)) <= {{ winback['season_window_days'] }}) as bought_last_season,
        bool_or(purchase_days.ordered_on > as_of.as_of - {{ winback['season_window_days'] }}) as bought_this_season
    from purchase_days
    cross join as_of
    group by purchase_days.customer_id
),

candidates as (
    select
        rfm.customer_id,
        rfm.as_of,
        rfm.last_purchase_on,
        rfm.recency_days as days_since_last_purchase,
        rhythm.purchase_days,
        rhythm.median_interval_days,
        rfm.recency_days / nullif(rhythm.median_interval_days, 0) as overdue_ratio,
        rfm.recency_days > {{ winback['no_purchase_days'] }} as no_purchase_within_limit,
        coalesce(
            rhythm.purchase_days >= {{ winback['rhythm_min_purchases'] }}
            and rfm.recency_days > {{ winback['rhythm_multiple'] }} * rhythm.median_interval_days,
            false
        ) as overdue_vs_rhythm,
        {%- if winback['seasonal'] %}
        season.bought_last_season and not season.bought_this_season as missed_season,
        {%- else %}
        false as missed_season,
        {%- endif %}
        rfm.monetary as lifetime_revenue,
        rfm.rfm_segment
    from {{ ref('fct_customer_rfm') }} as rfm
    inner join rhythm using (customer_id)
    inner join season using (customer_id)
)

select
    candidates.*,
    case
        when candidates.no_purchase_within_limit then 'no_purchase_within_limit'
        when candidates.overdue_vs_rhythm then 'overdue_vs_rhythm'
        else 'missed_season'
    end as winback_reason,
    profitability.gross_margin as lifetime_gross_margin,
    value.predicted_revenue_value as predicted_revenue,
    value.predicted_margin_value as predicted_margin,
    value.probability_alive,
    channel.preferred_channel,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    consent.exclusion_reason,
    consent.exclusion_reason is null as may_contact
from candidates
inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
inner join {{ ref('dim_customers') }} as customers using (customer_id)
left join {{ ref('int_marketing__preferred_channel') }} as channel using (customer_id)
left join {{ ref('fct_customer_profitability') }} as profitability using (customer_id)
left join {{ ref('fct_customer_value') }} as value using (customer_id)
where candidates.no_purchase_within_limit or candidates.overdue_vs_rhythm or candidates.missed_season
