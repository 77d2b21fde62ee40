-- Grain: one order line. The atomic fact every finance figure rolls up from; it keeps
-- the source file, row and load of the line so any number traces back to its rows.
-- customer_id is the resolved customer (dim_customers); erp_customer_id the number the
-- order was booked to.
with customer_of_erp_number as (
    select split_part(record_key, ':', 2) as erp_customer_id, customer_id
    from {{ ref('int_identity_clusters') }}
    where record_key like 'erp.customers:%'
)

select
    order_line_id,
    order_id,
    line_number,
    customer_of_erp_number.customer_id,
    lines.customer_id as erp_customer_id,
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
from {{ ref('int_order_lines_priced') }} as lines
inner join customer_of_erp_number on customer_of_erp_number.erp_customer_id = lines.customer_id
