{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'month'],
    post_hook=[
        "delete from {{ this }} where indicator is null",
        """
        delete from {{ this }} as behind
        where not exists (
            select 1 from {{ ref('fct_care_class_monthly') }} as care
            where care.customer_id = behind.customer_id and care.month = behind.month
        )""",
    ],
) }}
-- Grain: one resolved customer x month x Hellman indicator: the customers behind an
-- indicator's value in that month, for every scope (the company; the customer's care
-- class and account owner that month are on the row, so a class's or an owner's customers
-- are a filter away), the ones a manager would work on to move it. For an
-- indicator where higher is better, the customers it counts out of that do not count
-- toward it (an active customer without complete contact data, a buyer of last year who
-- did not come back, revenue from a customer without a care plan); where lower is better,
-- the customers it counts (active customers in an open duplicate review). With what the
-- customer adds to the numerator and the denominator (customers, e-mails or EUR).
-- A table ordered by indicator, month and scope: a question is about one indicator in one
-- month (the management drill), and on a table so ordered DuckDB's zone maps skip every
-- row group of the other indicators and months. As a view the same question scanned the
-- whole monthly history (fct_care_class_monthly), whose month filter Cube writes as a
-- cast to timestamptz that no zone map can serve: 0.3-0.4 s at 20,000 customers against
-- ~50 ms from this table (docs/performance.md, "The customers behind an indicator").
-- Incremental (docs/performance.md), kept by customer and month: a row follows from the
-- customer's care-class row that month and the customer's current flags (contact data,
-- open review), so a build recomputes the customer months whose care-class rows were
-- written since this table was last built (on the day a month begins, the new month and
-- the previous latest one) and every month of the customers whose flags changed since
-- (int_management__customer_flags writes a customer only when they change). Each
-- recomputed customer month also gets a marker row (indicator null), so delete+insert
-- removes its built rows when the customer is no longer behind on anything; a post-hook
-- deletes the markers, another the rows whose care-class row is gone. Rows written by an
-- incremental build are appended after the ordered ones: on the day a month begins that
-- is the new month's block, itself ordered; a full refresh orders the whole table again.
-- The flags are read only by an incremental build:
-- depends_on: {{ ref('int_management__customer_flags') }}
{%- set maturity = var('management')['maturity'] %}
{%- set parts = management_maturity_parts() %}
with
{%- if is_incremental() %}
-- The customer months to recompute (see above).
written as (
    select customer_id, month from {{ ref('fct_care_class_monthly') }}
    where built_at > {{ built_since_last_build() }}
    union
    select care.customer_id, care.month
    from {{ ref('fct_care_class_monthly') }} as care
    inner join {{ ref('int_management__customer_flags') }} as flags using (customer_id)
    where flags.built_at > {{ built_since_last_build() }}
),
{%- endif %}

customer_months as (
    select customer_months.* from {{ ref('int_management__maturity_customer_months') }} as customer_months
    {%- if is_incremental() %}
    semi join written using (customer_id, month)
    {%- endif %}
),

contributions as (
    {%- for name, spec in maturity['indicators'].items() %}
    select
        customer_id,
        month,
        is_latest,
        care_class,
        -- '(none)' as in the indicators' account_owner scope.
        coalesce(account_owner, '(none)') as account_owner,
        '{{ name }}' as indicator,
        {{ spec['level'] }} as level,
        ({{ parts[name][0] }})::double as numerator,
        ({{ parts[name][1] }})::double as denominator,
        {{ spec['higher_is_better'] }} as higher_is_better
    from customer_months
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select *, {{ incremental_columns() }}
from contributions
where case when higher_is_better then denominator > 0 and numerator < denominator else numerator > 0 end
{%- if is_incremental() %}

-- Markers: one per recomputed customer month, so that delete+insert removes its built rows
-- even when none is written again; the post-hook deletes them.
union all by name
select customer_id, month from written
{%- endif %}
-- The order is the point of the table (see above).
order by indicator, month, care_class, account_owner
