"""Records grouped into entities: the connected components of the match graph.

Splink's own cluster_pairwise_predictions_at_threshold is used. In Splink 5 it takes any
nodes and edges tables (not only a linker's predictions), so the edges can be scored
pairs, deterministic rule pairs and reviewers' accepted pairs alike. It solves connected
components iteratively in SQL on the same connection, which scales to the warehouse's
size where a Python graph library would have to pull every edge into memory.
"""

from __future__ import annotations

from typing import Any

import duckdb
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from .connection import duckdb_connection
from .tables import TableInput, as_temp_table, drop_temp_tables, unique_suffix


def cluster(
    con: Any,
    nodes: TableInput,
    edges: TableInput,
    threshold: float | None,
    *,
    node_id_column: str = "record_key",
) -> duckdb.DuckDBPyRelation:
    """Cluster `nodes` along `edges` at or above a match probability.

    Args:
        con: the DuckDB connection, or the session a dbt-duckdb Python model receives.
        nodes: table name or relation with one row per record, id in `node_id_column`;
            a record with no edge becomes a cluster of its own.
        edges: table name or relation with <node_id_column>_l, <node_id_column>_r and,
            when `threshold` is given, match_probability.
        threshold: edges with match_probability at or above it link records; None
            takes every edge as a link (for edges already decided, e.g. rule pairs).

    Returns:
        A relation (over a temporary table on the connection) with <node_id_column>
        and cluster_id, the smallest node id in the cluster, so ids are stable for the
        same graph.
    """
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    left, right = f"{node_id_column}_l", f"{node_id_column}_r"
    edge_columns = [left, right] + (["match_probability"] if threshold is not None else [])
    node_table = as_temp_table(connection, nodes, f"asiakkuus_identity_nodes_{suffix}", [node_id_column])
    edge_table = as_temp_table(connection, edges, f"asiakkuus_identity_edges_{suffix}", edge_columns)
    db_api = DuckDBAPI(connection=connection)
    output = f"asiakkuus_identity_clusters_{suffix}"
    try:
        clusters = cluster_pairwise_predictions_at_threshold(
            db_api.register(node_table),
            db_api.register(edge_table),
            db_api=db_api,
            node_id_column_name=node_id_column,
            edge_id_column_name_left=left,
            edge_id_column_name_right=right,
            threshold_match_probability=threshold,
        )
        connection.execute(
            f"create or replace temp table {output} as select {node_id_column}, cluster_id from {clusters.physical_name}"
        )
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        drop_temp_tables(connection, [node_table, edge_table])
    return connection.table(output)
