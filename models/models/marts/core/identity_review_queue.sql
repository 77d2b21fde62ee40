-- What a person has to decide: candidate pairs the identity engine sent to review (a
-- score between the review and the auto-accept threshold, vars identity_thresholds, or
-- a link a guard rail held back: a value shared by too many records, a record without a
-- name between two people, a customer that would hold a vetoed pair), not decided yet
-- and not already joined by other links; and social handles that match no customer. Each item carries
-- the evidence to decide on. Decisions go to the identity decisions file
-- (config/identity-decisions.csv) as accept/reject and are read back on the next build.
with records as (
    select * from {{ ref('int_customer_records') }}
),

clusters as (
    select record_key, customer_id from {{ ref('int_identity_clusters') }}
),

decided as (
    select record_key_l, record_key_r from {{ ref('int_identity_decisions') }}
),

candidate_pairs as (
    select scored.*
    from {{ ref('int_identity_scored_pairs') }} as scored
    where scored.decision = 'review'
      and not exists (
          select 1 from decided
          where decided.record_key_l = scored.record_key_l and decided.record_key_r = scored.record_key_r
      )
),

pair_items as (
    select
        'pair:' || pairs.record_key_l || '|' || pairs.record_key_r as review_item_id,
        'candidate_pair' as item_type,
        pairs.record_key_l,
        pairs.record_key_r,
        cast(null as varchar) as handle,
        pairs.match_probability,
        pairs.decision_reason as review_reason,
        cluster_l.customer_id as customer_id_l,
        cluster_r.customer_id as customer_id_r,
        to_json(struct_pack(
            left_record := struct_pack(
                name := concat_ws(' ', l.first_name, l.last_name), company := l.company_name,
                email := l.email, phone := l.phone, address := concat_ws(', ', l.street_address, l.postal_code, l.city),
                source_file := l.source_file, source_row := l.source_row),
            right_record := struct_pack(
                name := concat_ws(' ', r.first_name, r.last_name), company := r.company_name,
                email := r.email, phone := r.phone, address := concat_ws(', ', r.street_address, r.postal_code, r.city),
                source_file := r.source_file, source_row := r.source_row),
            scores := pairs
        )) as evidence
    from candidate_pairs as pairs
    inner join records as l on l.record_key = pairs.record_key_l
    inner join records as r on r.record_key = pairs.record_key_r
    inner join clusters as cluster_l on cluster_l.record_key = pairs.record_key_l
    inner join clusters as cluster_r on cluster_r.record_key = pairs.record_key_r
    where cluster_l.customer_id <> cluster_r.customer_id
),

unmatched_handles as (
    select
        'handle:' || mentions.handle_std as review_item_id,
        'unmatched_social_handle' as item_type,
        null as record_key_l,
        null as record_key_r,
        min(mentions.handle) as handle,
        null as match_probability,
        'no customer has this social handle' as review_reason,
        null as customer_id_l,
        null as customer_id_r,
        to_json(struct_pack(
            mentions := count(*),
            channels := list(distinct mentions.channel),
            author_names := list(distinct mentions.author_name) filter (where mentions.author_name is not null),
            first_seen := min(mentions.posted_at),
            last_seen := max(mentions.posted_at),
            example := min(mentions.text)
        )) as evidence
    from {{ ref('stg_social__mentions') }} as mentions
    where mentions.handle_std not in (select handle_std from {{ ref('int_social_handle_links') }})
    group by mentions.handle_std
)

select * from pair_items
union all
select * from unmatched_handles
