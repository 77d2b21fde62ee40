with source as (
    {{ latest_version(source('newsletter', 'events'), ['event_id']) }}
)

select
    event_id,
    send_id,
    event_type,
    link_id,
    occurred_at,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
