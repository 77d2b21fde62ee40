with source as (
    {{ latest_version(source('newsletter', 'survey_answers'), ['answer_id']) }}
)

select
    answer_id,
    campaign_id,
    subscriber_id,
    question,
    answer,
    answered_at,
    {{ source_lineage_columns() }}
from source
