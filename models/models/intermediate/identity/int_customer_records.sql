-- Every record that describes a customer or contact, from every source system, in one
-- shape: the input of identity resolution. One row per source record (its newest
-- version). Built by column NAME from the source catalogue's customer_record mappings
-- (macro customer_record_mappings): an entity becomes a customer record by declaring the
-- mapping in ingest/sources.yml, and an attribute it lacks is NULL; columns are read under
-- their staging names (the catalogue's staged_as). record_key names the record uniquely
-- across systems ("crm.contacts:K000123"); source, entity and record_id are its parts as
-- columns, and marts join on those (never by taking record_key apart).
-- erp_customer_number is the ERP customer number a record carries (an ERP customer's
-- own, a CRM contact's reference to one); customer_id, downstream, is the resolved
-- customer (int_identity_clusters).
--
-- The staging model of each entity is stg_<source>__<entity>; dbt must know them before
-- it reads the catalogue, so each is named here once:
-- depends_on: {{ ref('stg_erp__customers') }}
-- depends_on: {{ ref('stg_crm__contacts') }}
-- depends_on: {{ ref('stg_webshop__accounts') }}
-- depends_on: {{ ref('stg_helpdesk__requesters') }}
-- depends_on: {{ ref('stg_newsletter__subscribers') }}
--
-- Incremental (docs/performance.md): a record's row follows from its newest version
-- alone, so a build writes only the records with a version loaded since this table was
-- last built (delete+insert by record_key), and the others keep their rows. Records
-- leave staging only by an erasure, which rebuilds with --full-refresh. Every record is
-- written afresh when the catalogue's customer-record mappings changed
-- (built_with_mappings, a fingerprint of them).
{{ config(
    materialized='incremental',
    unique_key='record_key',
) }}
{%- set text_attributes = ['erp_customer_number', 'customer_type', 'company_name', 'first_name', 'last_name', 'email', 'phone',
                           'street_address', 'postal_code', 'city', 'social_handle'] %}
{#- The standardised form staging derives for an attribute (macros/standardise). #}
{%- set standardised = {'email': 'email_std', 'phone': 'phone_e164', 'first_name': 'first_name_std',
                        'last_name': 'last_name_std', 'company_name': 'company_name_std', 'postal_code': 'postal_code_std'} %}
{%- set mappings = customer_record_mappings() %}
{%- set mappings_fingerprint = local_md5(tojson(mappings)) %}
{%- set only_loaded_since = is_incremental() and built_with_column('built_with_mappings') %}

with unioned as (
{%- for key, mapping in mappings.items() %}
    {%- set columns = mapping['columns'] %}
    select
        '{{ mapping["source"] }}' as source,
        '{{ mapping["entity"] }}' as entity,
        cast({{ adapter.quote(columns['id']) }} as varchar) as record_id,
        {%- for attribute in text_attributes %}
        cast({{ adapter.quote(columns[attribute]) if attribute in columns else 'null' }} as varchar) as {{ attribute }},
        {%- endfor %}
        cast({{ adapter.quote(columns['updated_at']) if 'updated_at' in columns else 'null' }} as timestamp) as updated_at,
        {%- for attribute, std_column in standardised.items() %}
        cast({{ std_column if attribute in columns else 'null' }} as varchar) as {{ std_column }},
        {%- endfor %}
        load_id,
        first_load_id,
        source_file,
        source_row
    from {{ ref('stg_' ~ mapping['source'] ~ '__' ~ mapping['entity']) }}
    {%- if only_loaded_since %}
    where load_id > {{ loads_since_last_build() }}
       or (select max(built_with_mappings) from {{ this }}) is distinct from '{{ mappings_fingerprint }}'
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- else %}
    -- Parsing only (no catalogue read yet): the shape, no rows.
    select null::varchar as source, null::varchar as entity, null::varchar as record_id,
        {%- for attribute in text_attributes %} null::varchar as {{ attribute }},{% endfor %}
        null::timestamp as updated_at,
        {%- for std_column in standardised.values() %} null::varchar as {{ std_column }},{% endfor %}
        null::bigint as load_id, null::bigint as first_load_id, null::varchar as source_file, null::bigint as source_row
    where false
{%- endfor %}
)

select
    source || '.' || entity || ':' || record_id as record_key,
    *,
    {{ fold_finnish_letters('first_name_std') }} as first_name_folded,
    {{ fold_finnish_letters('last_name_std') }} as last_name_folded,
    split_part(email_std, '@', 1) as email_local,
    split_part(email_std, '@', 2) as email_domain,
    lower(trim(city)) as city_std,
    {{ standardise_name('street_address') }} as street_std,
    '{{ mappings_fingerprint }}' as built_with_mappings,
    {{ incremental_columns() }}
from unioned
