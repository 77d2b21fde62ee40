-- The edges identity resolution clusters on: every pair of records taken to be the same
-- customer, and why. A reviewer's reject removes a pair whatever linked it; a
-- reviewer's accept adds one. Scored pairs count from the auto-accept threshold up
-- (var identity_thresholds.auto_accept).
with rule_pairs as (
    select record_key_l, record_key_r, 'rule:' || rule as reason, 1.0 as match_probability
    from {{ ref('int_identity_rule_pairs') }}
),

scored_pairs as (
    select record_key_l, record_key_r, 'score' as reason, match_probability
    from {{ ref('int_identity_scored_pairs') }}
    where match_probability >= {{ var('identity_thresholds')['auto_accept'] }}
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
    select * from rule_pairs
    union all select * from scored_pairs
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
