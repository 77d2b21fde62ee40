-- The edges identity resolution clusters on: every pair of records taken to be the same
-- customer, and why. The identity engine's links (decision = 'link' in
-- int_identity_scored_pairs: its rules, or a score from identity_thresholds.auto_accept
-- with the guard rails passed) and the systems' own identifiers (int_identity_rule_pairs);
-- a reviewer's accept adds a pair, a reviewer's reject removes it whatever linked it.
with system_pairs as (
    select record_key_l, record_key_r, 'rule:' || rule as reason, 1.0 as match_probability
    from {{ ref('int_identity_rule_pairs') }}
),

engine_pairs as (
    select record_key_l, record_key_r,
        case when rules is not null then 'rule:' || replace(rules, ', ', ', rule:') else 'score' end as reason,
        coalesce(match_probability, 1.0) as match_probability
    from {{ ref('int_identity_scored_pairs') }}
    where decision = 'link'
),

accepted as (
    select record_key_l, record_key_r, 'review:accept' as reason, 1.0 as match_probability
    from {{ ref('int_identity_decisions') }}
    where decision = 'accept'
),

rejected as (
    select record_key_l, record_key_r
    from {{ ref('int_identity_decisions') }}
    where decision = 'reject'
),

all_links as (
    select * from system_pairs
    union all select * from engine_pairs
    union all select * from accepted
)

select
    record_key_l,
    record_key_r,
    string_agg(distinct reason, ', ' order by reason) as reasons,
    max(match_probability) as match_probability
from all_links
where not exists (
    select 1 from rejected
    where rejected.record_key_l = all_links.record_key_l and rejected.record_key_r = all_links.record_key_r
)
group by record_key_l, record_key_r
