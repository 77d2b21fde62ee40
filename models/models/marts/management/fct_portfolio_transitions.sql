{{ config(materialized='view') }}
-- Grain: one pair of months (from_month before to_month) x dimension
-- (relationship_nature, care_class, value_quadrant) x from value x to value. How many
-- customers moved from one class to another between the two months, and the revenue and
-- contribution margin of their evidence window at to_month (the revenue involved). A
-- customer with no class at from_month (not yet in the data; for the quadrant, a month
-- before the quadrant history began for that customer) comes from `new`.
-- A view over the monthly history (fct_care_class_monthly, fct_value_quadrant_history):
-- any two months can be compared, and a query for two months (the page's Sankey) reads
-- only those two months' rows, since the filters on from_month and to_month reach the
-- history through the joins. Materializing every pair of months multiplied the history
-- by the number of months.
with history as (
    select customer_id, month, 'relationship_nature' as dimension, relationship_nature as class_value,
        net_revenue_in_window as revenue, contribution_margin_in_window as contribution_margin
    from {{ ref('fct_care_class_monthly') }}
    union all
    select customer_id, month, 'care_class', care_class, net_revenue_in_window, contribution_margin_in_window
    from {{ ref('fct_care_class_monthly') }}
    union all
    select customer_id, as_of_month, 'value_quadrant', value_quadrant, revenue_in_window, contribution_margin_in_window
    from {{ ref('fct_value_quadrant_history') }}
),

months as (
    select month from {{ ref('int_management__months') }}
)

select
    from_months.month as from_month,
    to_class.month as to_month,
    to_class.dimension,
    coalesce(from_class.class_value, 'new') as from_value,
    to_class.class_value as to_value,
    count(*) as customers,
    sum(to_class.revenue) as revenue,
    sum(to_class.contribution_margin) as contribution_margin
from history as to_class
inner join months as from_months on from_months.month < to_class.month
left join history as from_class
    on from_class.customer_id = to_class.customer_id
    and from_class.dimension = to_class.dimension
    and from_class.month = from_months.month
group by all
