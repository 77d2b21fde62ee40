with source as (
    {{ latest_version(source('erp', 'order_lines'), ['order_line_id']) }}
)

select
    order_line_id,
    order_id,
    line_number,
    product_id,
    quantity,
    unit_price,
    discount_pct,
    {{ source_lineage_columns() }}
from source
