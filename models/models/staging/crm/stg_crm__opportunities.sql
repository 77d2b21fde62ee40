with source as (
    {{ latest_version(source('crm', 'opportunities'), ['opportunity_id']) }}
)

select
    opportunity_id,
    contact_id,
    stage,
    amount,
    salesperson,
    opened_on,
    stage_changed_on,
    erp_order_id,
    {{ source_lineage_columns() }}
from source
