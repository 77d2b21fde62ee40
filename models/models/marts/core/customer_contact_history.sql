-- Contact-data history: every e-mail and phone a customer's records have held, in every
-- source, and when each changed. Built from every version of each customer record
-- (stg_<source>__<entity>_versions, not only the newest), so an address that was
-- replaced is still known, with the load and row that brought each value. Values are
-- the standardised forms staging derives (email_std, phone_e164). A record reaches its
-- customer by source, entity and record_id (int_identity_clusters), so after a
-- reviewer's split each record's history follows the record to its own customer.
-- Incremental (docs/performance.md): a record's rows depend on its own versions and its
-- customer alone, so a build recomputes the records with a version loaded since this
-- table was last built and those whose customer changed (a merge, a split), and
-- replaces their rows (delete+insert by record_key). Each recomputed record also gets a
-- marker row (attribute null), so its old rows go even when it has no value left; the
-- post-hook removes the markers. Records leave only by an erasure, which rebuilds with
-- --full-refresh.
{{ config(
    materialized='incremental',
    unique_key='record_key',
    post_hook=["delete from {{ this }} where attribute is null"],
) }}
{%- set sources = [
    ('erp', 'customers', 'erp_customer_number', 'stg_erp__customers_versions', 'phone_e164'),
    ('crm', 'contacts', 'contact_id', 'stg_crm__contacts_versions', 'phone_e164'),
    ('webshop', 'accounts', 'account_id', 'stg_webshop__accounts_versions', 'phone_e164'),
    ('helpdesk', 'requesters', 'requester_id', 'stg_helpdesk__requesters_versions', 'phone_e164'),
    ('newsletter', 'subscribers', 'subscriber_id', 'stg_newsletter__subscribers_versions', 'null'),
] %}
with clusters as (
    select source, entity, record_id, record_key, customer_id from {{ ref('int_identity_clusters') }}
),

{% if is_incremental() %}
recomputed as (
    {%- for source, entity, id_column, model, phone in sources %}
    select '{{ source }}' as source, '{{ entity }}' as entity, {{ id_column }} as record_id
    from {{ ref(model) }} where load_id > {{ loads_since_last_build() }}
    union
    {%- endfor %}
    -- Records now of another customer than their built rows say.
    select clusters.source, clusters.entity, clusters.record_id
    from (select distinct record_key, customer_id from {{ this }}) as built
    inner join clusters using (record_key)
    where clusters.customer_id is distinct from built.customer_id
),
{% endif %}

versions as (
    {%- for source, entity, id_column, model, phone in sources %}
    select '{{ source }}' as source, '{{ entity }}' as entity, {{ id_column }} as record_id, email_std, {{ phone }} as phone_e164,
        updated_at, load_id, source_file, source_row
    from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

values_held as (
    select source, entity, record_id, 'email' as attribute, email_std as value, updated_at, load_id, source_file, source_row
    from versions
    union all
    select source, entity, record_id, 'phone', phone_e164, updated_at, load_id, source_file, source_row
    from versions
),

with_previous as (
    select
        *,
        lag(value) over (partition by source, entity, record_id, attribute order by load_id, source_row) as previous_value,
        row_number() over (partition by source, entity, record_id, attribute order by load_id, source_row) as version_number
    from values_held
    {% if is_incremental() %}semi join recomputed using (source, entity, record_id){% endif %}
)

select
    clusters.customer_id,
    clusters.record_key,
    with_previous.source,
    with_previous.attribute,
    with_previous.previous_value,
    with_previous.value,
    case when version_number = 1 then 'first_seen' else 'changed' end as change_type,
    with_previous.updated_at as changed_at,
    with_previous.load_id,
    with_previous.source_file,
    with_previous.source_row,
    {{ incremental_columns() }}
from with_previous
inner join clusters using (source, entity, record_id)
where with_previous.value is not null
  and (version_number = 1 or with_previous.previous_value is distinct from with_previous.value)
{% if is_incremental() %}
-- A marker per recomputed record: delete+insert removes its old rows even when it has no
-- value left; the post-hook deletes the markers.
union all by name
select clusters.record_key, {{ incremental_columns() }}
from recomputed
inner join clusters using (source, entity, record_id)
{% endif %}
