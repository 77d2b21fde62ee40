-- Grain: one resolved customer x product x month of order. Summed from fct_order_lines;
-- the lines behind a figure are those of (customer_id, product_id, order_month) there.
-- Segment x product figures are this mart joined to a customer attribute (dim_customers)
-- in the semantic layer, so any attribute can be the segment.
select
    customer_id,
    product_id,
    any_value(product_name) as product_name,
    any_value(product_group) as product_group,
    order_month,
    {{ order_line_totals() }}
from {{ ref('fct_order_lines') }}
group by customer_id, product_id, order_month
