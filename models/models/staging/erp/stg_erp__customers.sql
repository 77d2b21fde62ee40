with source as (
    {{ latest_version(source('erp', 'customers'), ['customer_id']) }}
)

select
    customer_id,
    customer_type,
    company_name,
    first_name,
    last_name,
    coalesce(company_name, concat_ws(' ', first_name, last_name)) as customer_name,
    lower(trim(email)) as email,
    phone,
    street_address,
    postal_code,
    city,
    region,
    created_at as created_on,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
