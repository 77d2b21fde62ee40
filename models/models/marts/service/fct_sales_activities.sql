-- Grain: one CRM sales activity (a visit, call or e-mail by a salesperson), joined to its
-- resolved customer: visits, calls and e-mails per salesperson, customer and month.
-- Row-level access: salesperson (who made the contact) and account_owner (the
-- salesperson who owns the customer in the CRM).
-- Incremental: written where changed (macro rows_that_differ, docs/performance.md).
{{ config(
    materialized='incremental',
    unique_key='activity_id',
    post_hook=["delete from {{ this }} where load_id is null"],
) }}
{%- set activity_columns = ['customer_id', 'customer_name', 'customer_type', 'region',
                              'account_owner', 'salesperson', 'activity_type', 'occurred_at',
                              'occurred_on', 'activity_month', 'subject', 'opportunity_id',
                              'load_id', 'source_file', 'source_row'] %}
with customer_of_contact as (
    select record_id as contact_id, customer_id from {{ ref('int_identity_clusters') }}
    where source = 'crm' and entity = 'contacts'
),

sales_activities as (
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
)

{{ rows_that_differ('sales_activities', 'activity_id', activity_columns) }}
