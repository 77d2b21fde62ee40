{#- The class moves behind management.fct_portfolio_transitions (docs/performance.md,
    "The class moves" and "The class moves by changed customer"). -#}

{#- Every classified month of every customer, one row per customer x dimension x month:
    the relationship nature and care class of each customer month, and the value quadrant
    of each month the portfolio was decided for, with the revenue and contribution margin
    of that month's evidence window. -#}
{% macro portfolio_class_history() -%}
    select customer_id, month, 'relationship_nature' as dimension, relationship_nature as class_value,
        net_revenue_in_window as revenue, contribution_margin_in_window as contribution_margin
    from {{ ref('fct_care_class_monthly') }}
    union all
    select customer_id, month, 'care_class', care_class, net_revenue_in_window, contribution_margin_in_window
    from {{ ref('fct_care_class_monthly') }}
    union all
    select customer_id, as_of_month, 'value_quadrant', value_quadrant, revenue_in_window, contribution_margin_in_window
    from {{ ref('fct_value_quadrant_history') }}
{%- endmacro %}

{#- The moves of `history` (columns as portfolio_class_history), summed over customers:
    one row per from_month x to_month x dimension x from value x to value, unrounded.
    `first_month` is the month list's first month (months before a customer's first
    classified month count as `new` from there). With `changes` (a relation of customer_id,
    dimension, from_month), only the moves into months from each customer's from_month
    on: those are the only ones a change from that month can alter, since a move into a
    month depends on the customer's classes up to that month alone.
    Each customer's history is cut into runs of consecutive months in one class, each
    classified month is paired with the earlier runs, and the runs' months are spelled out
    only after summing over customers: computed customer x pair of months it grows with
    months squared (630 pairs x every customer at 36 months). -#}
{% macro portfolio_moves(history, first_month, changes=none) -%}
    with
    -- Runs of consecutive months in one class, per customer x dimension, over the months
    -- before its last classified month; months with no class (before its first classified
    -- month, and gaps) are runs of `new`. Found from the classified months alone, by their
    -- neighbours (lag, lead): spelling out every customer x month first and numbering the
    -- months within each class took 13 s of a 100,000-customer build (a window over 7.6
    -- million rows), this 3 s.
    ordered as (
        select
            customer_id, dimension, month, class_value,
            lag(month) over by_month as previous_month,
            lag(class_value) over by_month as previous_class,
            lead(month) over by_month as next_month,
            lead(class_value) over by_month as next_class,
            max(month) over (partition by customer_id, dimension) as last_month
        from {{ history }}
        window by_month as (partition by customer_id, dimension order by month)
    ),

    in_series as (
        select * from ordered where month < last_month
    ),

    -- A run starts where the month before is missing or of another class, and ends where
    -- the month after is; the k-th start and the k-th end of a customer x dimension bound
    -- its k-th run.
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
        select customer_id, dimension, 'new', {{ first_month }}, (min(month) - interval 1 month)::date
        from {{ history }}
        group by customer_id, dimension
        having min(month) > {{ first_month }}
        union all
        -- ... and over each gap between two classified months.
        select customer_id, dimension, 'new', (month + interval 1 month)::date, (next_month - interval 1 month)::date
        from ordered
        where next_month > month + interval 1 month
    ),

    to_class as (
        select history.* from {{ history }} as history
        {%- if changes is not none %}
        inner join {{ changes }} as changes
            on changes.customer_id = history.customer_id
            and changes.dimension = history.dimension
            and history.month >= changes.from_month
        {%- endif %}
    ),

    -- Each classified month against each earlier run of the same customer: every month of
    -- the run before the classified month moves from the run's class to the month's class.
    -- Summed over customers by run bounds before the months are spelled out.
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
        from to_class
        inner join runs
            on runs.customer_id = to_class.customer_id
            and runs.dimension = to_class.dimension
            and runs.first_month < to_class.month
        group by all
    )

    select
        spelled.from_month::date as from_month,
        moves_by_run.to_month,
        moves_by_run.dimension,
        moves_by_run.from_value,
        moves_by_run.to_value,
        sum(moves_by_run.customers) as customers,
        sum(moves_by_run.revenue) as revenue,
        sum(moves_by_run.contribution_margin) as contribution_margin
    from moves_by_run
    cross join unnest(generate_series(moves_by_run.first_month, moves_by_run.last_month, interval 1 month)) as spelled(from_month)
    group by all
{%- endmacro %}

