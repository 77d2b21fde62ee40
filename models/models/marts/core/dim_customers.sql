-- One row per real customer: the golden record from identity resolution, with where
-- each attribute came from, how many source records it unites, and the customer's
-- first and last purchase and last contact (who, about what, when), and the salesperson
-- who owns the customer (the sales role's row-level access keys on it).
-- Incremental: written where changed (macro rows_that_differ, docs/performance.md).
{{ config(
    materialized='incremental',
    unique_key='customer_id',
    post_hook=["delete from {{ this }} where source_record_count is null"],
) }}
{#- The golden record's columns, and what this model adds to them. #}
{%- set customer_columns = golden_record_columns() + [
    'household_id', 'household_size', 'company_group_id', 'company_group_size', 'region',
    'created_on', 'owner_salesperson', 'first_purchase_on', 'last_purchase_on',
    'purchase_count', 'last_contact_at', 'last_contact_type', 'last_contact_by',
    'last_contact_subject', 'last_contact_event_id'
] %}
with golden as (
    select * exclude (built_through_load_id, built_at) from {{ ref('int_customer_golden_record') }}
),

-- The account owner: the owner of the customer's CRM contact record. When identity
-- resolution joined several CRM contacts into one customer, the most recently updated
-- contact's owner wins. Customers without a CRM contact have no owner.
crm_owners as (
    select clusters.customer_id, contacts.owner as owner_salesperson
    from {{ ref('int_identity_clusters') }} as clusters
    inner join {{ ref('stg_crm__contacts') }} as contacts on clusters.record_id = contacts.contact_id
    where clusters.source = 'crm' and clusters.entity = 'contacts' and contacts.owner is not null
    qualify row_number() over (partition by clusters.customer_id order by contacts.updated_at desc, contacts.contact_id) = 1
),

groupings as (
    select * from {{ ref('int_customer_groupings') }}
),

erp_customers as (
    select erp_customer_number, region, created_on from {{ ref('stg_erp__customers') }}
),

events as (
    select * from {{ ref('fct_customer_events') }}
),

purchases as (
    select
        customer_id,
        min(occurred_at)::date as first_purchase_on,
        max(occurred_at)::date as last_purchase_on,
        count(*) as purchase_count
    from events
    where event_type = 'purchase'
    group by customer_id
),

last_contact as (
    select
        customer_id,
        occurred_at as last_contact_at,
        event_type as last_contact_type,
        handled_by as last_contact_by,
        subject as last_contact_subject,
        event_id as last_contact_event_id
    from events
    where is_contact
    qualify row_number() over (partition by customer_id order by occurred_at desc, event_id desc) = 1
),

customers as (
    -- Every golden-record column (attributes, where each came from, lineage), then the
    -- region, household and company group, and the customer's purchases and last contact.
    select
        golden.*,
        groupings.household_id,
        groupings.household_size,
        groupings.company_group_id,
        groupings.company_group_size,
        erp_customers.region,
        erp_customers.created_on,
        crm_owners.owner_salesperson,
        purchases.first_purchase_on,
        purchases.last_purchase_on,
        coalesce(purchases.purchase_count, 0) as purchase_count,
        last_contact.last_contact_at,
        last_contact.last_contact_type,
        last_contact.last_contact_by,
        last_contact.last_contact_subject,
        last_contact.last_contact_event_id
    from golden
    left join groupings using (customer_id)
    left join erp_customers using (erp_customer_number)
    left join crm_owners using (customer_id)
    left join purchases using (customer_id)
    left join last_contact using (customer_id)
)

{{ rows_that_differ('customers', 'customer_id', customer_columns) }}
