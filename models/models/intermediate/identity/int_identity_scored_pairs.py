"""Probabilistic (Fellegi-Sunter) scores for candidate pairs of customer records, with
Splink on the same DuckDB connection dbt builds with.

Candidate pairs come from the blocking rules in var identity_splink.blocking_rules (any
pair sharing one of those column sets is compared). The model is trained without labels:
u probabilities by random sampling, the prior from the deterministic rules, m
probabilities by expectation maximisation over var identity_splink.training_blocks.
Every pair scoring at least identity_thresholds.review_from is returned with its
comparison levels (gamma_*) and Bayes factors (bf_*), the evidence a reviewer sees.
Seeds are fixed, so a rebuild on the same data gives the same scores.
"""

import logging

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

RECORDS_TABLE = "splink_customer_records"


def comparisons():
    """How two records are compared, attribute by attribute (ä/ö/å folded in names)."""
    return [
        cl.JaroWinklerAtThresholds("first_name_folded", [0.92, 0.8]),
        cl.JaroWinklerAtThresholds("last_name_folded", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        # Exact only: a similar address ("tiina.hyvonen@" vs "tiina.hyvonen12@") is, in
        # Finland's small pool of names, usually a namesake, not the same person.
        cl.ExactMatch("email_std"),
        cl.ExactMatch("phone_e164"),
        cl.ExactMatch("postal_code_std"),
        cl.LevenshteinAtThresholds("street_std", [2]),
        cl.JaroWinklerAtThresholds("company_name_std", [0.92]),
    ]


def model(dbt, session):
    dbt.config(materialized="table")
    splink_vars = dbt.config.get("identity_splink") or {}
    review_from = float(dbt.config.get("review_from"))
    blocking = [block_on(*columns) for columns in splink_vars["blocking_rules"]]
    training_blocks = [block_on(*columns) for columns in splink_vars["training_blocks"]]
    deterministic = [block_on(*columns) for columns in splink_vars["prior_rules"]]

    records = dbt.ref("int_customer_records")
    columns = [
        "record_key", "first_name_folded", "last_name_folded", "email_std", "email_domain", "phone_e164",
        "postal_code_std", "street_std", "company_name_std",
    ]
    session.register("customer_records_input", records)
    session.execute(f"create or replace temp table {RECORDS_TABLE} as select {', '.join(columns)} from customer_records_input")

    # dbt-duckdb hands the model a thin wrapper around its DuckDB cursor; Splink wants
    # the DuckDB connection itself, so that it works in the same database.
    connection = getattr(session, "_cursor", session)
    db_api = DuckDBAPI(connection=connection)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
    linker = Linker(db_api.register(RECORDS_TABLE), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=float(splink_vars["prior_recall"]))
    linker.training.estimate_u_using_random_sampling(max_pairs=float(splink_vars["u_sample_pairs"]), seed=int(splink_vars["seed"]))
    trained = 0
    for block in training_blocks:
        # On large data a level seen only among non-matches can drive an m probability to
        # exactly 0, which Splink refuses; that block then leaves its parameters to the
        # other blocks instead of failing the build. Quality is measured either way.
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(block)
            trained += 1
        except ValueError as error:
            logging.getLogger("asiakkuus.identity").warning("EM on %s skipped: %s", block.get_blocking_rule("duckdb").blocking_rule_sql, error)
    if trained == 0:
        raise RuntimeError("no training block could estimate the m probabilities; see the warnings above")

    predictions = linker.inference.predict(threshold_match_probability=review_from)
    connection.execute(
        "create or replace temp table identity_scored_pairs as select "
        "least(record_key_l, record_key_r) as record_key_l, greatest(record_key_l, record_key_r) as record_key_r, "
        "match_probability, match_weight, * exclude (record_key_l, record_key_r, match_probability, match_weight) "
        f"from {predictions.physical_name}"
    )
    # Splink's working tables would otherwise stay in the warehouse.
    linker.table_management.delete_tables_created_by_splink_from_db()
    connection.execute(f"drop table if exists {RECORDS_TABLE}")
    return connection.sql("select * from identity_scored_pairs")
