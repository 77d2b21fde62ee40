-- A table, not a view like the other staging models: the newest version per event is
-- computed once instead of in each reader (the events history, the management evidence,
-- the marketing sends, campaign sends and lead list, and four tests). The newsletter's
-- events and sends are the largest raw tables (docs/performance.md, "The newsletter's
-- staging tables").
-- Incremental (docs/performance.md): a build recomputes only the events with a version
-- loaded since this table was last built (delete+insert by event_id); raw tables are only
-- appended to, and an erasure rebuilds with --full-refresh.
{{ config(
    materialized='incremental',
    unique_key='event_id',
) }}
with source as (
    {{ latest_version(source('newsletter', 'events'), ['event_id'],
                      loaded_after=loads_since_last_build() if is_incremental() else none) }}
)

select
    event_id,
    send_id,
    event_type,
    link_id,
    occurred_at,
    {{ source_lineage_columns() }},
    {{ incremental_columns() }}
from source
