with source as (
    {{ latest_version(source('newsletter', 'sends'), ['send_id']) }}
)

select
    send_id,
    campaign_id,
    subscriber_id,
    sent_at,
    {{ source_lineage_columns() }}
from source
