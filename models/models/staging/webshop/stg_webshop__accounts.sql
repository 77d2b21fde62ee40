-- The newest version of each of the webshop accounts (stg_webshop__accounts_versions holds every
-- version, with the columns and standardised forms described there).
{{ newest_version(ref('stg_webshop__accounts_versions'), ['account_id']) }}
