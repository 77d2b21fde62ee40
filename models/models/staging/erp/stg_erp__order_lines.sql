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
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
