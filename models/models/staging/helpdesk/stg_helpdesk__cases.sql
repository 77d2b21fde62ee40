with source as (
    {{ latest_version(source('helpdesk', 'cases'), ['case_id']) }}
)

select
    case_id,
    requester_id,
    case_type,
    channel,
    subject,
    erp_order_id,
    handled_by,
    opened_at,
    first_response_at,
    closed_at,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
