with source as (
    {{ latest_version(source('network', 'partners'), ['partner_id']) }}
)

select
    partner_id,
    partner_name,
    partner_type,
    erp_customer_id as erp_customer_number,
    joined_on,
    {{ source_lineage_columns() }}
from source
