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

from dataclasses import dataclass
from typing import Any, Mapping

import duckdb

from .clustering import cluster
from .connection import duckdb_connection
from .scoring import add_capped_block_columns, score_pairs, train_model
from .settings import EngineSettings
from .standardise import prepare_records
from .tables import TableInput, as_temp_table, drop_temp_tables, quote_identifier, unique_suffix

DECISIONS = ("link", "review", "veto")


def first_names_conflict(l: str, r: str, similarity_below: float) -> str:
    """SQL: both records name a person and their first names clearly differ: no given name
    (or its variant) of either among the other's name parts (so swapped names and second
    given names agree) and the first given names not within a typo (Jaro-Winkler below the
    threshold and more than one edit apart: "Ari" and "Ai" are a typo)."""
    return f"""({l}.name_given_canon is not null and {r}.name_given_canon is not null
        and not list_has_any({l}.name_given_canon, {r}.name_tokens)
        and not list_has_any({r}.name_given_canon, {l}.name_tokens)
        and jaro_winkler_similarity({l}.name_first, {r}.name_first) < {float(similarity_below)}
        and damerau_levenshtein({l}.name_first, {r}.name_first) > 1)"""


def _shares_personal_identifier(l: str, r: str) -> str:
    """SQL: an e-mail (also across a typo in its domain) or a mobile number in common. The
    same local part at another domain is not one: matti.virtanen@ at two mail services is
    as often a father and a son."""
    # CASE, not OR: a projection works out every operand of an OR for every row, so the
    # domains' edit distance was computed for every pair with one local part, nearly all
    # of them already one e-mail. True for the same pairs; null only where false would be.
    return f"""(case when {l}.email_canon = {r}.email_canon then true
        when {l}.email_local = {r}.email_local and damerau_levenshtein({l}.email_domain, {r}.email_domain) <= 2 then true
        else {l}.phone_e164 = {r}.phone_e164 and {l}.phone_is_mobile end)"""


def _personal_identifiers_differ(l: str, r: str, consumer_domains: str, shared_emails: str) -> str:
    """SQL: both have a private e-mail (at a consumer mail service: a work address beside a
    private one is no contradiction; an address differently named people use, a family's,
    is nobody's own) and they differ by more than a typo (two edits in the local part or in
    the domain, and the same digits), or both have a mobile and they differ. Null where the
    e-mail part cannot be told (its callers read null as false).

    The edit distances and the digits are worked out only for pairs whose addresses are
    both private, each only where its two parts differ (CASE evaluates a branch only for
    the rows that reach it): for every pair alike they took 1.5 s of the 272,442 pairs at
    100,000 customers, this 0.2 s, true for the same pairs."""
    return f"""(case when list_contains({consumer_domains}, {l}.email_domain) and list_contains({consumer_domains}, {r}.email_domain)
                 and {l}.email_canon not in (select email_canon from {shared_emails})
                 and {r}.email_canon not in (select email_canon from {shared_emails})
            then case when {l}.email_domain <> {r}.email_domain then damerau_levenshtein({l}.email_domain, {r}.email_domain) > 2 else false end
                 or case when {l}.email_local <> {r}.email_local
                         then damerau_levenshtein({l}.email_local, {r}.email_local) > 2
                              -- anna.salminen2@ and annasalminen@: a number added is a namesake's address
                              or regexp_replace({l}.email_local, '[^0-9]', '', 'g') <> regexp_replace({r}.email_local, '[^0-9]', '', 'g')
                         else false end end
        or ({l}.phone_is_mobile and {r}.phone_is_mobile and {l}.phone_e164 <> {r}.phone_e164))"""


def _names_agree_in_full(l: str, r: str) -> str:
    """SQL: the same person's name: exactly, in another order, through a given-name
    variant with a shared surname part, or within a typo in each."""
    return f"""({l}.name_key = {r}.name_key
        or ({l}.name_first = {r}.name_first and {l}.name_last = {r}.name_last)
        or (list_has_any({l}.name_given_canon, {r}.name_given_canon)
            and list_has_any(str_split(replace({l}.name_last, '-', ' '), ' '), str_split(replace({r}.name_last, '-', ' '), ' ')))
        or (jaro_winkler_similarity({l}.name_first, {r}.name_first) >= 0.88 and jaro_winkler_similarity({l}.name_last, {r}.name_last) >= 0.88)
        -- swapped with a second given name on one side: each side's given names among
        -- the other's name parts, and at least two parts shared
        or (list_has_any({l}.name_given_canon, {r}.name_tokens) and list_has_any({r}.name_given_canon, {l}.name_tokens)
            and len(list_intersect({l}.name_tokens, {r}.name_tokens)) >= 2))"""


