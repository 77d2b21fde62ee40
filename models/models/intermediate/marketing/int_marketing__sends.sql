-- Grain: one campaign e-mail sent to one subscriber, with what the recipient did (first
-- time of each reaction, the links clicked) and the resolved customer behind the
-- subscriber.
-- Incremental (docs/performance.md), kept by send: a row follows from the send, its
-- campaign, its events and its subscriber's resolved customer, so a build recomputes the
-- sends loaded since this table was last built, those with an event loaded since (every
-- send any version of such an event named, so an event that moved leaves its old send
-- too), those of a campaign loaded since, and those of a subscriber whose resolved
-- customer is not the one on the built rows (identity merged or split it, or it is
-- newly resolved). Each recomputed send gets a marker row (campaign_id null) so that
-- delete+insert removes its built row even when the send no longer resolves; a post-hook
-- deletes the markers, another the sends of subscribers no longer resolved.
{{ config(
    materialized='incremental',
    unique_key='send_id',
    post_hook=[
        "delete from {{ this }} where campaign_id is null",
        "delete from {{ this }} where subscriber_id not in (select subscriber_id from {{ ref('int_marketing__subscribers') }})",
    ],
) }}
{%- set incremental = is_incremental() and built_with_column('built_through_load_id') %}
with
{%- if incremental %}
loaded_since as (
    select {{ loads_since_last_build() }} as load_id
),

-- Subscribers whose resolved customer is not the one on their built rows, either way
-- (merged, split, newly resolved, or resolved no more).
subscriber_customers as (
    select subscriber_id, customer_id from {{ ref('int_marketing__subscribers') }}
),

built_subscriber_customers as (
    select distinct subscriber_id, customer_id from {{ this }}
),

changed_subscribers as (
    (select * from subscriber_customers except select * from built_subscriber_customers)
    union
    (select * from built_subscriber_customers except select * from subscriber_customers)
),

written as (
    select send_id from {{ source('newsletter', 'sends') }}
    where _load_id > (select load_id from loaded_since)
       or campaign_id in (select campaign_id from {{ source('newsletter', 'campaigns') }} where _load_id > (select load_id from loaded_since))
       or subscriber_id in (select subscriber_id from changed_subscribers)
    union
    select send_id from {{ source('newsletter', 'events') }}
    where event_id in (select event_id from {{ source('newsletter', 'events') }} where _load_id > (select load_id from loaded_since))
),
{%- endif %}

events as (
    select * from {{ ref('stg_newsletter__events') }} {{ recomputed_only('send_id', 'written', incremental) }}
),

reactions as (
    select
        send_id,
        min(occurred_at) filter (where event_type = 'delivered') as delivered_at,
        min(occurred_at) filter (where event_type = 'opened') as first_opened_at,
        min(occurred_at) filter (where event_type = 'clicked') as first_clicked_at,
        max(occurred_at) filter (where event_type = 'clicked') as last_clicked_at,
        min(occurred_at) filter (where event_type = 'unsubscribed') as unsubscribed_at,
        min(occurred_at) filter (where event_type = 'bounced') as bounced_at,
        count(*) filter (where event_type = 'clicked') as click_count,
        count(distinct link_id) filter (where event_type = 'clicked') as distinct_links_clicked
    from events
    group by send_id
)

select
    sends.send_id,
    sends.campaign_id,
    campaigns.campaign_name,
    campaigns.campaign_type,
    sends.subscriber_id,
    subscribers.customer_id,
    sends.sent_at,
    reactions.delivered_at,
    reactions.first_opened_at,
    reactions.first_clicked_at,
    reactions.last_clicked_at,
    reactions.unsubscribed_at,
    reactions.bounced_at,
    coalesce(reactions.click_count, 0) as click_count,
    coalesce(reactions.distinct_links_clicked, 0) as distinct_links_clicked,
    sends.load_id,
    sends.source_file,
    sends.source_row,
    {{ incremental_columns() }}
from {{ ref('stg_newsletter__sends') }} as sends
inner join {{ ref('stg_newsletter__campaigns') }} as campaigns using (campaign_id)
inner join {{ ref('int_marketing__subscribers') }} as subscribers using (subscriber_id)
left join reactions using (send_id)
{%- if incremental %}
where sends.send_id in (select send_id from written)

-- Markers (see above).
union all by name
select send_id from written
{%- endif %}
