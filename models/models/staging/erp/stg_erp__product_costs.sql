with source as (
    {{ latest_version(source('erp', 'product_costs'), ['product_id', 'valid_from']) }}
)

select
    product_id,
    valid_from,
    unit_cost,
    {{ source_lineage_columns() }}
from source
