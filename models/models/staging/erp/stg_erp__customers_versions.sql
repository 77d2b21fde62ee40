-- Every version of each record of the ERP customers that the loads brought (the raw table keeps
-- them all); stg_erp__customers is the newest of each. The contact-data history
-- (core.customer_contact_history) reads the older versions too.
with source as (
    {{ all_versions(source('erp', 'customers'), ['customer_id']) }}
)

select
    customer_id as erp_customer_number,
    customer_type,
    company_name,
    business_id,
    first_name,
    last_name,
    coalesce(company_name, concat_ws(' ', first_name, last_name)) as customer_name,
    email,
    phone,
    street_address,
    postal_code,
    city,
    region,
    created_at as created_on,
    updated_at,
    {{ standardise_email('email') }} as email_std,
    {{ standardise_phone('phone') }} as phone_e164,
    {{ standardise_name('first_name') }} as first_name_std,
    {{ standardise_name('last_name') }} as last_name_std,
    {{ standardise_company_name('company_name') }} as company_name_std,
    {{ standardise_postal_code('postal_code') }} as postal_code_std,
    {{ source_lineage_columns(first_load=true) }}
from source
