with source as (
    {{ latest_version(source('crm', 'activities'), ['activity_id']) }}
)

select
    activity_id,
    contact_id,
    activity_type,
    salesperson,
    occurred_at,
    subject,
    opportunity_id,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