def train_customer_model(con: Any, records: TableInput, settings: EngineSettings) -> dict[str, Any]:
    """The trained Splink model for `records` (match keys prepared as customer_pairs
    prepares them): parameters only, to be kept and handed to customer_pairs(model=...)."""
    connection = duckdb_connection(con)
    prepared = prepare_records(connection, records, f"asiakkuus_identity_training_{unique_suffix()}", settings.guard_rails)
    try:
        return train_model(connection, prepared, settings.splink_settings, training=settings.training,
                           capped_blocks=settings.capped_blocks)
    finally:
        drop_temp_tables(connection, [prepared])


def customer_pairs(con: Any, records: TableInput, settings: EngineSettings, *, model: Mapping[str, Any] | None = None,
                   previous: Previous | None = None) -> duckdb.DuckDBPyRelation:
    """Every pair a rule links or Splink scores from thresholds.min_match_probability up,
    with its decision (link / review / veto), the reason, the rules, the score and the
    comparison levels. record_key_l sorts before record_key_r.

    model: a trained model (train_customer_model); None trains one on `records`.
    previous: an earlier result of customer_pairs with the same model and settings, and
        which records are new or changed since (incremental build). Only pairs with a new
        or changed record are scored, blocked against every record; the pairs of two
        unchanged records keep their earlier score. Rules, guard rails (never-match
        values, the value cap, vetoes, nameless and conflicted customers) and decisions
        are always worked out over every record and pair, as a full build does: a build
        with no `previous` is the same computation with every record new."""
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    guard = settings.guard_rails
    rules = settings.rules
    review_from = settings.thresholds["min_match_probability"]
    auto_accept = settings.thresholds["auto_accept"]
    similarity_below = float(guard.get("first_name_similarity_below", 0.85))
    cap = int(guard.get("max_records_per_value", 25))
    consumer_domains = "[" + ", ".join("'" + d.replace("'", "''") + "'" for d in guard.get("consumer_email_domains") or []) + "]"
    prepared = prepare_records(connection, records, f"asiakkuus_identity_prepared_{suffix}", guard)
    scored_name = f"asiakkuus_identity_scored_{suffix}"
    # A temp table: the scores hold e-mails and phones, which must never outlive the
    # connection in the warehouse file (an erased person's would survive there).
    if previous is None:
        as_temp_table(connection, score_pairs(connection, prepared, settings.splink_settings, training=settings.training,
                                              min_match_probability=review_from, model=model,
                                              capped_blocks=settings.capped_blocks), scored_name)
    else:
        _score_changed_pairs(connection, prepared, settings, review_from, model, previous, scored_name)
    output = f"asiakkuus_identity_pairs_{suffix}"
    conflict = first_names_conflict("l", "r", similarity_below)
    # A score alone links only with a personal identifier in common, or with the whole
    # name agreeing and no personal identifier against it: what a household or a company
    # shares (address, landline, switchboard, company name) is never enough by itself.
    # A pair only a score joins, scored high enough to link: what score_link_evidence is read for.
    linked_by_score_alone = f"rules is null and match_probability >= {auto_accept}"
    score_link_evidence = "coalesce(shares_personal_identifier, false) or (coalesce(names_agree_in_full, false) and not coalesce(personal_identifiers_differ, false))"
    rule_sql = []
    if rules.get("same_email", True):
        rule_sql.append("select l.record_key as record_key_l, r.record_key as record_key_r, 'same_email' as rule "
                        f"from {prepared} l join {prepared} r on l.email_canon = r.email_canon and l.record_key < r.record_key")
    if rules.get("same_email_across_domain_typo", True):
        # matti.virtanen@gmial.com: the same local part at a domain two edits away, and
        # the same person's name (a rewrite of the domain could join two people).
        # The domains two edits apart are paired once among the distinct domains (a few
        # hundred), not for every two records sharing a local part: 840,197 such pairs at
        # 100,000 customers, nearly all at two mail services, took 1.8 s of edit distances.
        # Each record then meets the domains a typo away from its own first
        # (records_a_typo_from, materialized so that the planner keeps that order) and
        # looks up the other record by local part and domain together. Joined by local
        # part first, as the planner chose, it paired 21.9 million records at 1,000,000
        # customers for the 18,422 pairs it keeps (about 20 s of CPU).
        rule_sql.append("select l.record_key, r.record_key, 'same_email_across_domain_typo' "
                        f"from records_a_typo_from l "
                        f"join {prepared} r on r.email_local = l.email_local and r.email_domain = l.typo_domain and l.record_key < r.record_key "
                        f"where {_names_agree_in_full('l', 'r')}")
    if rules.get("same_mobile", True):
        rule_sql.append("select l.record_key, r.record_key, 'same_mobile' "
                        f"from {prepared} l join {prepared} r on l.phone_e164 = r.phone_e164 and l.record_key < r.record_key "
                        f"where l.phone_is_mobile and l.name_key is not null and r.name_key is not null "
                        f"and ({_names_agree_in_full('l', 'r')} or list_has_any(l.name_given_canon, r.name_given_canon))")
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
            with domains as (
                select distinct email_domain from {prepared} where email_domain is not null
            ),
            -- Ordered pairs of different domains within two edits (gmail.com, gmial.com);
            -- the length test only skips pairs the edit distance would reject anyway.
            domains_a_typo_apart as (
                select a.email_domain as domain_l, b.email_domain as domain_r
                from domains a join domains b
                    on a.email_domain <> b.email_domain and abs(length(a.email_domain) - length(b.email_domain)) <= 2
                where damerau_levenshtein(a.email_domain, b.email_domain) <= 2
            ),
            -- Only the columns the rule's name check (_names_agree_in_full) reads.
            records_a_typo_from as materialized (
                select p.record_key, p.email_local, p.name_key, p.name_first, p.name_last, p.name_given_canon, p.name_tokens,
                    t.domain_r as typo_domain
                from {prepared} p join domains_a_typo_apart t on t.domain_l = p.email_domain
                where p.email_local is not null
            ),
            rule_pairs as (
                -- The distinct rules sorted in a list: string_agg(distinct ... order by)
                -- sorted every group's rows apart (8.8 s at 1,000,000 customers).
                select record_key_l, record_key_r, array_to_string(list_sort(list_distinct(list(rule))), ', ') as rules
                from ({rule_union}) group by all
            ),
            -- Values held by more records than the cap: they join nothing by themselves.
            -- Addresses that differently named people use (a family's): nobody's own.
            shared_emails as (
                select distinct a.email_canon from {prepared} a
                join {prepared} b on a.email_canon = b.email_canon and a.record_key < b.record_key
                where {first_names_conflict("a", "b", similarity_below)}
            ),
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
                        -- "Matti Juhani" and "Matti Olavi": a parent and a child named alike.
                        when len(l.name_given_canon) > 1 and len(r.name_given_canon) > 1
                             and list_sort(l.name_given_canon) <> list_sort(r.name_given_canon) then 'veto: different second given names'
                    end as veto,
                    {_shares_personal_identifier('l', 'r')} as shares_personal_identifier,
                    {_personal_identifiers_differ('l', 'r', consumer_domains, 'shared_emails')} as personal_identifiers_differ,
                    -- Read only for a pair a score alone would link (score_link_evidence):
                    -- two Jaro-Winkler similarities and list intersections for every pair
                    -- cost more than the rest of these checks.
                    case when {linked_by_score_alone} then {_names_agree_in_full('l', 'r')} end as names_agree_in_full,
                    (l.email_canon = r.email_canon and l.email_canon in (select value from crowded where kind = 'email'))
                    or (l.phone_e164 = r.phone_e164 and l.phone_e164 in (select value from crowded where kind = 'phone')) as rests_on_crowded_value
                from pairs
                join {prepared} l on l.record_key = pairs.record_key_l
                join {prepared} r on r.record_key = pairs.record_key_r
            ),
            decided as (
                select * exclude (veto, rests_on_crowded_value, shares_personal_identifier, personal_identifiers_differ, names_agree_in_full),
                    -- Two people by what is personal to each: a veto, or different private
                    -- e-mails or mobiles and none in common.
                    veto is not null or (coalesce(personal_identifiers_differ, false) and not coalesce(shares_personal_identifier, false)) as apart,
                    case when veto is not null then 'veto'
                         when {linked_by_score_alone} and not ({score_link_evidence}) then 'review'
                         when (rules is not null or match_probability >= {auto_accept}) and not coalesce(rests_on_crowded_value, false) then 'link'
                         else 'review' end as decision,
                    case when veto is not null then veto
                         when {linked_by_score_alone} and not ({score_link_evidence})
                             then 'review: what the two share (address, landline, company) could be two people: no shared e-mail or mobile, and the names differ or the personal e-mail or mobile does' 
                         when (rules is not null or match_probability >= {auto_accept}) and coalesce(rests_on_crowded_value, false)
                             then 'review: shares an e-mail or phone held by more than {cap} records'
                         when rules is not null then 'link: rule ' || rules
                         when match_probability >= {auto_accept} then 'link: score from {auto_accept}'
                         else 'review: score between {review_from} and {auto_accept}' end as decision_reason
                from checked
            )
            select record_key_l, record_key_r, match_probability, rules, decision, decision_reason,
                * exclude (record_key_l, record_key_r, match_probability, rules, decision, decision_reason)
            from decided
            """
        )
        _hold_back_ambiguous_nameless_links(connection, prepared, output, conflict)
        _hold_back_conflicted_clusters(connection, prepared, output)
    finally:
        drop_temp_tables(connection, [prepared, scored_name])
    return connection.table(output)


@dataclass(frozen=True)
class Previous:
    """What an incremental build starts from: the pairs an earlier customer_pairs returned
    (table or relation with record_key_l, record_key_r, match_probability and the
    gamma_/bf_/match_weight columns) and the record keys that are new or changed since
    (one column, record_key)."""

    pairs: TableInput
    changed_records: TableInput


def _score_changed_pairs(connection: duckdb.DuckDBPyConnection, prepared: str, settings: EngineSettings, review_from: float,
                         model: Mapping[str, Any] | None, previous: Previous, scored_name: str) -> None:
    """Temp table `scored_name`: the Splink scores of every candidate pair, computed only
    for pairs with a new or changed record; the rest are the earlier scores of pairs whose
    two records are both still there and unchanged."""
    if model is None:
        raise ValueError("an incremental identity build needs the model the earlier pairs were scored with")
    suffix = unique_suffix()
    changed = as_temp_table(connection, previous.changed_records, f"asiakkuus_identity_changed_{suffix}", ["record_key"])
    # The earlier pairs are read once (below): a table is read where it is, not copied
    # (every pair of every earlier build, with all its evidence columns).
    copied = isinstance(previous.pairs, duckdb.DuckDBPyRelation)
    earlier = as_temp_table(connection, previous.pairs, f"asiakkuus_identity_earlier_{suffix}") if copied else previous.pairs
    marked = f"asiakkuus_identity_marked_{suffix}"
    try:
        connection.execute(f"""create or replace temp table {marked} as
            select p.*, p.record_key in (select record_key from {changed}) as asiakkuus_changed from {prepared} p""")
        # The capped blocks' columns are read below too (a pair a capped block brings is
        # scored again, not kept); scoring uses them as they are, over the same records.
        add_capped_block_columns(connection, [marked], settings.capped_blocks)
        as_temp_table(connection, score_pairs(connection, marked, settings.splink_settings, training=settings.training,
                                              min_match_probability=review_from, model=model,
                                              only_pairs_touching="asiakkuus_changed",
                                              capped_blocks=settings.capped_blocks, capped_blocks_added=True), scored_name)
        scored_columns = connection.table(scored_name).columns
        kept_columns = [c for c in connection.sql(f"select * from {earlier} limit 0").columns
                        if c in scored_columns and (c in ("record_key_l", "record_key_r", "match_probability", "match_weight")
                                                    or c.startswith(("gamma_", "bf_")))]
        # Pairs only a rule joined have no score (match_probability null): rules are
        # worked out afresh over every record below. A pair a capped block brings is
        # scored again above whoever holds it; one that was scored through a block now
        # crowded, and that no other rule brings, is a candidate no more.
        capped = [block.column for block in settings.capped_blocks]
        rules = [rule["blocking_rule"] for rule in model["blocking_rules_to_generate_predictions"]]
        still_candidate = " or ".join(f"coalesce({rule}, false)" for rule in rules if not any(quote_identifier(c) in rule for c in capped)) or "false"
        rescored = " or ".join(f"coalesce({rule}, false)" for rule in rules if any(quote_identifier(c) in rule for c in capped)) or "false"
        connection.execute(f"""insert into {scored_name} by name
            select {", ".join("e." + quote_identifier(c) for c in kept_columns)} from {earlier} e
            join {marked} l on l.record_key = e.record_key_l and not l.asiakkuus_changed
            join {marked} r on r.record_key = e.record_key_r and not r.asiakkuus_changed
            where e.match_probability is not null and ({still_candidate}) and not ({rescored})""")
    finally:
        drop_temp_tables(connection, [changed, marked, *([earlier] if copied else [])])


def _hold_back_ambiguous_nameless_links(connection: duckdb.DuckDBPyConnection, prepared: str, pairs: str, conflict: str) -> None:
    """A record with no name links to whoever shares its e-mail. When those are people
    the named records alone keep apart (a family address on the newsletter list, shared
    by two spouses), its links wait for review instead of making one customer of them:
    the named records are clustered without the nameless ones, and a nameless record
    whose partners fall in two clusters with clearly different first names is ambiguous."""
    named_links = connection.sql(f"""
        select p.record_key_l, p.record_key_r from {pairs} p
        join {prepared} l on l.record_key = p.record_key_l join {prepared} r on r.record_key = p.record_key_r
        where p.decision = 'link' and l.name_key is not null and r.name_key is not null""")
    clusters_table = f"{pairs}_named_clusters"
    cluster(connection, connection.table(prepared).select("record_key"), named_links, None).create(clusters_table)
    try:
        connection.execute(f"""
            create or replace temp table {pairs}_ambiguous as
            with nameless_links as (
                select p.record_key_l as nameless, p.record_key_r as other from {pairs} p
                join {prepared} n on n.record_key = p.record_key_l where p.decision = 'link' and n.name_key is null
                union all
                select p.record_key_r, p.record_key_l from {pairs} p
                join {prepared} n on n.record_key = p.record_key_r where p.decision = 'link' and n.name_key is null
            )
            select distinct a.nameless from nameless_links a
            join nameless_links b on a.nameless = b.nameless and a.other < b.other
            join {clusters_table} ca on ca.record_key = a.other
            join {clusters_table} cb on cb.record_key = b.other
            join {prepared} l on l.record_key = a.other
            join {prepared} r on r.record_key = b.other
            where ca.cluster_id <> cb.cluster_id and {conflict}""")
        connection.execute(f"""
            update {pairs} set decision = 'review',
                decision_reason = 'review: a record without a name would join differently named people'
            where decision = 'link' and (record_key_l in (select nameless from {pairs}_ambiguous)
                                         or record_key_r in (select nameless from {pairs}_ambiguous))""")
    finally:
        connection.execute(f"drop table if exists {clusters_table}")
        connection.execute(f"drop table if exists {pairs}_ambiguous")


def _hold_back_conflicted_clusters(connection: duckdb.DuckDBPyConnection, prepared: str, pairs: str) -> None:
    """Links are transitive: a parent and an adult child of one name can end up in one
    cluster through two score links (name, address and landline) although what is
    personal to each (a veto, or different private e-mails or mobiles) keeps one of their
    record pairs apart. Where a cluster of the links holds such a pair, its score-only
    links (no rule behind them) go to review; rule links stay."""
    clusters = cluster(connection, connection.table(prepared).select("record_key"),
                       connection.table(pairs).filter("decision = 'link'").select("record_key_l, record_key_r"), None)
    clusters_table = f"{pairs}_clusters"
    clusters.create(clusters_table)
    try:
        connection.execute(f"""
            update {pairs} set decision = 'review',
                decision_reason = 'review: its customer would also hold a pair a guard rail keeps apart (' || decision_reason || ')'
            where decision = 'link' and rules is null and record_key_l in (
                select c.record_key from {clusters_table} c where c.cluster_id in (
                    select cl.cluster_id from {pairs} v
                    join {clusters_table} cl on cl.record_key = v.record_key_l
                    join {clusters_table} cr on cr.record_key = v.record_key_r
                    where v.apart and cl.cluster_id = cr.cluster_id))""")
    finally:
        connection.execute(f"drop table if exists {clusters_table}")


def resolve(con: Any, records: TableInput, settings: EngineSettings) -> tuple[duckdb.DuckDBPyRelation, duckdb.DuckDBPyRelation]:
    """(pairs, clusters): customer_pairs, and each record's cluster along the links (the
    warehouse does the same clustering in int_identity_clusters, with reviewers' decisions)."""
    connection = duckdb_connection(con)
    pairs = customer_pairs(connection, records, settings)
    suffix = unique_suffix()
    nodes = f"asiakkuus_identity_nodes_all_{suffix}"
    relation = connection.table(records) if isinstance(records, str) else records
    as_temp_table(connection, relation.select("record_key::varchar as record_key"), nodes)
    clusters = cluster(connection, nodes, pairs.filter("decision = 'link'").select("record_key_l, record_key_r"), None)
    return pairs, clusters
