with source as (
    {{ latest_version(source('network', 'partner_customers'), ['partner_id', 'erp_customer_id']) }}
)

select
    partner_id,
    erp_customer_id as erp_customer_number,
    shared_since,
    {{ source_lineage_columns() }}
from source
