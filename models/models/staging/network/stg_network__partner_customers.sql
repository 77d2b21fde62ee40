with source as (
    {{ latest_version(source('network', 'partner_customers'), ['partner_id', 'erp_customer_id']) }}
)

select
    partner_id,
    erp_customer_id,
    shared_since,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
