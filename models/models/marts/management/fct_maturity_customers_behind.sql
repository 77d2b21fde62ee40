-- Grain: one resolved customer x Hellman indicator, as of the latest month: the customers
-- behind an indicator's value, the ones a manager would work on to move it. For an
-- indicator where higher is better, the customers it counts out of that do not count
-- toward it (an active customer without complete contact data, a buyer of last year who
-- did not come back, revenue from a customer without a care plan); where lower is better,
-- the customers it counts (active customers in an open duplicate review). With what the
-- customer adds to the numerator and the denominator (customers, e-mails or EUR).
{%- set maturity = var('management')['maturity'] %}
{%- set parts = management_maturity_parts() %}
with latest as (
    select * from {{ ref('int_management__maturity_customer_months') }} where is_latest
),

contributions as (
    {%- for name, spec in maturity['indicators'].items() %}
    select
        customer_id,
        care_class,
        account_owner,
        '{{ name }}' as indicator,
        {{ spec['level'] }} as level,
        ({{ parts[name][0] }})::double as numerator,
        ({{ parts[name][1] }})::double as denominator,
        {{ spec['higher_is_better'] }} as higher_is_better
    from latest
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select *
from contributions
where case when higher_is_better then denominator > 0 and numerator < denominator else numerator > 0 end
