-- Grain: one month x scope (company; care class; account owner). Hellman's level reached
-- (0-5): the highest level whose indicators, and those of every level below it, all pass
-- (the lower levels are part of the higher ones; the move upward is step by step). With
-- how many indicators pass on each level.
with indicators as (
    select * from {{ ref('fct_maturity_indicators_monthly') }}
),

per_scope as (
    select
        month,
        scope_type,
        scope_value,
        max(customers) as customers,
        min(level) filter (where not passed) as first_failing_level,
        count(*) filter (where passed) as indicators_passed,
        count(*) as indicators
        {%- for level in range(1, 6) %},
        count(*) filter (where level = {{ level }} and passed) as level_{{ level }}_passed,
        count(*) filter (where level = {{ level }}) as level_{{ level }}_indicators
        {%- endfor %}
    from indicators
    group by month, scope_type, scope_value
)

select
    *,
    coalesce(first_failing_level - 1, 5) as level_reached
from per_scope
