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
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
