"""Customer identity resolution: the one engine the warehouse build, the evaluation set and
the tests run.

    customer_pairs(con, records, settings)  every candidate pair with its decision
    resolve(con, records, settings)         the same, plus the clusters of the links

Steps: match keys (standardise.py, never-match values removed) -> deterministic rules
(same canonical e-mail, same mobile, same company and person) and Splink scores
(scoring.py) -> guard rails -> a decision per pair:

    link    a rule, or a score from thresholds.auto_accept up, and no guard rail against
    review  a score from thresholds.min_match_probability up, or a link a guard rail
            holds back (a value shared by too many records; a record without a name that
            would join two differently named people)
    veto    clearly different first names, or different dates of birth or business ids:
            never one person, whatever address, landline or e-mail they share

Each pair keeps its rules, score and comparison levels: the evidence a reviewer reads.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .clustering import cluster
from .connection import duckdb_connection
from .scoring import score_pairs
from .settings import EngineSettings
from .standardise import prepare_records
from .tables import TableInput, drop_temp_tables, unique_suffix

DECISIONS = ("link", "review", "veto")


def first_names_conflict(l: str, r: str, similarity_below: float) -> str:
    """SQL: both records name a person and their first names clearly differ: no given name
    (or its variant) of either among the other's name parts (so swapped names and second
    given names agree) and the first given names not within a typo."""
    return f"""({l}.name_given_canon is not null and {r}.name_given_canon is not null
        and not list_has_any({l}.name_given_canon, {r}.name_tokens)
        and not list_has_any({r}.name_given_canon, {l}.name_tokens)
        and jaro_winkler_similarity({l}.name_first, {r}.name_first) < {float(similarity_below)})"""


def _surnames_compatible(l: str, r: str) -> str:
    return f"""(list_has_any(str_split(replace({l}.name_last, '-', ' '), ' '), str_split(replace({r}.name_last, '-', ' '), ' '))
        or jaro_winkler_similarity({l}.name_last, {r}.name_last) >= 0.88 or {l}.name_key = {r}.name_key)"""


def customer_pairs(con: Any, records: TableInput, settings: EngineSettings) -> duckdb.DuckDBPyRelation:
    """Every pair a rule links or Splink scores from thresholds.min_match_probability up,
    with its decision (link / review / veto), the reason, the rules, the score and the
    comparison levels. record_key_l sorts before record_key_r."""
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    guard = settings.guard_rails
    rules = settings.rules
    review_from = settings.thresholds["min_match_probability"]
    auto_accept = settings.thresholds.get("auto_accept", 0.999)
    similarity_below = float(guard.get("first_name_similarity_below", 0.85))
    cap = int(guard.get("max_records_per_value", 25))
    prepared = prepare_records(connection, records, f"asiakkuus_identity_prepared_{suffix}", guard)
    scored_name = f"asiakkuus_identity_scored_{suffix}"
    score_pairs(connection, prepared, settings.splink_settings, training=settings.training,
                min_match_probability=review_from).create(scored_name)
    output = f"asiakkuus_identity_pairs_{suffix}"
    conflict = first_names_conflict("l", "r", similarity_below)
    rule_sql = []
    if rules.get("same_email", True):
        rule_sql.append("select l.record_key as record_key_l, r.record_key as record_key_r, 'same_email' as rule "
                        f"from {prepared} l join {prepared} r on l.email_canon = r.email_canon and l.record_key < r.record_key")
    if rules.get("same_mobile", True):
        rule_sql.append("select l.record_key, r.record_key, 'same_mobile' "
                        f"from {prepared} l join {prepared} r on l.phone_e164 = r.phone_e164 and l.record_key < r.record_key "
                        f"where l.phone_is_mobile and l.name_key is not null and r.name_key is not null and {_surnames_compatible('l', 'r')}")
    if rules.get("same_company_and_person", True):
        rule_sql.append("select l.record_key, r.record_key, 'same_company_and_person' "
                        f"from {prepared} l join {prepared} r on l.company_std = r.company_std and l.name_last = r.name_last "
                        "and l.record_key < r.record_key where list_has_any(l.name_given_canon, r.name_given_canon)")
    rule_union = " union all ".join(rule_sql) or "select null::varchar as record_key_l, null::varchar as record_key_r, null::varchar as rule where false"
    scored_columns = [c for c in connection.table(scored_name).columns if c.startswith(("gamma_", "bf_")) or c in ("match_weight",)]
    try:
        connection.execute(
            f"""
            create or replace temp table {output} as
            with rule_pairs as (
                select record_key_l, record_key_r, string_agg(distinct rule, ', ' order by rule) as rules
                from ({rule_union}) group by all
            ),
            -- Values held by more records than the cap: they join nothing by themselves.
            crowded as (
                select 'email' as kind, email_canon as value from {prepared} where email_canon is not null group by all having count(*) > {cap}
                union all
                select 'phone', phone_e164 from {prepared} where phone_e164 is not null group by all having count(*) > {cap}
            ),
            pairs as (
                select coalesce(s.record_key_l, rp.record_key_l) as record_key_l, coalesce(s.record_key_r, rp.record_key_r) as record_key_r,
                    rp.rules, s.match_probability, {', '.join('s.' + c for c in scored_columns)}
                from {scored_name} s full outer join rule_pairs rp
                    on rp.record_key_l = s.record_key_l and rp.record_key_r = s.record_key_r
            ),
            checked as (
                select pairs.*,
                    case
                        when {conflict} then 'veto: clearly different first names'
                        when l.date_of_birth_std <> r.date_of_birth_std then 'veto: different dates of birth'
                        when l.business_id_std <> r.business_id_std then 'veto: different business ids'
                    end as veto,
                    (l.email_canon = r.email_canon and l.email_canon in (select value from crowded where kind = 'email'))
                    or (l.phone_e164 = r.phone_e164 and l.phone_e164 in (select value from crowded where kind = 'phone')) as rests_on_crowded_value
                from pairs
                join {prepared} l on l.record_key = pairs.record_key_l
                join {prepared} r on r.record_key = pairs.record_key_r
            ),
            decided as (
                select * exclude (veto, rests_on_crowded_value),
                    case when veto is not null then 'veto'
                         when (rules is not null or match_probability >= {auto_accept}) and not coalesce(rests_on_crowded_value, false) then 'link'
                         else 'review' end as decision,
                    case when veto is not null then veto
                         when (rules is not null or match_probability >= {auto_accept}) and coalesce(rests_on_crowded_value, false)
                             then 'review: shares an e-mail or phone held by more than {cap} records'
                         when rules is not null then 'link: rule ' || rules
                         when match_probability >= {auto_accept} then 'link: score from {auto_accept}'
                         else 'review: score between {review_from} and {auto_accept}' end as decision_reason
                from checked
            ),
            -- A record with no name links to whoever shares its e-mail; when those are
            -- differently named people (a family address on the newsletter list), its
            -- links wait for review instead of making one customer of them.
            nameless_links as (
                select d.record_key_l as nameless, d.record_key_r as other from decided d
                join {prepared} p on p.record_key = d.record_key_l where d.decision = 'link' and p.name_key is null
                union all
                select d.record_key_r, d.record_key_l from decided d
                join {prepared} p on p.record_key = d.record_key_r where d.decision = 'link' and p.name_key is null
            ),
            ambiguous as (
                select distinct a.nameless from nameless_links a
                join nameless_links b on a.nameless = b.nameless and a.other < b.other
                join {prepared} l on l.record_key = a.other
                join {prepared} r on r.record_key = b.other
                where {conflict}
            )
            select record_key_l, record_key_r, match_probability, rules,
                case when decision = 'link' and (record_key_l in (select nameless from ambiguous) or record_key_r in (select nameless from ambiguous))
                     then 'review' else decision end as decision,
                case when decision = 'link' and (record_key_l in (select nameless from ambiguous) or record_key_r in (select nameless from ambiguous))
                     then 'review: a record without a name would join differently named people' else decision_reason end as decision_reason,
                * exclude (record_key_l, record_key_r, match_probability, rules, decision, decision_reason)
            from decided
            """
        )
    finally:
        drop_temp_tables(connection, [prepared, scored_name])
    return connection.table(output)


def resolve(con: Any, records: TableInput, settings: EngineSettings) -> tuple[duckdb.DuckDBPyRelation, duckdb.DuckDBPyRelation]:
    """(pairs, clusters): customer_pairs, and each record's cluster along the links (the
    warehouse does the same clustering in int_identity_clusters, with reviewers' decisions)."""
    connection = duckdb_connection(con)
    pairs = customer_pairs(connection, records, settings)
    suffix = unique_suffix()
    nodes = f"asiakkuus_identity_nodes_all_{suffix}"
    relation = connection.table(records) if isinstance(records, str) else records
    relation.select("record_key::varchar as record_key").create(nodes)
    clusters = cluster(connection, nodes, pairs.filter("decision = 'link'").select("record_key_l, record_key_r"), None)
    return pairs, clusters
