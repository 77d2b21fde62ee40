-- Grain: one service, sales or marketing event that costs the company to serve a
-- customer (fct_customer_events of the kinds priced in var cost_to_serve_unit_costs),
-- with its unit cost. Charged to the customer in the month the event happened.
-- A view: it is a filter of the incremental events fact with a price per kind, and a
-- table wrote its 2.1 million rows again on every build (4.0 s of a day's build at
-- 100,000 customers); its one reader, fct_customer_margin_monthly, reads the day's events
-- through it by built_at, and its two data tests recompute it for 0.4 s
-- (docs/performance.md, "Connected components in SciPy, cost-to-serve a view").
{{ config(materialized='view') }}
{%- set unit_costs = var('cost_to_serve_unit_costs') %}
select
    events.event_id,
    events.customer_id,
    events.event_type as cost_driver,
    events.occurred_at::date as occurred_on,
    date_trunc('month', events.occurred_at)::date as cost_month,
    cast(case events.event_type
        {%- for driver, unit_cost in unit_costs.items() %}
        when '{{ driver }}' then {{ unit_cost }}
        {%- endfor %}
    end as decimal(18, 2)) as cost_to_serve,
    events.subject,
    events.source,
    events.source_entity,
    events.source_id,
    events.load_id,
    events.source_file,
    events.source_row,
    -- When the event row was built: the monthly margin mart recomputes its months from it.
    events.built_at
from {{ ref('fct_customer_events') }} as events
where events.event_type in (
    {%- for driver in unit_costs.keys() %}'{{ driver }}'{{ ', ' if not loop.last }}{% endfor -%}
)
