-- One row per customer: the surviving value of each attribute and where it came from.
-- See macro surviving_attribute for the rule; ranks come from the source catalogue.
-- Incremental: written where changed (macro rows_that_differ, docs/performance.md).
{{ config(
    materialized='incremental',
    unique_key='customer_id',
    post_hook=["delete from {{ this }} where source_record_count is null"],
) }}
with members as (
    select clusters.customer_id, records.*
    from {{ ref('int_identity_clusters') }} as clusters
    inner join {{ ref('int_customer_records') }} as records using (record_key)
),

masters as (
    select attribute, source, rank from {{ source('catalogue', 'attribute_masters') }}
),

customers as (
    select
        customer_id,
        count(*) as source_record_count,
        list(record_key order by record_key) as source_record_keys,
        min(first_load_id) as first_load_id,
        max(load_id) as last_load_id,
        max(case when source = 'erp' and entity = 'customers' then record_id end) as erp_customer_number
    from members
    group by customer_id
),

name as ({{ surviving_attribute('name', ['first_name', 'last_name'], 'members.first_name is not null or members.last_name is not null') }}),
company as ({{ surviving_attribute('company_name', ['company_name'], 'members.company_name is not null') }}),
customer_type as ({{ surviving_attribute('customer_type', ['customer_type'], 'members.customer_type is not null') }}),
email as ({{ surviving_attribute('email', ['email_std'], 'members.email_std is not null') }}),
phone as ({{ surviving_attribute('phone', ['phone_e164'], 'members.phone_e164 is not null') }}),
address as ({{ surviving_attribute('address', ['street_address', 'postal_code_std', 'city'], 'members.postal_code_std is not null or members.city is not null') }}),

golden as (
    select
        customers.customer_id,
        customers.erp_customer_number,
        coalesce(customer_type.customer_type, case when company.company_name is not null then 'business' else 'consumer' end) as customer_type,
        company.company_name,
        name.first_name,
        name.last_name,
        coalesce(company.company_name, concat_ws(' ', name.first_name, name.last_name)) as customer_name,
        email.email_std as email,
        phone.phone_e164 as phone,
        address.street_address,
        address.postal_code_std as postal_code,
        address.city,
        customers.source_record_count,
        customers.source_record_keys,
        customers.first_load_id,
        customers.last_load_id,
        name.name_source, name.name_record_key, name.name_load_id,
        company.company_name_source, company.company_name_record_key, company.company_name_load_id,
        customer_type.customer_type_source, customer_type.customer_type_record_key, customer_type.customer_type_load_id,
        email.email_source, email.email_record_key, email.email_load_id,
        phone.phone_source, phone.phone_record_key, phone.phone_load_id,
        address.address_source, address.address_record_key, address.address_load_id
    from customers
    left join name using (customer_id)
    left join company using (customer_id)
    left join customer_type using (customer_id)
    left join email using (customer_id)
    left join phone using (customer_id)
    left join address using (customer_id)
)

{{ rows_that_differ('golden', 'customer_id', golden_record_columns()) }}
