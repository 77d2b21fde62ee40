-- Grain: one resolved customer with a CRM contact. The account owner is the salesperson
-- who owns the customer in the CRM (stg_crm__contacts.owner). When several CRM contacts
-- are the same customer, the most recently updated one names the owner (ties: the
-- lowest contact id), so one customer has one owner for row-level access.
select
    clusters.customer_id,
    contacts.owner as account_owner,
    contacts.contact_id as owner_contact_id
from {{ ref('stg_crm__contacts') }} as contacts
inner join {{ ref('int_identity_clusters') }} as clusters
    on clusters.record_key = 'crm.contacts:' || contacts.contact_id
where contacts.owner is not null
qualify row_number() over (partition by clusters.customer_id order by contacts.updated_at desc, contacts.contact_id) = 1
