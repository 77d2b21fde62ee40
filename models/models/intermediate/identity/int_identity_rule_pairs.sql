-- Pairs of customer records that the systems themselves say are one customer: a CRM
-- contact naming its ERP customer number, a webshop account used on an ERP order. Links
-- from the records' contact data (same e-mail, same mobile, ...) are the identity
-- engine's (int_identity_scored_pairs), which also knows the guard rails; these two are
-- system identifiers it does not see. A pair is listed once per rule
-- (record_key_l < record_key_r); each rule can be switched off in dbt_project.yml
-- (identity_rules).
{%- set rules = var('identity_rules') %}

with records as (
    select * from {{ ref('int_customer_records') }}
),

{#- A CRM contact that names its ERP customer number is that ERP customer. #}
shared_customer_number as (
    select least(l.record_key, r.record_key) as record_key_l, greatest(l.record_key, r.record_key) as record_key_r,
        'shared_customer_number' as rule
    from records as l
    inner join records as r
        on l.erp_customer_number = r.record_id
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
        on account.source = 'webshop' and account.entity = 'accounts' and account.record_id = orders.webshop_account_id
    inner join records as customer
        on customer.source = 'erp' and customer.entity = 'customers' and customer.record_id = orders.erp_customer_number
    where {{ rules['webshop_account_on_order'] }}
)

select * from shared_customer_number
union all select * from webshop_account_on_order
