-- The newest version of each of the ERP customers (stg_erp__customers_versions holds every
-- version, with the columns and standardised forms described there).
{{ newest_version(ref('stg_erp__customers_versions'), ['erp_customer_number']) }}
