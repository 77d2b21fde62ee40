-- Every version of each record of the webshop accounts that the loads brought (the raw table keeps
-- them all); stg_webshop__accounts is the newest of each. The contact-data history
-- (core.customer_contact_history) reads the older versions too.
with source as (
    {{ all_versions(source('webshop', 'accounts'), ['account_id']) }}
)

-- The *_std columns are the standardised forms identity resolution compares
-- (macros/standardise); the source's own values stay beside them.
select
    account_id,
    email,
    first_name,
    last_name,
    phone,
    street_address,
    postal_code,
    city,
    marketing_consent,
    created_at,
    updated_at,
    {{ standardise_email('email') }} as email_std,
    {{ standardise_phone('phone') }} as phone_e164,
    {{ standardise_name('first_name') }} as first_name_std,
    {{ standardise_name('last_name') }} as last_name_std,
    {{ standardise_postal_code('postal_code') }} as postal_code_std,
    {{ source_lineage_columns(first_load=true) }}
from source
