-- Grain: one ERP customer number x calendar month with sales (each number belongs to
-- exactly one resolved customer, customer_id, so per-customer figures add up). Revenue, cost of goods and gross
-- margin summed from fct_order_lines; the lines behind a figure are found by
-- (customer_id, order_month) in fct_order_lines.
select
    customer_id,
    erp_customer_id,
    order_month,
    count(distinct order_id) as order_count,
    count(*) as order_line_count,
    sum(net_revenue) as net_revenue,
    sum(cost_of_goods) as cost_of_goods,
    sum(gross_margin) as gross_margin,
    max(load_id) as latest_load_id
from {{ ref('fct_order_lines') }}
group by customer_id, erp_customer_id, order_month
