with source as (
    {{ latest_version(source('billing', 'invoices'), ['invoice_id']) }}
)

select
    invoice_id,
    customer_id,
    order_id,
    contract_id,
    invoice_date,
    due_date,
    net_amount,
    vat_amount,
    currency,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
