"""Proves that dbt Python models can import the identity engine (models/python/
asiakkuus_identity): one row with the engine's and Splink's versions and the size of the
default customer matching model.

How a dbt Python model imports the package: dbt-duckdb runs the model's code from a
temporary file in the dbt process, so neither __file__ nor the working directory says
where the project is. dbt's own invocation flags do: PROJECT_DIR is --project-dir (or
DBT_PROJECT_DIR, or dbt's default, the nearest folder up from the working directory
holding dbt_project.yml), and the package is in its python/ folder.
"""

import sys
from pathlib import Path

from dbt.flags import get_flags


def add_engine_to_path() -> None:
    python_dir = str(Path(get_flags().PROJECT_DIR).resolve() / "python")
    if python_dir not in sys.path:
        sys.path.insert(0, python_dir)


def model(dbt, session):
    dbt.config(materialized="table")
    add_engine_to_path()
    import asiakkuus_identity as engine

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
