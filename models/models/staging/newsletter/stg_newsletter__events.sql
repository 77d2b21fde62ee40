-- A table, not a view like the other staging models: the newest version per event is
-- computed once instead of in each reader (the events history, the management evidence,
-- the marketing sends, campaign sends and lead list, and four tests). The newsletter's
-- events and sends are the largest raw tables (docs/performance.md, "The newsletter's
-- staging tables").
{{ config(materialized='table') }}
with source as (
    {{ latest_version(source('newsletter', 'events'), ['event_id']) }}
)

select
    event_id,
    send_id,
    event_type,
    link_id,
    occurred_at,
    {{ source_lineage_columns() }}
from source
