-- Contact-data history: every e-mail and phone a customer's records have held, in every
-- source, and when each changed. Built from every version of each customer record
-- (stg_<source>__<entity>_versions, not only the newest), so an address that was
-- replaced is still known, with the load and row that brought each value. Values are
-- the standardised forms staging derives (email_std, phone_e164). A record reaches its
-- customer by source, entity and record_id (int_identity_clusters), so after a
-- reviewer's split each record's history follows the record to its own customer.
with versions as (
    select 'erp' as source, 'customers' as entity, erp_customer_number as record_id, email_std, phone_e164, updated_at, load_id, source_file, source_row
    from {{ ref('stg_erp__customers_versions') }}
    union all
    select 'crm', 'contacts', contact_id, email_std, phone_e164, updated_at, load_id, source_file, source_row
    from {{ ref('stg_crm__contacts_versions') }}
    union all
    select 'webshop', 'accounts', account_id, email_std, phone_e164, updated_at, load_id, source_file, source_row
    from {{ ref('stg_webshop__accounts_versions') }}
    union all
    select 'helpdesk', 'requesters', requester_id, email_std, phone_e164, updated_at, load_id, source_file, source_row
    from {{ ref('stg_helpdesk__requesters_versions') }}
    union all
    select 'newsletter', 'subscribers', subscriber_id, email_std, null, updated_at, load_id, source_file, source_row
    from {{ ref('stg_newsletter__subscribers_versions') }}
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
    with_previous.source_row
from with_previous
inner join {{ ref('int_identity_clusters') }} as clusters using (source, entity, record_id)
where with_previous.value is not null
  and (version_number = 1 or with_previous.previous_value is distinct from with_previous.value)
