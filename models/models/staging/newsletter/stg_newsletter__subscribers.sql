with source as (
    {{ latest_version(source('newsletter', 'subscribers'), ['subscriber_id']) }}
)

-- The *_std columns are the standardised forms identity resolution compares
-- (macros/standardise); the source's own values stay beside them.
select
    subscriber_id,
    email,
    first_name,
    last_name,
    status,
    subscribed_at,
    updated_at,
    {{ standardise_email('email') }} as email_std,
    {{ standardise_name('first_name') }} as first_name_std,
    {{ standardise_name('last_name') }} as last_name_std,
    {{ source_lineage_columns(first_load=true) }}
from source
