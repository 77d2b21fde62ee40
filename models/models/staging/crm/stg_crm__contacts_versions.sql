-- Every version of each record of the CRM contacts that the loads brought (the raw table keeps
-- them all); stg_crm__contacts is the newest of each. The contact-data history
-- (core.customer_contact_history) reads the older versions too.
with source as (
    {{ all_versions(source('crm', 'contacts'), ['contact_id']) }}
)

-- The *_std columns are the standardised forms identity resolution compares
-- (macros/standardise); the source's own values stay beside them.
select
    contact_id,
    erp_customer_id as erp_customer_number,
    contact_type,
    company_name,
    first_name,
    last_name,
    email,
    phone,
    street_address,
    postal_code,
    city,
    social_handle,
    owner,
    lifecycle_stage,
    created_at,
    updated_at,
    {{ standardise_email('email') }} as email_std,
    {{ standardise_handle('social_handle') }} as social_handle_std,
    {{ standardise_phone('phone') }} as phone_e164,
    {{ standardise_name('first_name') }} as first_name_std,
    {{ standardise_name('last_name') }} as last_name_std,
    {{ standardise_company_name('company_name') }} as company_name_std,
    {{ standardise_postal_code('postal_code') }} as postal_code_std,
    {{ source_lineage_columns(first_load=true) }}
from source
