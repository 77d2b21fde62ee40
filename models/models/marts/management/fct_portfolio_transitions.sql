{{ config(materialized='table') }}
-- Grain: one pair of months (from_month before to_month) x dimension
-- (relationship_nature, care_class, value_quadrant) x from value x to value. How many
-- customers moved from one class to another between the two months, and the revenue and
-- contribution margin of their evidence window at to_month (the revenue involved). A
-- customer with no class at from_month (not yet in the data; for the quadrant, a month
-- before the quadrant history began for that customer) comes from `new`.
-- A table of every pair of months (about 13,000 rows at 20,000 or 100,000 customers), so
-- any two months are a filter away. It is not computed customer x pair of months (that
-- grows with months squared: 630 pairs x every customer at 36 months): each customer's
-- history is cut into runs of consecutive months in one class, each classified month is
-- paired with the earlier runs, and the runs' months are spelled out only after summing
-- over customers (docs/performance.md, "The class moves").
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
),

-- Runs of consecutive months in one class, per customer x dimension, over the months of
-- the month list before its last classified month; months with no class (before its
-- first classified month, and gaps) are runs of `new`. Found from the classified months
-- alone, by their neighbours (lag, lead): spelling out every customer x month first and
-- numbering the months within each class took 13 s of a 100,000-customer build (a window
-- over 7.6 million rows), this 3 s (docs/performance.md, "The class moves").
ordered as (
    select
        customer_id, dimension, month, class_value,
        lag(month) over by_month as previous_month,
        lag(class_value) over by_month as previous_class,
        lead(month) over by_month as next_month,
        lead(class_value) over by_month as next_class,
        max(month) over (partition by customer_id, dimension) as last_month
    from history
    window by_month as (partition by customer_id, dimension order by month)
),

in_series as (
    select * from ordered where month < last_month
),

-- A run starts where the month before is missing or of another class, and ends where the
-- month after is; the k-th start and the k-th end of a customer x dimension bound its
-- k-th run.
run_starts as (
    select customer_id, dimension, class_value, month,
        row_number() over (partition by customer_id, dimension order by month) as run
    from in_series
    where previous_month is null
        or previous_month <> month - interval 1 month
        or previous_class <> class_value
),

run_ends as (
    select customer_id, dimension, month,
        row_number() over (partition by customer_id, dimension order by month) as run
    from in_series
    where next_month = last_month
        or next_month <> month + interval 1 month
        or next_class <> class_value
),

runs as (
    select run_starts.customer_id, run_starts.dimension, run_starts.class_value,
        run_starts.month as first_month, run_ends.month as last_month
    from run_starts
    inner join run_ends using (customer_id, dimension, run)
    union all
    -- `new` from the month list's first month up to the first classified month ...
    select customer_id, dimension, 'new', (select min(month) from months), (min(month) - interval 1 month)::date
    from history
    group by customer_id, dimension
    having min(month) > (select min(month) from months)
    union all
    -- ... and over each gap between two classified months.
    select customer_id, dimension, 'new', (month + interval 1 month)::date, (next_month - interval 1 month)::date
    from ordered
    where next_month > month + interval 1 month
),

-- Each classified month against each earlier run of the same customer: every month of the
-- run before the classified month moves from the run's class to the month's class. Summed
-- over customers by run bounds before the months are spelled out.
moves_by_run as (
    select
        to_class.month as to_month,
        to_class.dimension,
        runs.class_value as from_value,
        to_class.class_value as to_value,
        runs.first_month,
        least(runs.last_month, to_class.month - interval 1 month)::date as last_month,
        count(*) as customers,
        sum(to_class.revenue) as revenue,
        sum(to_class.contribution_margin) as contribution_margin
    from history as to_class
    inner join runs
        on runs.customer_id = to_class.customer_id
        and runs.dimension = to_class.dimension
        and runs.first_month < to_class.month
    group by all
)

select
    months.month as from_month,
    moves_by_run.to_month,
    moves_by_run.dimension,
    moves_by_run.from_value,
    moves_by_run.to_value,
    {{ whole_count('sum(moves_by_run.customers)') }} as customers,
    {{ money('sum(moves_by_run.revenue)') }} as revenue,
    {{ money('sum(moves_by_run.contribution_margin)') }} as contribution_margin
from moves_by_run
inner join months on months.month between moves_by_run.first_month and moves_by_run.last_month
group by all
