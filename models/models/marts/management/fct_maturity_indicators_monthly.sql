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
{%- set parts = {
    'contact_data_complete': ['is_active and has_complete_contact_data', 'is_active'],
    'known_handler': ['is_active and has_known_handler', 'is_active'],
    'open_duplicate_reviews': ['is_active and has_open_review', 'is_active'],
    'targeted_send_share': ['targeted_sends', 'campaign_sends'],
    'campaign_response_rate': ['responded_sends', 'campaign_sends'],
    'retention_rate': ['orders_in_previous_window > 0 and orders_in_window > 0', 'orders_in_previous_window > 0'],
    'repeat_purchase_rate': ['orders_in_window >= 2', 'orders_in_window >= 1'],
    'long_relationship_revenue_share': ['case when relationship_months >= ' ~ maturity['long_relationship_months'] ~ ' then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
    'care_plan_revenue_share': ['case when has_care_plan then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
    'plan_revenue_attainment': ['case when has_care_plan then plan_revenue_year_to_date else 0 end', 'case when has_care_plan then plan_target_revenue * month(month) / 12.0 else 0 end'],
    'network_customer_share': ['is_active and (is_network_partner or is_shared_by_partner)', 'is_active'],
    'partner_referred_revenue_share': ['case when was_referred or is_shared_by_partner then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
} %}
{%- for name in maturity['indicators'] %}
{%- if name not in parts %}{{ exceptions.raise_compiler_error('var management.maturity.indicators names ' ~ name ~ ', which fct_maturity_indicators_monthly does not compute') }}{% endif %}
{%- endfor %}
with classes as (
    select * from {{ ref('fct_care_class_monthly') }}
),

contact_data as (
    select
        customer_id,
        email is not null and phone is not null and street_address is not null and postal_code is not null as has_complete_contact_data
    from {{ ref('dim_customers') }}
),

open_reviews as (
    select customer_id_l as customer_id from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
    union
    select customer_id_r from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
),

customer_months as (
    select
        classes.*,
        classes.orders_in_window > 0 or classes.contracts_in_force > 0 as is_active,
        coalesce(contact_data.has_complete_contact_data, false) as has_complete_contact_data,
        open_reviews.customer_id is not null as has_open_review
    from classes
    left join contact_data using (customer_id)
    left join open_reviews using (customer_id)
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
