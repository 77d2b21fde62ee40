with source as (
    {{ latest_version(source('newsletter', 'sends'), ['send_id']) }}
)

select
    send_id,
    campaign_id,
    subscriber_id,
    sent_at,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
