with source as (
    {{ latest_version(source('social', 'mentions'), ['mention_id']) }}
)

select
    mention_id,
    channel,
    handle,
    author_name,
    text,
    sentiment,
    shares,
    comments,
    posted_at,
    in_reply_to_campaign_id,
    {{ standardise_handle('handle') }} as handle_std,
    {{ source_lineage_columns() }}
from source
