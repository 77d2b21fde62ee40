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
    {{ source_lineage_columns() }}
from source
