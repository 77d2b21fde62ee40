"""Every candidate pair of customer records with the identity engine's decision: a thin
call into models/python/asiakkuus_identity (resolution.customer_pairs), the same engine
and model (default_customer_config.yml) the evaluation set, FEBRL and the identity tests
measure.

Columns: record_key_l < record_key_r, match_probability (Splink; null when only a rule
joined the pair), rules (the deterministic rules that joined it), decision (link / review
/ veto), decision_reason, then per comparison the level reached (gamma_*) and its Bayes
factor (bf_*): the evidence a reviewer reads. Thresholds and the value cap come from dbt
vars (identity_thresholds, identity_guard_rails) through config; never-match values from
the engine's list plus the seed identity_never_match.

Incremental (docs/performance.md): scored with the kept model (int_identity_model).
Only the pairs of records that are new or changed since the last build (their load_id is
above this table's built_through_load_id) are scored, blocked against every record; the
pairs of two unchanged records keep their scores. Rules, guard rails and decisions are
worked out afresh over every pair. Everything is rescored on --full-refresh, when the
model was retrained, or when the settings changed (scored_with).
"""

import json

import asiakkuus_identity as engine
from asiakkuus_common import config_flag


def model(dbt, session):
    dbt.config(materialized="table")
    # Python models cannot read vars; the model's yml passes them in through config (each
    # read on its own line: dbt finds the keys to pass by reading these calls).
    review_from = float(dbt.config.get("review_from"))
    auto_accept = float(dbt.config.get("auto_accept"))
    max_records_per_value = int(dbt.config.get("max_records_per_value"))
    full_refresh = config_flag(dbt.config.get("full_refresh_build"))
    never_match = dbt.ref("identity_never_match").select("kind, value").fetchall()
    settings = engine.warehouse_customer_settings(review_from, auto_accept, max_records_per_value, never_match)
    model_json = dbt.ref("int_identity_model").filter("model_name = 'customer'").select("model_json").fetchone()[0]
    trained = json.loads(model_json)
    # What the scores are a function of: the model and every setting.
    scored_with = engine.settings_fingerprint(settings) + ":" + engine.settings_fingerprint_of_model(trained)
    built_through = dbt.source("ingest", "load_log").aggregate("max(load_id)").fetchone()[0]
    records = dbt.ref("int_customer_records")

    previous = None
    if not full_refresh and _has_columns(session, dbt.this, ["built_through_load_id", "scored_with", "scored_in_load_id"]):
        watermark, kept_with = session.sql(
            f"select max(built_through_load_id), max(scored_with) from {dbt.this}").fetchone()
        if watermark is not None and kept_with == scored_with:
            previous = engine.Previous(
                pairs=str(dbt.this),
                changed_records=records.filter(f"load_id > {int(watermark)}").select("record_key"),
            )
    pairs = engine.customer_pairs(session, records, settings, model=trained, previous=previous)
    # scored_in_load_id: the load through which a pair's score was computed; a pair of two
    # unchanged records keeps the earlier one (it was not scored again).
    kept = ""
    scored_in = str(int(built_through or 0))
    if previous is not None:
        kept = f"""left join (select record_key_l, record_key_r, scored_in_load_id from {dbt.this}) earlier
            on earlier.record_key_l = p.record_key_l and earlier.record_key_r = p.record_key_r
            left join changed changed_l on changed_l.record_key = p.record_key_l
            left join changed changed_r on changed_r.record_key = p.record_key_r"""
        scored_in = (f"case when p.match_probability is not null and changed_l.record_key is null and changed_r.record_key is null "
                     f"then coalesce(earlier.scored_in_load_id, {scored_in}) else {scored_in} end")
    return _with_build_columns(session, pairs, previous, kept, built_through, scored_with, scored_in)


def _with_build_columns(session, pairs, previous, kept, built_through, scored_with, scored_in):
    session.register("asiakkuus_identity_pairs_out", pairs)
    if previous is not None:
        session.register("changed", previous.changed_records)
    try:
        # A temp table (as the engine's result is): the views registered here go away below.
        session.execute(f"""create or replace temp table asiakkuus_identity_scored_output as
            select p.*, {int(built_through or 0)}::bigint as built_through_load_id, '{scored_with}' as scored_with,
                {scored_in}::bigint as scored_in_load_id
            from asiakkuus_identity_pairs_out p {kept}""")
        return session.table("asiakkuus_identity_scored_output")
    finally:
        session.unregister("asiakkuus_identity_pairs_out")
        if previous is not None:
            session.unregister("changed")


def _has_columns(session, relation, columns):
    found = session.sql(
        "select list(column_name) from information_schema.columns where table_catalog = ? and table_schema = ? and table_name = ?",
        params=[relation.database, relation.schema, relation.identifier],
    ).fetchone()[0] or []
    return all(column in found for column in columns)
