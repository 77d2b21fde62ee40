-- Grain: one campaign e-mail sent to one subscriber, with what the recipient did (first
-- time of each reaction, the links clicked) and the resolved customer behind the
-- subscriber.
with events as (
    select * from {{ ref('stg_newsletter__events') }}
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
    sends.source_row
from {{ ref('stg_newsletter__sends') }} as sends
inner join {{ ref('stg_newsletter__campaigns') }} as campaigns using (campaign_id)
inner join {{ ref('int_marketing__subscribers') }} as subscribers using (subscriber_id)
left join reactions using (send_id)
