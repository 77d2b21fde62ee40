-- Grain: one product x month of order. Summed from fct_order_lines. Cost-to-serve is a
-- cost of serving customers, not of products, so product figures stop at gross margin.
-- Incremental (docs/performance.md): a build recomputes whole months, those holding
-- order lines built since this mart was last built (delete+insert by order_month), so a credit
-- note for an old order changes the order's month, and a customer who gained or lost
-- records is summed afresh in every month they touch.
{{ config(
    materialized='incremental',
    unique_key='order_month',
) }}
select
    product_id,
    any_value(product_name) as product_name,
    any_value(product_group) as product_group,
    order_month,
    {{ order_line_totals() }},
    {{ incremental_columns() }}
from {{ ref('fct_order_lines') }}
{% if is_incremental() %}
where order_month in (select order_month from {{ ref('fct_order_lines') }} where built_at > {{ built_since_last_build() }})
{% endif %}
group by product_id, order_month
