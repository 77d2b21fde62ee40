with source as (
    {{ latest_version(source('erp', 'products'), ['product_id']) }}
)

select
    product_id,
    product_name,
    product_group,
    list_price,
    unit_cost,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
