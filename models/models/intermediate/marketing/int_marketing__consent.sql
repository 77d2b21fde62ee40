-- Grain: one resolved customer. Whether marketing may e-mail the customer and, when not,
-- the one reason why (the first that applies, in this order):
--   unsubscribed - any newsletter record of the customer is unsubscribed (a no is a no,
--                  on whichever address it was said);
--   bounced      - the newsletter record of the customer's current address bounced;
--   no_email     - the customer has no e-mail address;
--   no_consent   - neither a subscribed newsletter record nor a webshop account with
--                  marketing consent.
-- The newsletter import columns come from the subscription of the current address when
-- there is one, else from any subscribed record, else from the webshop consent.
with customers as (
    select customer_id, email, first_name, last_name from {{ ref('dim_customers') }}
),

subscribers as (
    select * from {{ ref('int_marketing__subscribers') }}
),

webshop_consent as (
    select
        clusters.customer_id,
        bool_or(accounts.marketing_consent) as has_webshop_consent,
        max(accounts.updated_at) filter (where accounts.marketing_consent) as webshop_consent_at
    from {{ ref('stg_webshop__accounts') }} as accounts
    inner join {{ ref('int_identity_clusters') }} as clusters
        on clusters.source = 'webshop' and clusters.entity = 'accounts' and clusters.record_id = accounts.account_id
    group by clusters.customer_id
),

newsletter as (
    select
        customer_id,
        bool_or(status = 'unsubscribed') as has_unsubscribed,
        bool_or(status = 'bounced' and is_current_address) as current_address_bounced,
        bool_or(status = 'subscribed') as has_subscription,
        count(*) as subscriber_record_count
    from subscribers
    group by customer_id
),

-- The subscription the export continues: the current address's first, then any.
export_subscription as (
    select customer_id, subscriber_id, subscribed_at, updated_at
    from subscribers
    where status = 'subscribed'
    qualify row_number() over (
        partition by customer_id order by is_current_address desc, updated_at desc, subscriber_id
    ) = 1
)

select
    customers.customer_id,
    case
        when newsletter.has_unsubscribed then 'unsubscribed'
        when newsletter.current_address_bounced then 'bounced'
        when customers.email is null then 'no_email'
        when not (coalesce(newsletter.has_subscription, false) or coalesce(webshop_consent.has_webshop_consent, false)) then 'no_consent'
    end as exclusion_reason,
    coalesce(newsletter.has_subscription, false) as has_newsletter_subscription,
    coalesce(webshop_consent.has_webshop_consent, false) as has_webshop_consent,
    coalesce(newsletter.subscriber_record_count, 0) as subscriber_record_count,
    -- The newsletter tool's subscriber import columns (ingest/sources.yml newsletter.subscribers).
    export_subscription.subscriber_id as export_subscriber_id,
    customers.email as export_email,
    customers.first_name as export_first_name,
    customers.last_name as export_last_name,
    coalesce(export_subscription.subscribed_at, webshop_consent.webshop_consent_at) as export_subscribed_at,
    coalesce(export_subscription.updated_at, webshop_consent.webshop_consent_at) as export_updated_at
from customers
left join newsletter using (customer_id)
left join webshop_consent using (customer_id)
left join export_subscription using (customer_id)
