-- The newest version of each of the helpdesk requesters (stg_helpdesk__requesters_versions holds every
-- version, with the columns and standardised forms described there).
{{ newest_version(ref('stg_helpdesk__requesters_versions'), ['requester_id']) }}
