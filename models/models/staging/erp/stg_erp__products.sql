with source as (
    {{ latest_version(source('erp', 'products'), ['product_id']) }}
)

select
    product_id,
    product_name,
    product_group,
    list_price,
    unit_cost,
    {{ source_lineage_columns() }}
from source
