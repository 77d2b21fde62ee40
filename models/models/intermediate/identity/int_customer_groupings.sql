-- Households and companies: groupings of resolved customers that are NOT merged into
-- one customer. A household is the consumers at one street address and postcode (the
-- spouses, twins, a parent and an adult child that identity resolution keeps apart); a
-- company group is the business customers with one company name (legal form removed).
-- One row per customer; marts use the ids for a household or company view of value.
with customers as (
    select
        customer_id,
        customer_type,
        nullif(regexp_replace(lower(trim(street_address)), '\s+', ' ', 'g'), '') as street_key,
        postal_code,
        {{ standardise_company_name('company_name') }} as company_key
    from {{ ref('int_customer_golden_record') }}
),

keyed as (
    select
        customer_id,
        case when customer_type = 'consumer' and street_key is not null and postal_code is not null
             then 'HH-' || upper(substr(md5(street_key || '|' || postal_code), 1, 16)) end as household_id,
        case when customer_type = 'business' and company_key is not null
             then 'CO-' || upper(substr(md5(company_key), 1, 16)) end as company_group_id
    from customers
)

select
    customer_id,
    household_id,
    case when household_id is not null then count(*) over (partition by household_id) end as household_size,
    company_group_id,
    case when company_group_id is not null then count(*) over (partition by company_group_id) end as company_group_size
from keyed
