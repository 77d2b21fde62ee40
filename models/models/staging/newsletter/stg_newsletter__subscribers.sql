-- The newest version of each of the newsletter subscribers (stg_newsletter__subscribers_versions holds every
-- version, with the columns and standardised forms described there).
{{ newest_version(ref('stg_newsletter__subscribers_versions'), ['subscriber_id']) }}
