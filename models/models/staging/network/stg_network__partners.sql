with source as (
    {{ latest_version(source('network', 'partners'), ['partner_id']) }}
)

select
    partner_id,
    partner_name,
    partner_type,
    erp_customer_id,
    joined_on,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
