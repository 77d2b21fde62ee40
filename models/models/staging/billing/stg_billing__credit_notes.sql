with source as (
    {{ latest_version(source('billing', 'credit_notes'), ['credit_note_id']) }}
)

select
    credit_note_id,
    invoice_id,
    customer_id,
    order_line_id,
    issued_on,
    net_amount,
    reason,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
