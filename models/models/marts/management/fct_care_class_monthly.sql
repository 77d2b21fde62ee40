-- Grain: one resolved customer x calendar month. The A-D care class (seed 003, after
-- Porkka) as of the month's end, with the relationship nature and its evidence, and the
-- flags a manager acts on. First rule that holds:
--   A  contract-based: a contract in force; worked from a care and activity plan;
--   B  room to grow: bought in the evidence window and either a partner, revenue up at
--      least var care.b_min_revenue_growth on the window before, or a growth signal (an
--      offer or negotiation opened, a campaign link clicked) in the last
--      var care.growth_signal_months months;
--   C  served as needed: bought in the evidence window;
--   D  passive: nothing bought in the window; growth signals are watched.
-- Flags: an A customer without a care plan for the year; a plan behind on visits or on
-- revenue (below var care.plan_behind_share of its pro-rata target to date); a D customer
-- showing a growth signal.
-- Incremental (docs/performance.md): a row follows from its evidence row alone, so a
-- build recomputes the customer months whose evidence rows were written since this mart
-- was last built (delete+insert by customer and month: on the day a month begins, the
-- new month and the previous latest one of most customers) and deletes the rows whose
-- evidence row is gone.
{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'month'],
    post_hook="""
        delete from {{ this }} as care
        where not exists (
            select 1 from {{ ref('int_management__customer_month_evidence') }} as evidence
            where evidence.customer_id = care.customer_id and evidence.month = care.month
        )""",
) }}
{%- set care = var('management')['care'] %}
with nature as (
    select nature.* from {{ ref('fct_relationship_nature_monthly') }} as nature
    {%- if is_incremental() %}
    semi join (
        select customer_id, month from {{ ref('int_management__customer_month_evidence') }}
        where built_at > {{ built_since_last_build() }}
    ) as written using (customer_id, month)
    {%- endif %}
),

classified as (
    select
        *,
        case
            when contracts_in_force > 0 then 'contract_based'
            when orders_in_window > 0 and relationship_nature = 'partner' then 'partner'
            when orders_in_window > 0 and net_revenue_in_previous_window > 0
                and net_revenue_in_window >= (1 + {{ care['b_min_revenue_growth'] }}) * net_revenue_in_previous_window then 'revenue_growing'
            when orders_in_window > 0 and growth_signals > 0 then 'growth_signal'
            when orders_in_window > 0 then 'served_as_needed'
            else 'passive'
        end as care_class_rule,
        -- Share of the plan year gone by the month's end.
        month(month) / 12.0 as plan_year_elapsed
    from nature
)

select
    customer_id,
    customer_type,
    month,
    month_end,
    is_latest,
    case care_class_rule
        when 'contract_based' then 'A'
        when 'passive' then 'D'
        when 'served_as_needed' then 'C'
        else 'B'
    end as care_class,
    care_class_rule,
    relationship_nature,
    nature_rule,
    care_class_rule = 'contract_based' and not has_care_plan as flag_a_without_care_plan,
    coalesce(has_care_plan and visits_year_to_date < {{ care['plan_behind_share'] }} * plan_planned_visits * plan_year_elapsed, false) as flag_plan_visits_behind,
    coalesce(has_care_plan and plan_revenue_year_to_date < {{ care['plan_behind_share'] }} * plan_target_revenue * plan_year_elapsed, false) as flag_plan_revenue_behind,
    care_class_rule = 'passive' and growth_signals > 0 as flag_d_growth_signal,
    * exclude (customer_id, customer_type, month, month_end, is_latest, care_class_rule, relationship_nature, nature_rule),
    {{ incremental_columns() }}
from classified
