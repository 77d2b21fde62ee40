-- Grain: one social-media mention of the company (seed 004). A mention is linked when
-- identity resolution ties its handle to a customer (int_social_handle_links: a handle
-- recorded on a CRM contact); otherwise its handle waits in identity_review_queue
-- (link_status 'in_review'). Topic = the campaign the mention replies to, if any.
-- author_has_open_complaint: the linked customer has a complaint open at as_of;
-- posted_during_open_complaint: a complaint of theirs was open when the mention was
-- posted (opened before it, not closed before it).
-- Row-level access: account_owner of the linked customer (unlinked mentions have none).
with mentions as (
    select * from {{ ref('stg_social__mentions') }}
),

links as (
    select handle_std, customer_id from {{ ref('int_social_handle_links') }}
),

queue as (
    select review_item_id from {{ ref('identity_review_queue') }}
    where item_type = 'unmatched_social_handle'
),

complaints as (
    select customer_id, opened_at, closed_at, is_open
    from {{ ref('fct_cases') }}
    where is_complaint and customer_id is not null
),

with_complaints as (
    select
        mentions.mention_id,
        bool_or(complaints.is_open) as author_has_open_complaint,
        bool_or(complaints.opened_at <= mentions.posted_at and (complaints.closed_at is null or complaints.closed_at > mentions.posted_at))
            as posted_during_open_complaint
    from mentions
    inner join links using (handle_std)
    inner join complaints using (customer_id)
    group by mentions.mention_id
)

select
    mentions.mention_id,
    links.customer_id,
    customers.customer_name,
    customers.account_owner,
    case
        when links.customer_id is not null then 'linked'
        when queue.review_item_id is not null then 'in_review'
        else 'unresolved'
    end as link_status,
    links.customer_id is not null as is_linked,
    case when links.customer_id is null then queue.review_item_id end as review_item_id,
    mentions.channel,
    mentions.handle,
    mentions.handle_std,
    mentions.author_name,
    mentions.text,
    coalesce(mentions.sentiment, 'unknown') as sentiment,
    mentions.shares,
    mentions.comments,
    mentions.posted_at,
    cast(mentions.posted_at as date) as posted_on,
    date_trunc('month', mentions.posted_at)::date as posted_month,
    mentions.in_reply_to_campaign_id as campaign_id,
    campaigns.campaign_name,
    coalesce(with_complaints.author_has_open_complaint, false) as author_has_open_complaint,
    coalesce(with_complaints.posted_during_open_complaint, false) as posted_during_open_complaint,
    mentions.load_id,
    mentions.source_file,
    mentions.source_row
from mentions
left join links using (handle_std)
left join queue on queue.review_item_id = 'handle:' || mentions.handle_std
left join {{ ref('stg_newsletter__campaigns') }} as campaigns on campaigns.campaign_id = mentions.in_reply_to_campaign_id
left join {{ ref('int_customer_account_owner') }} as customers on customers.customer_id = links.customer_id
left join with_complaints using (mention_id)
