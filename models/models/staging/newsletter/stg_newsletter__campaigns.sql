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
    {{ source_lineage_columns() }}
from source
