-- Pairs of customer records that deterministic rules say are the same customer, each
-- with the rule that linked them. A pair is listed once per rule (record_key_l <
-- record_key_r). Rules are switched on and tuned in dbt_project.yml
-- (identity_rules); the names below are the keys there.
{%- set rules = var('identity_rules') %}

with records as (
    select * from {{ ref('int_customer_records') }}
),



same_email as (
    select l.record_key as record_key_l, r.record_key as record_key_r, 'same_email' as rule
    from records as l
    inner join records as r on l.email_std = r.email_std and l.record_key < r.record_key
    where {{ rules['same_email'] }}
      and {{ names_compatible('l.first_name_folded', 'r.first_name_folded') }}
      and {{ names_compatible('l.last_name_folded', 'r.last_name_folded') }}
),

same_phone as (
    select l.record_key, r.record_key, 'same_phone_and_compatible_name'
    from records as l
    inner join records as r on l.phone_e164 = r.phone_e164 and l.record_key < r.record_key
    where {{ rules['same_phone_and_compatible_name'] }}
      and {{ names_compatible('l.first_name_folded', 'r.first_name_folded') }}
      and {{ names_compatible('l.last_name_folded', 'r.last_name_folded') }}
      and (l.last_name_folded is not null or l.company_name_std is not null)
),

same_company_and_person as (
    select l.record_key, r.record_key, 'same_company_and_person'
    from records as l
    inner join records as r
        on l.company_name_std = r.company_name_std
        and l.last_name_folded = r.last_name_folded
        and l.first_name_folded = r.first_name_folded
        and l.record_key < r.record_key
    where {{ rules['same_company_and_person'] }}
),

{#- A CRM contact that names its ERP customer number is that ERP customer. #}
shared_customer_number as (
    select least(l.record_key, r.record_key), greatest(l.record_key, r.record_key), 'shared_customer_number'
    from records as l
    inner join records as r
        on l.customer_number = r.record_id
        and r.source = 'erp' and r.entity = 'customers'
        and l.record_key <> r.record_key
    where {{ rules['shared_customer_number'] }}
),

{#- An ERP order placed through a webshop account ties that account to the customer. #}
webshop_account_on_order as (
    select distinct
        least(account.record_key, customer.record_key),
        greatest(account.record_key, customer.record_key),
        'webshop_account_on_order'
    from {{ ref('stg_erp__orders') }} as orders
    inner join records as account
        on account.source = 'webshop' and account.entity = 'accounts' and account.record_id = orders.webshop_customer_id
    inner join records as customer
        on customer.source = 'erp' and customer.entity = 'customers' and customer.record_id = orders.customer_id
    where {{ rules['webshop_account_on_order'] }}
)

select * from same_email
union all select * from same_phone
union all select * from same_company_and_person
union all select * from shared_customer_number
union all select * from webshop_account_on_order
