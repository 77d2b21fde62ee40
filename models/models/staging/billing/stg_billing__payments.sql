with source as (
    {{ latest_version(source('billing', 'payments'), ['payment_id']) }}
)

select
    payment_id,
    invoice_id,
    paid_on,
    amount,
    {{ source_lineage_columns() }}
from source
