-- Grain: one order line. The atomic fact every finance figure rolls up from; it keeps
-- the source file, row and load of the line so any number traces back to its rows.
select
    order_line_id,
    order_id,
    line_number,
    customer_id,
    product_id,
    ordered_on,
    date_trunc('month', ordered_on)::date as order_month,
    channel,
    quantity,
    unit_price,
    discount_pct,
    unit_cost,
    gross_sales,
    net_revenue,
    cost_of_goods,
    gross_margin,
    load_id,
    source_file,
    source_row
from {{ ref('int_order_lines_priced') }}
