-- A table kept incrementally, not a view like most staging models: the newest
-- version per key is computed once instead of in each reader (twelve models and tests).
-- A build recomputes only the keys with a version loaded since this table was last built
-- (delete+insert by its key); raw tables are only appended to, and an erasure rebuilds
-- with --full-refresh (docs/performance.md, "Staging tables for the order and billing
-- facts").
{{ config(
    materialized='incremental',
    unique_key='invoice_id',
) }}
with source as (
    {{ latest_version(source('billing', 'invoices'), ['invoice_id'],
                      loaded_after=loads_since_last_build() if is_incremental() else none) }}
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
    {{ source_lineage_columns() }},
    {{ incremental_columns() }}
from source
