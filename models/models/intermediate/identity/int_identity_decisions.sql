-- Reviewers' decisions on candidate pairs, one per pair (the latest wins when a pair was
-- decided twice), in the same left < right order as every other pair table.
with decisions as (
    select
        least(trim(record_key_l), trim(record_key_r)) as record_key_l,
        greatest(trim(record_key_l), trim(record_key_r)) as record_key_r,
        lower(trim(decision)) as decision,
        decided_by,
        try_cast(decided_at as timestamp) as decided_at,
        note,
        row_number() over () as file_row
    from {{ source('review', 'identity_decisions') }}
    where record_key_l is not null and record_key_r is not null
)

select * exclude (file_row)
from decisions
qualify row_number() over (partition by record_key_l, record_key_r order by decided_at desc nulls last, file_row desc) = 1
