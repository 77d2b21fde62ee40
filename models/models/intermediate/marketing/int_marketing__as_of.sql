-- Grain: one row. The day every marketing list counts back from: var marketing.as_of
-- when set, else the last day with any event in the customers' histories.
{%- set as_of = var('marketing')['as_of'] %}
select
    {%- if as_of %}
    cast('{{ as_of }}' as date) as as_of
    {%- else %}
    cast(max(occurred_at) as date) as as_of
    {%- endif %}
from {{ ref('fct_customer_events') }}
