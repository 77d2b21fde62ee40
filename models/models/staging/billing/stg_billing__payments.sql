with source as (
    {{ latest_version(source('billing', 'payments'), ['payment_id']) }}
)

select
    payment_id,
    invoice_id,
    paid_on,
    amount,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
