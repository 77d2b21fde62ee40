-- The newest version of each of the CRM contacts (stg_crm__contacts_versions holds every
-- version, with the columns and standardised forms described there).
{{ newest_version(ref('stg_crm__contacts_versions'), ['contact_id']) }}
