-- Why each customer is who it is: one row per source record of a customer, with the
-- links that joined it to the customer's other records (the rule, score or reviewer's
-- decision behind each) and the engine's decision on every other candidate pair it was
-- part of (review, veto). What a reviewer reads before a split or merge.
-- Incremental (docs/performance.md): every record's row is worked out afresh (a link or
-- a decision anywhere in a customer can change it), and only the rows that are new or
-- differ from the built row are written (rows_that_differ, delete+insert by record_key):
-- rewriting the whole table cost about as much again as computing it, while a day
-- changes few records' evidence. A record no longer here gets a marker row (customer_id
-- null) that deletes it; the post-hook removes the marker.
{{ config(
    materialized='incremental',
    unique_key='record_key',
    post_hook=["delete from {{ this }} where customer_id is null"],
) }}
{%- set evidence_columns = ['customer_id', 'source', 'entity', 'record_id', 'is_anchor', 'records_in_customer', 'person_name',
                            'company_name', 'email', 'phone', 'source_file', 'source_row', 'load_id', 'joined_by', 'kept_apart_from'] %}
with clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

records as (
    select record_key, source, entity, record_id, source_file, source_row, load_id, first_name, last_name,
        company_name, email, phone
    from {{ ref('int_customer_records') }}
),

links as (
    select record_key_l as record_key, record_key_r as other_record_key, reasons, match_probability from {{ ref('int_identity_links') }}
    union all
    select record_key_r, record_key_l, reasons, match_probability from {{ ref('int_identity_links') }}
),

held_back as (
    select record_key_l as record_key, record_key_r as other_record_key, decision, decision_reason, match_probability
    from {{ ref('int_identity_scored_pairs') }} where decision <> 'link'
    union all
    select record_key_r, record_key_l, decision, decision_reason, match_probability
    from {{ ref('int_identity_scored_pairs') }} where decision <> 'link'
),

evidence as (
    select
        clusters.customer_id,
        records.record_key,
        records.source,
        records.entity,
        records.record_id,
        clusters.record_key = clusters.anchor_record_key as is_anchor,
        clusters.records_in_customer,
        concat_ws(' ', records.first_name, records.last_name) as person_name,
        records.company_name,
        records.email,
        records.phone,
        records.source_file,
        records.source_row,
        records.load_id,
        -- Sorted after listing (structs compare by their first field, the other record's key
        -- first): an ordered aggregate, list(... order by ...), buffered and sorted each group
        -- apart, 1.7-2.0 s of this model's 2 s at 100,000 customers against 0.6 s.
        (select list_sort(list(struct_pack(record_key := links.other_record_key, reasons := links.reasons,
                                           match_probability := links.match_probability)))
         from links where links.record_key = records.record_key) as joined_by,
        (select list_sort(list(struct_pack(record_key := held_back.other_record_key, decision := held_back.decision,
                                           reason := held_back.decision_reason, match_probability := held_back.match_probability)))
         from held_back where held_back.record_key = records.record_key) as kept_apart_from
    from clusters
    inner join records using (record_key)
)

{{ rows_that_differ('evidence', 'record_key', evidence_columns) }}
