with source as (
    {{ latest_version(source('billing', 'invoices'), ['invoice_id']) }}
)

select
    invoice_id,
    customer_id as erp_customer_number,
    order_id,
    contract_id,
    invoice_date,
    due_date,
    net_amount,
    vat_amount,
    currency,
    {{ source_lineage_columns() }}
from source
