-- Every version of each record of the helpdesk requesters that the loads brought (the raw table keeps
-- them all); stg_helpdesk__requesters is the newest of each. The contact-data history
-- (core.customer_contact_history) reads the older versions too.
with source as (
    {{ all_versions(source('helpdesk', 'requesters'), ['requester_id']) }}
)

-- The *_std columns are the standardised forms identity resolution compares
-- (macros/standardise); the source's own values stay beside them.
select
    requester_id,
    first_name,
    last_name,
    organization,
    email,
    phone,
    created_at,
    updated_at,
    {{ standardise_email('email') }} as email_std,
    {{ standardise_phone('phone') }} as phone_e164,
    {{ standardise_name('first_name') }} as first_name_std,
    {{ standardise_name('last_name') }} as last_name_std,
    {{ standardise_company_name('organization') }} as company_name_std,
    {{ source_lineage_columns(first_load=true) }}
from source
