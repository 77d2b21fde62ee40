with source as (
    {{ latest_version(source('helpdesk', 'requesters'), ['requester_id']) }}
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
    _load_id as load_id,
    _first_load_id as first_load_id,
    _source_file as source_file,
    _source_row as source_row
from source
