-- Grain: one CRM sales activity (a visit, call or e-mail by a salesperson), joined to its
-- resolved customer: visits, calls and e-mails per salesperson, customer and month.
-- Row-level access: salesperson (who made the contact) and account_owner (the
-- salesperson who owns the customer in the CRM).
with customer_of_contact as (
    select record_id as contact_id, customer_id from {{ ref('int_identity_clusters') }}
    where source = 'crm' and entity = 'contacts'
)

select
    activities.activity_id,
    customer_of_contact.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    customers.account_owner,
    activities.salesperson,
    activities.activity_type,
    activities.occurred_at,
    cast(activities.occurred_at as date) as occurred_on,
    date_trunc('month', activities.occurred_at)::date as activity_month,
    activities.subject,
    activities.opportunity_id,
    activities.load_id,
    activities.source_file,
    activities.source_row
from {{ ref('stg_crm__activities') }} as activities
left join customer_of_contact on customer_of_contact.contact_id = activities.contact_id
left join {{ ref('int_customer_account_owner') }} as customers using (customer_id)
