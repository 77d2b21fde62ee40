with source as (
    {{ latest_version(source('erp', 'product_costs'), ['product_id', 'valid_from']) }}
)

select
    product_id,
    valid_from,
    unit_cost,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
