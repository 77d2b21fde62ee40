-- Grain: one source customer number (ERP customer number, CRM contact, newsletter
-- subscriber) and the resolved customer it belongs to. The management models reach the
-- source systems' own numbers only through here, so a renamed number column in staging
-- or identity resolution is one change.
select
    split_part(record_key, ':', 1) as source_entity,
    split_part(record_key, ':', 2) as source_customer_number,
    customer_id
from {{ ref('int_identity_clusters') }}
where split_part(record_key, ':', 1) in ('erp.customers', 'crm.contacts', 'newsletter.subscribers')
