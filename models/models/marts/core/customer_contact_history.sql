-- Contact-data history: every e-mail and phone a customer's records have held, in every
-- source, and when each changed. Built from all versions kept in the raw tables (not
-- only the newest), so an address that was replaced is still known, with the load and
-- row that brought each value.
with versions as (
    select 'erp.customers:' || customer_id as record_key, 'erp' as source, email, phone, updated_at, _load_id, _source_file, _source_row
    from {{ source('erp', 'customers') }}
    union all
    select 'crm.contacts:' || contact_id, 'crm', email, phone, updated_at, _load_id, _source_file, _source_row
    from {{ source('crm', 'contacts') }}
    union all
    select 'webshop.accounts:' || account_id, 'webshop', email, phone, updated_at, _load_id, _source_file, _source_row
    from {{ source('webshop', 'accounts') }}
    union all
    select 'helpdesk.requesters:' || requester_id, 'helpdesk', email, phone, updated_at, _load_id, _source_file, _source_row
    from {{ source('helpdesk', 'requesters') }}
    union all
    select 'newsletter.subscribers:' || subscriber_id, 'newsletter', email, null, updated_at, _load_id, _source_file, _source_row
    from {{ source('newsletter', 'subscribers') }}
),

values_held as (
    select record_key, source, 'email' as attribute, {{ standardise_email('email') }} as value, updated_at, _load_id, _source_file, _source_row
    from versions
    union all
    select record_key, source, 'phone', {{ standardise_phone('phone') }}, updated_at, _load_id, _source_file, _source_row
    from versions
),

with_previous as (
    select
        *,
        lag(value) over (partition by record_key, attribute order by _load_id, _source_row) as previous_value,
        row_number() over (partition by record_key, attribute order by _load_id, _source_row) as version_number
    from values_held
)

select
    clusters.customer_id,
    with_previous.record_key,
    with_previous.source,
    with_previous.attribute,
    with_previous.previous_value,
    with_previous.value,
    case when version_number = 1 then 'first_seen' else 'changed' end as change_type,
    with_previous.updated_at as changed_at,
    with_previous._load_id as load_id,
    with_previous._source_file as source_file,
    with_previous._source_row as source_row
from with_previous
inner join {{ ref('int_identity_clusters') }} as clusters using (record_key)
where with_previous.value is not null
  and (version_number = 1 or with_previous.previous_value is distinct from with_previous.value)
