-- Grain: one resolved customer (core.dim_customers): the name, type and region every
-- service mart shows beside its facts, and the account owner - the salesperson who owns
-- the customer in the CRM (stg_crm__contacts.owner). When several CRM contacts are the
-- same customer, the most recently updated one names the owner (ties: the lowest contact
-- id), so one customer has one owner for row-level access; a customer without a CRM
-- contact has none.
with owners as (
    select
        clusters.customer_id,
        contacts.owner as account_owner
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join {{ ref('int_identity_clusters') }} as clusters
        on clusters.record_key = 'crm.contacts:' || contacts.contact_id
    where contacts.owner is not null
    qualify row_number() over (partition by clusters.customer_id order by contacts.updated_at desc, contacts.contact_id) = 1
)

select
    customers.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    owners.account_owner
from {{ ref('dim_customers') }} as customers
left join owners using (customer_id)
