-- One row per customer with the attributes finance segments by.
select
    customer_id,
    customer_name,
    customer_type,
    company_name,
    city,
    region,
    created_on,
    load_id,
    source_file,
    source_row
from {{ ref('stg_erp__customers') }}
