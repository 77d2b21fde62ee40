{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['from_month', 'to_month', 'dimension', 'from_value', 'to_value'],
    pre_hook="{{ portfolio_class_changes() }}",
    post_hook=[
        "delete from {{ this }} where customers = 0",
        "{{ portfolio_keep_history() }}",
    ],
) }}
-- Grain: one pair of months (from_month before to_month) x dimension
-- (relationship_nature, care_class, value_quadrant) x from value x to value. How many
-- customers moved from one class to another between the two months, and the revenue and
-- contribution margin of their evidence window at to_month (the revenue involved). A
-- customer with no class at from_month (not yet in the data; for the quadrant, a month
-- before the quadrant history began for that customer) comes from `new`.
-- A table of every pair of months (about 13,000 rows at 20,000 or 100,000 customers), so
-- any two months are a filter away, computed from runs of months in one class per
-- customer (macros/management/portfolio_moves.sql).
-- Incremental by changed customer (docs/performance.md, "The class moves by changed
-- customer"): the rows are sums over customers, and a move into a month depends only on
-- the customer's classes up to that month. So the pre-hook compares every customer's
-- classified months with those the mart was last computed from (kept beside it, in
-- <this>__history), and the build adds, from each changed customer's first changed month
-- on, its moves now and subtracts its moves then; a row left with no customer is deleted.
-- Without a kept history (a full refresh, the first build) the mart is computed whole.
{%- set kept = portfolio_kept_history() if is_incremental() else none %}
{%- set first_month_now = "(select min(month) from " ~ ref('int_management__months') ~ ")" %}
{%- if is_incremental() and kept is not none %}
with changes as (
    select * from portfolio_class_changes
),

-- The changed customers' histories, now and as kept.
now_history as (
    select history.* from ({{ portfolio_class_history() }}) as history
    semi join changes using (customer_id, dimension)
),

kept_history as (
    select customer_id, month, dimension, class_value, revenue, contribution_margin
    from {{ kept }}
    semi join changes using (customer_id, dimension)
),

-- Of those, the histories with a classified month from the first changed month on: only
-- moves into those months are recomputed. On the day that opens a month that is every
-- history now, but as kept only those changed in an earlier month.
now_moved as (
    select * from now_history
    semi join (
        select customer_id, dimension from now_history
        inner join changes using (customer_id, dimension)
        where now_history.month >= changes.from_month
    ) using (customer_id, dimension)
),

kept_moved as (
    select * from kept_history
    semi join (
        select customer_id, dimension from kept_history
        inner join changes using (customer_id, dimension)
        where kept_history.month >= changes.from_month
    ) using (customer_id, dimension)
),

moves as (
    select * from ({{ portfolio_moves('now_moved', first_month_now, 'changes') }})
    union all
    select * replace (-customers as customers, -revenue as revenue, -contribution_margin as contribution_margin)
    from ({{ portfolio_moves('kept_moved', '(select min(months_first) from ' ~ kept ~ ')', 'changes') }})
),

change as (
    select from_month, to_month, dimension, from_value, to_value,
        sum(customers) as customers,
        sum(revenue) as revenue,
        sum(contribution_margin) as contribution_margin
    from moves
    group by all
    having sum(customers) <> 0 or sum(revenue) <> 0 or sum(contribution_margin) <> 0
)

select
    change.from_month,
    change.to_month,
    change.dimension,
    change.from_value,
    change.to_value,
    {{ whole_count('coalesce(built.customers, 0) + change.customers') }} as customers,
    {{ money('coalesce(built.revenue, 0) + change.revenue') }} as revenue,
    {{ money('coalesce(built.contribution_margin, 0) + change.contribution_margin') }} as contribution_margin
from change
left join {{ this }} as built using (from_month, to_month, dimension, from_value, to_value)
{%- else %}
with history as (
    {{ portfolio_class_history() }}
)

select
    from_month,
    to_month,
    dimension,
    from_value,
    to_value,
    {{ whole_count('customers') }} as customers,
    {{ money('revenue') }} as revenue,
    {{ money('contribution_margin') }} as contribution_margin
from ({{ portfolio_moves('history', first_month_now) }})
{%- endif %}
