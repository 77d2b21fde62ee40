with source as (
    {{ latest_version(source('erp', 'contracts'), ['contract_id']) }}
)

select
    contract_id,
    customer_id,
    contract_type,
    start_date,
    end_date,
    annual_value,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
