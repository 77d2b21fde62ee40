{{ config(materialized='table') }}
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
{%- set maturity = var('management')['maturity'] %}
{%- set parts = management_maturity_parts() %}
with customer_months as (
    select * from {{ ref('int_management__maturity_customer_months') }}
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

select *
from contributions
where case when higher_is_better then denominator > 0 and numerator < denominator else numerator > 0 end
-- The order is the point of the table (see above).
order by indicator, month, care_class, account_owner
