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
"""

import asiakkuus_identity as engine


def model(dbt, session):
    dbt.config(materialized="table")
    # Python models cannot read vars; the model's yml passes them in through config (each
    # read on its own line: dbt finds the keys to pass by reading these calls).
    review_from = float(dbt.config.get("review_from"))
    auto_accept = float(dbt.config.get("auto_accept"))
    max_records_per_value = int(dbt.config.get("max_records_per_value"))
    never_match = {"email_local": [], "email": [], "phone": []}
    for kind, value in dbt.ref("identity_never_match").select("kind, value").fetchall():
        never_match[kind].append(value.strip().lower() if kind != "phone" else value.strip())
    defaults = engine.default_customer_config()["guard_rails"]["never_match"]
    settings = engine.customer_settings(overrides={
        "thresholds": {"min_match_probability": review_from, "auto_accept": auto_accept},
        "guard_rails": {"max_records_per_value": max_records_per_value,
                        "never_match": {kind: defaults.get(kind, []) + values for kind, values in never_match.items()}},
    })
    return engine.customer_pairs(session, dbt.ref("int_customer_records"), settings)
