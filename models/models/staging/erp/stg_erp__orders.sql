with source as (
    {{ latest_version(source('erp', 'orders'), ['order_id']) }}
)

select
    order_id,
    customer_id as erp_customer_number,
    order_date as ordered_on,
    channel,
    status,
    cancelled_at as cancelled_on,
    webshop_customer_id as webshop_account_id,
    salesperson,
    {{ source_lineage_columns() }}
from source
