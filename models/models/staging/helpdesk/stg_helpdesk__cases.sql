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
    {{ source_lineage_columns() }}
from source
