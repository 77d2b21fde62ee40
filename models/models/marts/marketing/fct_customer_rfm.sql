-- Grain: one resolved customer with at least one delivered order. RFM after Hughes
-- (Strategic Database Marketing, 1994): recency = days from the last purchase to as_of,
-- frequency = delivered orders, monetary = net revenue after returns and credits
-- (finance.fct_order_lines). Each is scored 1..5 (the segment grid below is drawn for five) by the
-- customer's place in the distribution: score = 1 + floor(levels x percent_rank), at
-- most levels, so equal values get equal scores (the lowest of their tie) and the best
-- customers get the top score; recency is ranked most-days-first so recent = high.
-- fm_score = (frequency score + monetary score) / 2 rounded half up.
-- The named segment is a cell of the recency x fm grid (docs/marketing.md, after the
-- common R x FM segment table, e.g. docs.churned.io's RFM model):
--   R \ FM    1             2             3                4                5
--   5     new_customers potential_l.  potential_l.    champions        champions
--   4     promising     potential_l.  potential_l.    loyal_customers  loyal_customers
--   3     about_to_sleep about_to_sl. need_attention  loyal_customers  loyal_customers
--   2     hibernating   hibernating   at_risk         at_risk          cannot_lose_them
--   1     hibernating   hibernating   at_risk         at_risk          cannot_lose_them
{%- set levels = 5 %}
with orders as (
    select
        customer_id,
        order_id,
        min(ordered_on) as ordered_on,
        sum(net_revenue) as net_revenue
    from {{ ref('fct_order_lines') }}
    group by customer_id, order_id
),

customers as (
    select
        orders.customer_id,
        max(orders.ordered_on) as last_purchase_on,
        date_diff('day', max(orders.ordered_on), as_of.as_of) as recency_days,
        count(*) as frequency,
        {{ money('sum(orders.net_revenue)') }} as monetary,
        any_value(as_of.as_of) as as_of
    from orders
    cross join {{ ref('int_marketing__as_of') }} as as_of
    group by orders.customer_id, as_of.as_of
),

scored as (
    select
        *,
        least({{ levels }}, 1 + floor({{ levels }} * percent_rank() over (order by recency_days desc)))::integer as recency_score,
        least({{ levels }}, 1 + floor({{ levels }} * percent_rank() over (order by frequency)))::integer as frequency_score,
        least({{ levels }}, 1 + floor({{ levels }} * percent_rank() over (order by monetary)))::integer as monetary_score
    from customers
),

with_fm as (
    select *, ((frequency_score + monetary_score + 1) // 2)::integer as fm_score
    from scored
)

select
    customer_id,
    as_of,
    last_purchase_on,
    recency_days,
    frequency,
    monetary,
    recency_score,
    frequency_score,
    monetary_score,
    fm_score,
    recency_score::varchar || frequency_score::varchar || monetary_score::varchar as rfm_code,
    case
        when recency_score = 5 and fm_score >= 4 then 'champions'
        when recency_score = 5 and fm_score >= 2 then 'potential_loyalists'
        when recency_score = 5 then 'new_customers'
        when recency_score = 4 and fm_score >= 4 then 'loyal_customers'
        when recency_score = 4 and fm_score >= 2 then 'potential_loyalists'
        when recency_score = 4 then 'promising'
        when recency_score = 3 and fm_score >= 4 then 'loyal_customers'
        when recency_score = 3 and fm_score = 3 then 'need_attention'
        when recency_score = 3 then 'about_to_sleep'
        when fm_score = 5 then 'cannot_lose_them'
        when fm_score >= 3 then 'at_risk'
        else 'hibernating'
    end as rfm_segment
from with_fm
