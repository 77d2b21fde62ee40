with source as (
    {{ latest_version(source('erp', 'returns'), ['return_id']) }}
)

select
    return_id,
    order_line_id,
    returned_on,
    quantity,
    reason,
    {{ source_lineage_columns() }}
from source
