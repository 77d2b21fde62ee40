with source as (
    {{ latest_version(source('erp', 'contracts'), ['contract_id']) }}
)

select
    contract_id,
    customer_id as erp_customer_number,
    contract_type,
    start_date,
    end_date,
    annual_value,
    {{ source_lineage_columns() }}
from source
