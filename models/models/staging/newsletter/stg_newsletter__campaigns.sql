with source as (
    {{ latest_version(source('newsletter', 'campaigns'), ['campaign_id']) }}
)

select
    campaign_id,
    campaign_name,
    campaign_type,
    subject,
    sent_at,
    link_count,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
