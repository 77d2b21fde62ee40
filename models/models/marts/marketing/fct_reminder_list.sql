-- Grain: one campaign e-mail (of a type in var marketing.reminder.campaign_types) sent
-- at least reminder.open_window_days before as_of, that the recipient did not open
-- within open_window_days of the send and that did not bounce: a reminder goes to them
-- (seed 000: "after a couple of days, to those who did not open the message").
-- exclusion_reason marks the recipients not to be e-mailed (unsubscribed, bounced,
-- no_email, no_consent).
{%- set reminder = var('marketing')['reminder'] %}
select
    sends.send_id,
    sends.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    sends.subscriber_id,
    sends.campaign_id,
    sends.campaign_name,
    sends.campaign_type,
    sends.sent_at,
    sends.sent_at + interval {{ reminder['open_window_days'] }} day as remind_from,
    sends.first_opened_at,
    consent.exclusion_reason,
    consent.exclusion_reason is null as may_contact,
    sends.load_id,
    sends.source_file,
    sends.source_row
from {{ ref('int_marketing__sends') }} as sends
cross join {{ ref('int_marketing__as_of') }} as as_of
inner join {{ ref('dim_customers') }} as customers using (customer_id)
inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
where sends.campaign_type in ({% for type in reminder['campaign_types'] %}'{{ type }}'{{ ', ' if not loop.last }}{% endfor %})
  and sends.bounced_at is null
  and cast(sends.sent_at + interval {{ reminder['open_window_days'] }} day as date) <= as_of.as_of
  and (sends.first_opened_at is null or sends.first_opened_at > sends.sent_at + interval {{ reminder['open_window_days'] }} day)
