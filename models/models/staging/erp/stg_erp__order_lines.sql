-- A table kept incrementally, not a view like most staging models: the newest
-- version per key is computed once instead of in each reader (eight models and tests).
-- A build recomputes only the keys with a version loaded since this table was last built
-- (delete+insert by its key); raw tables are only appended to, and an erasure rebuilds
-- with --full-refresh (docs/performance.md, "Staging tables for the order and billing
-- facts").
{{ config(
    materialized='incremental',
    unique_key='order_line_id',
) }}
with source as (
    {{ latest_version(source('erp', 'order_lines'), ['order_line_id'],
                      loaded_after=loads_since_last_build() if is_incremental() else none) }}
)

select
    order_line_id,
    order_id,
    line_number,
    product_id,
    quantity,
    unit_price,
    discount_pct,
    {{ source_lineage_columns() }},
    {{ incremental_columns() }}
from source
