-- Grain: one newsletter subscriber record, with the resolved customer it belongs to and
-- whether its address is the customer's current e-mail (the golden record's). A bounce
-- or subscription on an address the customer no longer uses says nothing about the
-- current one; an unsubscription says the person said no, whatever the address.
with clusters as (
    select record_id as subscriber_id, customer_id from {{ ref('int_identity_clusters') }}
    where source = 'newsletter' and entity = 'subscribers'
)

select
    subscribers.subscriber_id,
    clusters.customer_id,
    subscribers.email,
    subscribers.email_std,
    subscribers.first_name,
    subscribers.last_name,
    subscribers.status,
    subscribers.subscribed_at,
    subscribers.updated_at,
    customers.email is not null and subscribers.email_std = customers.email as is_current_address,
    subscribers.load_id,
    subscribers.source_file,
    subscribers.source_row
from {{ ref('stg_newsletter__subscribers') }} as subscribers
inner join clusters using (subscriber_id)
inner join {{ ref('dim_customers') }} as customers on customers.customer_id = clusters.customer_id
