-- Grain: one product x month of order. Summed from fct_order_lines. Cost-to-serve is a
-- cost of serving customers, not of products, so product figures stop at gross margin.
select
    product_id,
    any_value(product_name) as product_name,
    any_value(product_group) as product_group,
    order_month,
    {{ order_line_totals() }}
from {{ ref('fct_order_lines') }}
group by product_id, order_month
