"""The identity engine's trained Splink model (prior, m and u of every comparison level),
kept between builds so that every build scores pairs with the same parameters: an
incremental build scores only the pairs of new and changed records
(int_identity_scored_pairs) and the earlier pairs keep their scores, which is only sound
while the model stays the same.

Trained (asiakkuus_identity.train_customer_model, on every customer record) when the
table is empty, when the settings that shape the model changed (the never-match values,
the comparisons, the training plan: settings_fingerprint), or when a build asks with
`--vars '{identity_retrain: true}'` (ASIAKKUUS_IDENTITY_RETRAIN=1 for npm run
build:warehouse). `--full-refresh` does not retrain (full_refresh: false in the yml): a
full build rescores every pair with the kept model, so it gives what the incremental
builds gave. The model holds parameters only, no record's values.
"""

import json

import asiakkuus_identity as engine
from asiakkuus_common import config_flag


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="model_name")
    # Each config read on its own line: dbt finds the keys to pass by reading these calls.
    review_from = float(dbt.config.get("review_from"))
    auto_accept = float(dbt.config.get("auto_accept"))
    max_records_per_value = int(dbt.config.get("max_records_per_value"))
    retrain = config_flag(dbt.config.get("retrain"))
    never_match = dbt.ref("identity_never_match").select("kind, value").fetchall()
    settings = engine.warehouse_customer_settings(review_from, auto_accept, max_records_per_value, never_match)
    fingerprint = engine.settings_fingerprint(settings, training_only=True)
    kept = dbt.is_incremental and not retrain and session.sql(
        f"select count(*) from {dbt.this} where model_name = 'customer' and settings_fingerprint = ?", params=[fingerprint]).fetchone()[0] > 0
    # Kept: no row to insert, so delete+insert leaves the trained model as it is.
    return session.sql(f"select * from {dbt.this} where false") if kept else _trained(session, dbt.ref("int_customer_records"), settings, fingerprint)


def _trained(session, records, settings, fingerprint):
    trained = engine.train_customer_model(session, records, settings)
    session.execute(
        """create or replace temp table asiakkuus_identity_trained_model as
           select 'customer' as model_name, ?::varchar as model_json, ?::varchar as settings_fingerprint,
                  current_timestamp::timestamp as trained_at, ?::bigint as trained_on_records""",
        [json.dumps(trained, sort_keys=True), fingerprint, records.aggregate("count(*)").fetchone()[0]],
    )
    return session.table("asiakkuus_identity_trained_model")
