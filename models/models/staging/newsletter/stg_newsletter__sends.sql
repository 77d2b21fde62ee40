-- A table, not a view like the other staging models: the newest version per send is
-- computed once instead of in each reader (the events history, the management evidence,
-- the marketing sends, and the events' relationships test). The newsletter's events and
-- sends are the largest raw tables (docs/performance.md, "The newsletter's staging
-- tables").
-- Incremental, as stg_newsletter__events: only the sends with a version loaded since
-- this table was last built are recomputed (delete+insert by send_id).
{{ config(
    materialized='incremental',
    unique_key='send_id',
) }}
with source as (
    {{ latest_version(source('newsletter', 'sends'), ['send_id'],
                      loaded_after=loads_since_last_build() if is_incremental() else none) }}
)

select
    send_id,
    campaign_id,
    subscriber_id,
    sent_at,
    {{ source_lineage_columns() }},
    {{ incremental_columns() }}
from source
