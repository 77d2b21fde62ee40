-- Grain: one month x scope (company; care class A-D; account owner) x indicator. Hellman
-- names five levels of customer management (seed 003) but no metrics; these indicators
-- measure from the warehouse how far the company's practice reaches on each level. Each
-- is a ratio of a numerator and a denominator summed over the scope's customers that
-- month, with its threshold and direction from var management.maturity.indicators and
-- whether it passes. An indicator with nothing to measure (denominator 0) does not pass.
-- "Active" customers bought in the evidence window or have a contract in force.
--   1 customer data management:  contact_data_complete (active customers with e-mail,
--     phone and postal address), known_handler (active customers with an account owner
--     or a contact handled by a named person), open_duplicate_reviews (active customers
--     in an undecided candidate pair of the identity review queue; lower is better);
--   2 targeted marketing:        targeted_send_share (campaign e-mails of the campaign
--     types targeted from the database), campaign_response_rate (sends opened or clicked);
--   3 relationship marketing:    retention_rate (buyers of the window before who bought in
--     this window), repeat_purchase_rate (buyers of the window with 2+ orders),
--     long_relationship_revenue_share (window revenue from relationships of at least
--     var maturity.long_relationship_months);
--   4 customer relationship management: care_plan_revenue_share (window revenue from
--     customers with an account plan this year), plan_revenue_attainment (plan revenue
--     this year to date / pro-rata plan targets);
--   5 network management:        network_customer_share (active customers who are network
--     partners or shared with one), partner_referred_revenue_share (window revenue from
--     customers who came by referral or are shared by a partner).
-- The current contact data and review queue stand for every month (they keep no history).
{%- set maturity = var('management')['maturity'] %}
{%- set parts = management_maturity_parts() %}
{%- for name in maturity['indicators'] %}
{%- if name not in parts %}{{ exceptions.raise_compiler_error('var management.maturity.indicators names ' ~ name ~ ', which fct_maturity_indicators_monthly does not compute') }}{% endif %}
{%- endfor %}
with customer_months as (
    select * from {{ ref('int_management__maturity_customer_months') }}
),

parts as (
    select
        month,
        scope.scope_type,
        scope.scope_value,
        count(*) as customers
        {%- for name in maturity['indicators'] %},
        sum(({{ parts[name][0] }})::double) as {{ name }}_numerator,
        sum(({{ parts[name][1] }})::double) as {{ name }}_denominator
        {%- endfor %}
    from customer_months
    cross join unnest([
        {'scope_type': 'company', 'scope_value': 'all'},
        {'scope_type': 'care_class', 'scope_value': care_class},
        {'scope_type': 'account_owner', 'scope_value': coalesce(account_owner, '(none)')}
    ]) as scopes(scope)
    group by all
),

indicators as (
    {%- for name, spec in maturity['indicators'].items() %}
    select
        month, scope_type, scope_value, customers,
        '{{ name }}' as indicator,
        {{ spec['level'] }} as level,
        {{ name }}_numerator as numerator,
        {{ name }}_denominator as denominator,
        {{ name }}_numerator / nullif({{ name }}_denominator, 0) as value,
        {{ spec['threshold'] }}::double as threshold,
        {{ spec['higher_is_better'] }} as higher_is_better
    from parts
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    *,
    coalesce(case when higher_is_better then value >= threshold else value <= threshold end, false) as passed
from indicators
