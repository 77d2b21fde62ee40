-- One row per order line with its net revenue, cost of goods and gross margin.
-- Revenue is net of the line discount and rounded to cents per line; cost is the
-- product's unit cost times quantity. Lines of cancelled orders carry no revenue and
-- are left out; returns and credit notes are applied in the finance slice.
with lines as (
    select * from {{ ref('stg_erp__order_lines') }}
),

orders as (
    select * from {{ ref('stg_erp__orders') }}
),

products as (
    select * from {{ ref('stg_erp__products') }}
),

priced as (
    select
        lines.order_line_id,
        lines.order_id,
        lines.line_number,
        orders.customer_id,
        orders.ordered_on,
        orders.channel,
        lines.product_id,
        lines.quantity,
        lines.unit_price,
        lines.discount_pct,
        products.unit_cost,
        round(lines.quantity * lines.unit_price, 2) as gross_sales,
        round(lines.quantity * lines.unit_price * (100 - lines.discount_pct) * 0.01, 2) as net_revenue,
        round(lines.quantity * products.unit_cost, 2) as cost_of_goods,
        lines.load_id,
        lines.source_file,
        lines.source_row
    from lines
    inner join orders on orders.order_id = lines.order_id
    inner join products on products.product_id = lines.product_id
    where orders.status = 'delivered'
)

select
    *,
    net_revenue - cost_of_goods as gross_margin
from priced
