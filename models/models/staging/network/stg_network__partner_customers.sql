with source as (
    {{ latest_version(source('network', 'partner_customers'), ['partner_id', 'erp_customer_id']) }}
)

select
    partner_id,
    erp_customer_id,
    shared_since,
    {{ source_lineage_columns() }}
from source
