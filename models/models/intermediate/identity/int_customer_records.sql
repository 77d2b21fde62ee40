-- Every record that describes a customer or contact, from every source system, in one
-- shape: the input of identity resolution. One row per source record (its newest
-- version). record_key names the record uniquely across systems, e.g.
-- "crm.contacts:K000123". Columns a system does not have are NULL.
with erp_customers as (
    select
        'erp' as source,
        'customers' as entity,
        customer_id as record_id,
        customer_id as customer_number,
        customer_type,
        company_name,
        first_name,
        last_name,
        email,
        phone,
        street_address,
        postal_code,
        city,
        cast(null as varchar) as social_handle,
        updated_at,
        email_std,
        phone_e164,
        first_name_std,
        last_name_std,
        company_name_std,
        postal_code_std,
        load_id,
        first_load_id,
        source_file,
        source_row
    from {{ ref('stg_erp__customers') }}
),

crm_contacts as (
    select
        'crm', 'contacts', contact_id, erp_customer_id, contact_type, company_name, first_name, last_name,
        email, phone, street_address, postal_code, city, social_handle, updated_at,
        email_std, phone_e164, first_name_std, last_name_std, company_name_std, postal_code_std,
        load_id, first_load_id, source_file, source_row
    from {{ ref('stg_crm__contacts') }}
),

webshop_accounts as (
    select
        'webshop', 'accounts', account_id, null, null, null, first_name, last_name,
        email, phone, street_address, postal_code, city, null, updated_at,
        email_std, phone_e164, first_name_std, last_name_std, null, postal_code_std,
        load_id, first_load_id, source_file, source_row
    from {{ ref('stg_webshop__accounts') }}
),

helpdesk_requesters as (
    select
        'helpdesk', 'requesters', requester_id, null, null, organization, first_name, last_name,
        email, phone, null, null, null, null, updated_at,
        email_std, phone_e164, first_name_std, last_name_std, company_name_std, null,
        load_id, first_load_id, source_file, source_row
    from {{ ref('stg_helpdesk__requesters') }}
),

newsletter_subscribers as (
    select
        'newsletter', 'subscribers', subscriber_id, null, null, null, first_name, last_name,
        email, null, null, null, null, null, updated_at,
        email_std, null, first_name_std, last_name_std, null, null,
        load_id, first_load_id, source_file, source_row
    from {{ ref('stg_newsletter__subscribers') }}
),

unioned as (
    select * from erp_customers
    union all select * from crm_contacts
    union all select * from webshop_accounts
    union all select * from helpdesk_requesters
    union all select * from newsletter_subscribers
)

select
    source || '.' || entity || ':' || record_id as record_key,
    *,
    {{ fold_finnish_letters('first_name_std') }} as first_name_folded,
    {{ fold_finnish_letters('last_name_std') }} as last_name_folded,
    split_part(email_std, '@', 1) as email_local,
    split_part(email_std, '@', 2) as email_domain,
    lower(trim(city)) as city_std,
    {{ standardise_name('street_address') }} as street_std
from unioned
