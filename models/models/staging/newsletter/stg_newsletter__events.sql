with source as (
    {{ latest_version(source('newsletter', 'events'), ['event_id']) }}
)

select
    event_id,
    send_id,
    event_type,
    link_id,
    occurred_at,
    {{ source_lineage_columns() }}
from source
