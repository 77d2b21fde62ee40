"""Helpers the project's Python packages share."""


def config_flag(value: object) -> bool:
    """A dbt var passed to a Python model through its config (retrain, refit, ...) as a
    yes/no: dbt hands it over as given on the command line, so true, 1 and yes (any case)
    all mean yes."""
    return str(value).strip().lower() in ("true", "1", "yes")
