{{ config(
    materialized='incremental',
    unique_key=['from_month', 'to_month', 'dimension', 'from_value', 'to_value'],
    pre_hook="{{ portfolio_class_changes() }}",
    post_hook=[
        "delete from {{ this }} where customers = 0",
        "{{ portfolio_keep() }}",
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
-- the customer's classes up to that month. The pre-hook compares every customer's
-- classified months with those the mart was last computed from (kept beside it, with
-- their runs) and cuts the changed histories into runs; the build adds, from each changed
-- customer's first changed month on, its moves now and subtracts its moves then; a row
-- left with no customer is deleted. Without the kept history (a full refresh, the first
-- build) the mart is computed whole.
{%- if portfolio_by_change() %}
with changes as (
    select * from portfolio_class_changes
),

-- The months whose moves are recomputed, now and as they were: from each changed
-- customer's first changed month on (on the day that opens a month, the new month).
to_class_now as (
    select * from portfolio_changed_history
),

to_class_kept as (
    select history.customer_id, history.month, history.dimension, history.class_value,
        history.revenue, history.contribution_margin
    from {{ portfolio_kept('history') }} as history
    inner join changes
        on changes.customer_id = history.customer_id
        and changes.dimension = history.dimension
        and history.month >= changes.from_month
),

runs_kept as (
    select * from {{ portfolio_kept('runs') }}
    semi join changes using (customer_id, dimension)
),

moves as (
    select * from ({{ portfolio_moves('to_class_now', 'portfolio_runs_now') }})
    union all
    select * replace (-customers as customers, -revenue as revenue, -contribution_margin as contribution_margin)
    from ({{ portfolio_moves('to_class_kept', 'runs_kept') }})
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
),

-- The runs as the pre-hook cut them (the post-hook keeps them); in a unit test, which
-- runs no hooks, cut here (its overrides set portfolio_runs_cut_by_hook false).
runs as (
    {%- if portfolio_runs_cut_by_hook() %}
    select * from portfolio_runs_now
    {%- else %}
    select * from ({{ portfolio_runs('history', portfolio_first_month()) }})
    {%- endif %}
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
from ({{ portfolio_moves('history', 'runs') }})
{%- endif %}
