"""Proves that dbt Python models can import the identity engine (models/python/
asiakkuus_identity): one row with the engine's and Splink's versions and the size of the
default customer matching model.

How a dbt Python model imports the package: dbt-duckdb runs the model's code in the dbt
process, and `npx dbt` (pipeline/dbt.ts) puts models/python on PYTHONPATH. Running the
venv's dbt by hand needs the same: PYTHONPATH=models/python.
"""

import asiakkuus_identity as engine


def model(dbt, session):
    dbt.config(materialized="table")

    settings = engine.customer_settings()
    return engine.duckdb_connection(session).sql(
        "select ? as engine_version, ? as splink_version, ? as comparisons, ? as blocking_rules",
        params=[
            engine.__version__,
            engine.splink_version(),
            len(settings.splink_settings["comparisons"]),
            len(settings.splink_settings["blocking_rules_to_generate_predictions"]),
        ],
    )
