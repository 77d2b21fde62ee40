with source as (
    {{ latest_version(source('erp', 'returns'), ['return_id']) }}
)

select
    return_id,
    order_line_id,
    returned_on,
    quantity,
    reason,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
