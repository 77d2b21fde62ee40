-- Grain: one pair of months (from_month before to_month) x dimension (relationship_nature,
-- care_class) x from value x to value. How many customers moved from one class to another
-- between the two months and the revenue and contribution margin of their evidence
-- window at to_month (the revenue involved). A customer not yet in the data at from_month
-- comes from `new`. Every pair of months is here, so any two can be compared.
with classes as (
    select customer_id, month, relationship_nature, care_class, net_revenue_in_window, contribution_margin_in_window
    from {{ ref('fct_care_class_monthly') }}
),

months as (
    select month from {{ ref('int_management__months') }}
),

pairs as (
    select from_months.month as from_month, to_months.month as to_month
    from months as from_months
    inner join months as to_months on to_months.month > from_months.month
),

-- Materialized once: both dimensions are counted from the same moves.
moves as materialized (
    select
        pairs.from_month,
        pairs.to_month,
        to_class.customer_id,
        coalesce(from_class.relationship_nature, 'new') as from_nature,
        to_class.relationship_nature as to_nature,
        coalesce(from_class.care_class, 'new') as from_class,
        to_class.care_class as to_class,
        to_class.net_revenue_in_window as revenue,
        to_class.contribution_margin_in_window as contribution_margin
    from pairs
    inner join classes as to_class on to_class.month = pairs.to_month
    left join classes as from_class on from_class.customer_id = to_class.customer_id and from_class.month = pairs.from_month
)

select
    from_month, to_month, 'relationship_nature' as dimension, from_nature as from_value, to_nature as to_value,
    count(*) as customers, sum(revenue) as revenue, sum(contribution_margin) as contribution_margin
from moves
group by all
union all
select
    from_month, to_month, 'care_class', from_class, to_class,
    count(*), sum(revenue), sum(contribution_margin)
from moves
group by all
