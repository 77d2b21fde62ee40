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
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
