-- Grain: one source customer number (ERP customer number, CRM contact, newsletter
-- subscriber) and the resolved customer it belongs to. The management models reach the
-- source systems' own numbers only through here, so a renamed number column in staging
-- or identity resolution is one change. source, entity and record_id are the columns
-- identity resolution names a record by (int_identity_clusters); joins use them, never
-- parts of record_key.
select
    source,
    entity,
    record_id,
    customer_id
from {{ ref('int_identity_clusters') }}
where (source, entity) in (('erp', 'customers'), ('crm', 'contacts'), ('newsletter', 'subscribers'))
