{{ config(materialized='view') }}
-- Grain: one resolved customer x month x Hellman indicator: the customers behind an
-- indicator's value in that month, for every scope (the company; the customer's care
-- class and account owner that month are on the row, so a class's or an owner's customers
-- are a filter away), the ones a manager would work on to move it. For an
-- indicator where higher is better, the customers it counts out of that do not count
-- toward it (an active customer without complete contact data, a buyer of last year who
-- did not come back, revenue from a customer without a care plan); where lower is better,
-- the customers it counts (active customers in an open duplicate review). With what the
-- customer adds to the numerator and the denominator (customers, e-mails or EUR).
-- A view: a question is about one month and indicator, and those filters reach the
-- monthly history (fct_care_class_monthly) directly.
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
