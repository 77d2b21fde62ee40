{#- The class moves behind management.fct_portfolio_transitions (docs/performance.md,
    "The class moves" and "The class moves by changed customer").

    Each customer's history (per dimension) is cut into runs of consecutive months in one
    class (`new` where it has none), each classified month is paired with the earlier runs,
    and the runs' months are spelled out only after summing over customers: computed
    customer x pair of months it grows with months squared (630 pairs x every customer at
    36 months). A build keeps, beside the mart, the classified months and the runs it was
    computed from (<mart>__history, <mart>__runs), and recomputes only the changed
    customers' moves from their first changed month on. -#}

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

{#- The month list's first month: months before a customer's first classified month are
    `new` from there. -#}
{% macro portfolio_first_month() -%}
    (select min(month) from {{ ref('int_management__months') }})
{%- endmacro %}

{#- The runs of `history` (columns as portfolio_class_history): customer_id, dimension,
    class_value, first_month, last_month, covering each customer x dimension's months from
    `first_month` to its last classified month once. Months with no class (before the
    first classified month, and gaps) are runs of `new`. Found from the classified months
    alone, by their neighbours (lag, lead): spelling out every customer x month first and
    numbering the months within each class took 13 s of a 100,000-customer build (a window
    over 7.6 million rows), this 3 s. -#}
{% macro portfolio_runs(history, first_month) -%}
    with
    ordered as (
        select
            customer_id, dimension, month, class_value,
            lag(month) over by_month as previous_month,
            lag(class_value) over by_month as previous_class,
            lead(month) over by_month as next_month,
            lead(class_value) over by_month as next_class
        from {{ history }}
        window by_month as (partition by customer_id, dimension order by month)
    ),

    -- A run starts where the month before is missing or of another class, and ends where
    -- the month after is; the k-th start and the k-th end of a customer x dimension bound
    -- its k-th run.
    run_starts as (
        select customer_id, dimension, class_value, month,
            row_number() over (partition by customer_id, dimension order by month) as run
        from ordered
        where previous_month is null
            or previous_month <> month - interval 1 month
            or previous_class <> class_value
    ),

    run_ends as (
        select customer_id, dimension, month,
            row_number() over (partition by customer_id, dimension order by month) as run
        from ordered
        where next_month is null
            or next_month <> month + interval 1 month
            or next_class <> class_value
    )

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
{%- endmacro %}

{#- The moves into the months of `to_class` (columns as portfolio_class_history) from
    the customers' `runs` (as portfolio_runs), summed over customers: one row per
    from_month x to_month x dimension x from value x to value, unrounded. Each classified
    month against each earlier run of the same customer: every month of the run before the
    classified month moves from the run's class to the month's class. Summed over
    customers by run bounds before the months are spelled out. -#}
{% macro portfolio_moves(to_class, runs) -%}
    with moves_by_run as (
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
        from {{ to_class }} as to_class
        inner join {{ runs }} as runs
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

{#- What the mart was last computed from, kept beside it: `history` (customer_id, month,
    dimension, class_value, revenue, contribution_margin, and months_first, the month
    list's first month then) and `runs` (as portfolio_runs). None before the mart's first
    build with them. -#}
{% macro portfolio_kept(part) -%}
    {%- if execute and this is not none -%}
        {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier ~ '__' ~ part)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- Whether this build recomputes only what changed: an incremental build of a mart that
    has its kept history and runs. Otherwise (a full refresh, the first build, a mart built
    before they were kept) it is computed whole. -#}
{% macro portfolio_by_change() -%}
    {{ return(is_incremental() and portfolio_kept('history') is not none and portfolio_kept('runs') is not none) }}
{%- endmacro %}

{#- Whether the mart's pre-hook cut the runs (portfolio_runs_now): true in every build; a
    unit test, which runs no hooks, overrides it with false. -#}
{% macro portfolio_runs_cut_by_hook() -%}
    {{ return(true) }}
{%- endmacro %}

{#- The mart's pre-hook, three temp tables (or views) for the build and its post-hook:
    - portfolio_class_changes (customer_id, dimension, from_month, classified_before):
      which customer x dimension histories changed since the mart was last computed, and
      from which month. Compared row for row with the kept history (a class, revenue or
      margin changed, a month added or gone); when the month list's first month moved,
      every history from its start. When the mart is computed whole: every history, now or
      kept. classified_before: whether the history has a classified month before
      from_month (read from the kept runs: the months before from_month are the same now
      and as kept); false when the mart is computed whole.
    - portfolio_changed_history (the columns of portfolio_class_history): the changed
      histories' classified months now from from_month on, a view of the temp
      table portfolio_changed_history_rows. The current class history is read there once;
      the runs, the mart's moves into those months and the post-hook's kept history all
      take their months from it. When the mart is computed whole, a view of every history
      with no table under it (a table of every customer month would only hold it in
      memory): the post-hook drops the view and the table if there is one.
    - portfolio_runs_now: the runs of those histories now. The months before from_month are
      the same as kept, so the kept runs cut at from_month give them, and only the months
      from from_month on are cut into runs afresh (a run cut in two at from_month counts
      the same moves as the whole run; the `new` run that portfolio_runs puts before the
      first month cut covers a gap running into from_month). A history with no classified
      month before from_month is cut whole: its first month cut is its first classified
      month. On the day that opens a month that is a month per customer, not every
      customer's whole history.
    An existing mart computed whole is emptied first so that none of its old rows stays. -#}
{% macro portfolio_class_changes() -%}
    {%- set kept_history = portfolio_kept('history') -%}
    {%- if portfolio_by_change() %}
    create or replace temp table portfolio_class_changes as
    with now_history as ({{ portfolio_class_history() }}),
    kept as (select customer_id, month, dimension, class_value, revenue, contribution_margin from {{ kept_history }}),
    first_month_moved as (
        select {{ portfolio_first_month() }} is distinct from (select min(months_first) from {{ kept_history }}) as moved
    )
    select customer_id, dimension, min(month) as from_month
    from now_history
    full outer join kept using (customer_id, dimension, month)
    where now_history.class_value is distinct from kept.class_value
        or now_history.revenue is distinct from kept.revenue
        or now_history.contribution_margin is distinct from kept.contribution_margin
        or (select moved from first_month_moved)
    group by customer_id, dimension;

    -- classified_before in a statement of its own: joined to the kept runs in the one
    -- above, the comparison's hash tables were held with the runs' (peak 8.4 against 6.3
    -- GB at 1,000,000 customers on the day that opens a month).
    create or replace temp table portfolio_class_changes as
    select changes.customer_id, changes.dimension, changes.from_month,
        coalesce(bool_or(kept_runs.class_value <> 'new' and kept_runs.first_month < changes.from_month), false) as classified_before
    from portfolio_class_changes as changes
    left join {{ portfolio_kept('runs') }} as kept_runs using (customer_id, dimension)
    group by all;

    create or replace temp table portfolio_changed_history_rows as
    select history.*
    from ({{ portfolio_class_history() }}) as history
    inner join portfolio_class_changes as changes
        on changes.customer_id = history.customer_id
        and changes.dimension = history.dimension
        and history.month >= changes.from_month;

    create or replace temp view portfolio_changed_history as select * from portfolio_changed_history_rows;

    create or replace temp table portfolio_runs_now as
    with kept_runs as (
        select * from {{ portfolio_kept('runs') }}
        semi join portfolio_class_changes using (customer_id, dimension)
    ),

    recent_runs as (
        {{ portfolio_runs('portfolio_changed_history', portfolio_first_month()) }}
    )

    select runs.customer_id, runs.dimension, runs.class_value, runs.first_month,
        least(runs.last_month, changes.from_month - interval 1 month)::date as last_month
    from kept_runs as runs
    inner join portfolio_class_changes as changes using (customer_id, dimension)
    where changes.classified_before and runs.first_month < changes.from_month
    union all
    select runs.customer_id, runs.dimension, runs.class_value,
        case when changes.classified_before then greatest(runs.first_month, changes.from_month) else runs.first_month end,
        runs.last_month
    from recent_runs as runs
    inner join portfolio_class_changes as changes using (customer_id, dimension)
    where not changes.classified_before or runs.last_month >= changes.from_month
    {%- else %}
    {%- if is_incremental() %}
    delete from {{ this }};
    {%- endif %}
    create or replace temp table portfolio_class_changes as
    select customer_id, dimension, min(month) as from_month, false as classified_before
    from (
        select customer_id, dimension, month from ({{ portfolio_class_history() }})
        {%- if kept_history is not none %}
        union all
        select customer_id, dimension, month from {{ kept_history }}
        {%- endif %}
    )
    group by customer_id, dimension;

    create or replace temp view portfolio_changed_history as {{ portfolio_class_history() }};

    create or replace temp table portfolio_runs_now as
    with history as ({{ portfolio_class_history() }})
    select * from ({{ portfolio_runs('history', portfolio_first_month()) }})
    {%- endif %}
{%- endmacro %}

{#- The mart's post-hook: the kept history takes the changed customers' months as they are
    now from each one's first changed month on (the months before it are equal), and the
    kept runs their runs now from the month before it on, for the next build to compare
    with and start from. -#}
{% macro portfolio_keep() -%}
    {%- set history = this.schema ~ '.' ~ this.identifier ~ '__history' -%}
    {%- set runs = this.schema ~ '.' ~ this.identifier ~ '__runs' -%}
    create table if not exists {{ history }} as
    select *, null::date as months_first from ({{ portfolio_class_history() }}) where false;
    delete from {{ history }} as kept
    using portfolio_class_changes as changes
    where kept.customer_id = changes.customer_id
        and kept.dimension = changes.dimension
        and kept.month >= changes.from_month;
    insert into {{ history }}
    select *, {{ portfolio_first_month() }} from portfolio_changed_history;

    -- The runs that end before the month before from_month are the same now: only those
    -- from there on are replaced (a history cut whole has none before).
    create table if not exists {{ runs }} as select * from portfolio_runs_now where false;
    delete from {{ runs }} as kept
    using portfolio_class_changes as changes
    where kept.customer_id = changes.customer_id
        and kept.dimension = changes.dimension
        and kept.last_month >= changes.from_month - interval 1 month;
    insert into {{ runs }}
    select runs.* from portfolio_runs_now as runs
    inner join portfolio_class_changes as changes
        on changes.customer_id = runs.customer_id
        and changes.dimension = runs.dimension
        and runs.last_month >= changes.from_month - interval 1 month;

    drop view portfolio_changed_history;
    drop table if exists portfolio_changed_history_rows;
    drop table portfolio_class_changes;
    drop table portfolio_runs_now
{%- endmacro %}
