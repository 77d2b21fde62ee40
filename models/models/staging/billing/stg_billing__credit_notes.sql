with source as (
    {{ latest_version(source('billing', 'credit_notes'), ['credit_note_id']) }}
)

select
    credit_note_id,
    invoice_id,
    customer_id as erp_customer_number,
    order_line_id,
    issued_on,
    net_amount,
    reason,
    {{ source_lineage_columns() }}
from source
