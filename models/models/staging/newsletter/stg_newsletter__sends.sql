-- A table, not a view like the other staging models: the newest version per send is
-- computed once instead of in each reader (the events history, the management evidence,
-- the marketing sends, and the events' relationships test). The newsletter's events and
-- sends are the largest raw tables (docs/performance.md, "The newsletter's staging
-- tables").
{{ config(materialized='table') }}
with source as (
    {{ latest_version(source('newsletter', 'sends'), ['send_id']) }}
)

select
    send_id,
    campaign_id,
    subscriber_id,
    sent_at,
    {{ source_lineage_columns() }}
from source
