with source as (
    {{ latest_version(source('network', 'partners'), ['partner_id']) }}
)

select
    partner_id,
    partner_name,
    partner_type,
    erp_customer_id,
    joined_on,
    {{ source_lineage_columns() }}
from source