{#- The classified months the transitions were last computed from, kept beside the mart by
    its post-hook (portfolio_keep_history): customer_id, month, dimension, class_value,
    revenue, contribution_margin and months_first, the month list's first month then.
    None before the mart's first build with it. -#}
{% macro portfolio_kept_history() -%}
    {%- if execute and this is not none -%}
        {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier ~ '__history')) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The mart's pre-hook: which customer x dimension histories changed since the mart was
    last computed, and from which month (temp table portfolio_class_changes: customer_id,
    dimension, from_month). Compared row for row with the kept history (a class, revenue or
    margin changed, a month added or gone); when the month list's first month moved,
    every history changed from its start. Without a kept history (a full refresh, the
    first build, or a mart built before it was kept), every history counts as changed and
    the mart is computed whole; an existing mart is emptied first so that none of its old
    rows stays. -#}
{% macro portfolio_class_changes() -%}
    {%- set kept = portfolio_kept_history() -%}
    {%- set first_month = "(select min(month) from " ~ ref('int_management__months') ~ ")" -%}
    {%- if is_incremental() and kept is not none %}
    create or replace temp table portfolio_class_changes as
    with now_history as ({{ portfolio_class_history() }}),
    kept as (select customer_id, month, dimension, class_value, revenue, contribution_margin from {{ kept }}),
    first_month_moved as (
        select {{ first_month }} is distinct from (select min(months_first) from {{ kept }}) as moved
    )
    select customer_id, dimension, min(month) as from_month
    from now_history
    full outer join kept using (customer_id, dimension, month)
    where now_history.class_value is distinct from kept.class_value
        or now_history.revenue is distinct from kept.revenue
        or now_history.contribution_margin is distinct from kept.contribution_margin
        or (select moved from first_month_moved)
    group by customer_id, dimension
    {%- else %}
    {%- if is_incremental() %}
    delete from {{ this }};
    {%- endif %}
    create or replace temp table portfolio_class_changes as
    select customer_id, dimension, min(month) as from_month
    from (
        select customer_id, dimension, month from ({{ portfolio_class_history() }})
        {%- if kept is not none %}
        union all
        select customer_id, dimension, month from {{ kept }}
        {%- endif %}
    )
    group by customer_id, dimension
    {%- endif %}
{%- endmacro %}

{#- The mart's post-hook: the kept history takes the changed customers' months as they are
    now, from each one's first changed month on (the months before it are equal), for the
    next build to compare with. On the day that opens a month that is the new month's rows,
    not every customer's whole history. -#}
{% macro portfolio_keep_history() -%}
    {%- set kept = this.schema ~ '.' ~ this.identifier ~ '__history' -%}
    create table if not exists {{ kept }} as
    select *, null::date as months_first from ({{ portfolio_class_history() }}) where false;
    delete from {{ kept }} as kept
    using portfolio_class_changes as changes
    where kept.customer_id = changes.customer_id
        and kept.dimension = changes.dimension
        and kept.month >= changes.from_month;
    insert into {{ kept }}
    select history.*, (select min(month) from {{ ref('int_management__months') }})
    from ({{ portfolio_class_history() }}) as history
    inner join portfolio_class_changes as changes
        on changes.customer_id = history.customer_id
        and changes.dimension = history.dimension
        and history.month >= changes.from_month;
    drop table portfolio_class_changes
{%- endmacro %}
