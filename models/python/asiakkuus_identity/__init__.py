"""Probabilistic identity resolution for Asiakkuus: Splink (Fellegi-Sunter) scoring and
SciPy clustering on the DuckDB connection of a dbt-duckdb Python model, configured from plain
dicts, with quality measures against ground truth.

    customer_pairs(con, records, settings, model=, previous=)
                                                       the customer engine: every candidate pair with its decision
                                                       (incremental: only pairs with a new or changed record scored)
    train_customer_model(con, records, settings)       the trained model customer_pairs scores with
    resolve(con, records, settings)                    the same plus the clusters of its links
    score_pairs(con, records, settings, training=...)  Splink scores of candidate pairs + evidence
    cluster(con, nodes, edges, threshold)              connected components -> cluster_id
    customer_settings(config=None, overrides=None)     the customer matching model
    build_engine_settings(model)                       any matching model from a dict
    pairwise_metrics / cluster_metrics                 precision, recall, F1, cluster accuracy

See README.md beside this file for how a dbt Python model imports the package.
"""

from importlib.metadata import version as _distribution_version

from .clustering import cluster
from .config import load_yaml, overlay
from .connection import duckdb_connection
from .customer import CUSTOMER_RECORD_COLUMNS, customer_settings, default_customer_config, settings_fingerprint, settings_fingerprint_of_model, warehouse_customer_settings
from .metrics import cluster_metrics, pairwise_metrics, precision_recall_f1
from .resolution import Previous, customer_pairs, resolve, train_customer_model
from .scoring import score_pairs, train_model
from .settings import EngineSettings, build_engine_settings

__version__ = "0.1.0"


def splink_version() -> str:
    """The installed Splink version (pinned in models/requirements.txt)."""
    return _distribution_version("splink")


__all__ = [
    "CUSTOMER_RECORD_COLUMNS",
    "EngineSettings",
    "Previous",
    "build_engine_settings",
    "cluster",
    "cluster_metrics",
    "customer_pairs",
    "customer_settings",
    "default_customer_config",
    "duckdb_connection",
    "load_yaml",
    "overlay",
    "pairwise_metrics",
    "precision_recall_f1",
    "resolve",
    "score_pairs",
    "settings_fingerprint",
    "settings_fingerprint_of_model",
    "splink_version",
    "train_customer_model",
    "train_model",
    "warehouse_customer_settings",
]
