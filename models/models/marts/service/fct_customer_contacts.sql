-- Grain: one contact between a person of ours and a customer (core.fct_customer_events
-- with is_contact: helpdesk cases and sales visits, calls and e-mails): a customer's
-- contact timeline - who, when, through which channel, about what - with the source row
-- and load behind it. Row-level access: handled_by (who handled the contact) and
-- account_owner (the salesperson who owns the customer in the CRM).
-- Incremental: written where changed (macro rows_that_differ, docs/performance.md).
{{ config(
    materialized='incremental',
    unique_key='event_id',
    post_hook=["delete from {{ this }} where load_id is null"],
) }}
{%- set contact_columns = ['customer_id', 'customer_name', 'account_owner', 'occurred_at',
                             'event_type', 'event_category', 'channel', 'handled_by', 'subject',
                             'source', 'source_entity', 'source_id', 'load_id', 'source_file',
                             'source_row'] %}
with contacts as (
    select
        events.event_id,
        events.customer_id,
        customers.customer_name,
        customers.account_owner,
        events.occurred_at,
        events.event_type,
        events.event_category,
        events.channel,
        events.handled_by,
        events.subject,
        events.source,
        events.source_entity,
        events.source_id,
        events.load_id,
        events.source_file,
        events.source_row
    from {{ ref('fct_customer_events') }} as events
    left join {{ ref('int_customer_account_owner') }} as customers using (customer_id)
    where events.is_contact
)

{{ rows_that_differ('contacts', 'event_id', contact_columns) }}
