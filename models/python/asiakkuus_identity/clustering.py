"""Records grouped into entities: the connected components of the match graph.

The components are found by SciPy's sparse-graph `connected_components` (a breadth-first
search in C) over the edges as integer node numbers; DuckDB numbers the nodes, joins the
edges to the numbers and gives each component its smallest node id back. Splink's
`cluster_pairwise_predictions_at_threshold`, used before, solves the same components as
iterated SQL joins over every edge, one statement batch per iteration: at 100,000
customers (254,919 records, 236,843 links) 1.8-2.1 s per call against 0.3-0.4 s here,
and the customer engine clusters twice per build (docs/performance.md, "Connected
components in SciPy"). Only the two node-number columns leave DuckDB: 8 bytes per edge,
about 20 MB for the links of 1,000,000 customers.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .connection import duckdb_connection
from .tables import TableInput, as_temp_table, drop_temp_tables, quote_identifier, unique_suffix


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
            when `threshold` is given, match_probability. An edge to an id that is not
            among the nodes links nothing.
        threshold: edges with match_probability at or above it link records; None
            takes every edge as a link (for edges already decided, e.g. rule pairs).

    Returns:
        A relation (over a temporary table on the connection) with <node_id_column>
        and cluster_id, the smallest node id in the cluster, so ids are stable for the
        same graph.
    """
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    node_id = quote_identifier(node_id_column)
    left, right = quote_identifier(f"{node_id_column}_l"), quote_identifier(f"{node_id_column}_r")
    numbered = f"asiakkuus_identity_numbered_{suffix}"
    components = f"asiakkuus_identity_components_{suffix}"
    output = f"asiakkuus_identity_clusters_{suffix}"
    node_table = as_temp_table(connection, nodes, f"asiakkuus_identity_nodes_{suffix}", [node_id_column])
    edge_columns = [f"{node_id_column}_l", f"{node_id_column}_r"] + (["match_probability"] if threshold is not None else [])
    edge_table = as_temp_table(connection, edges, f"asiakkuus_identity_edges_{suffix}", edge_columns)
    try:
        # Numbered in id order, so a component's smallest number is its smallest id.
        connection.execute(f"""create or replace temp table {numbered} as
            select {node_id}, (row_number() over (order by {node_id}) - 1)::integer as node_number
            from (select distinct {node_id} from {node_table})""")
        node_count = connection.execute(f"select count(*) from {numbered}").fetchone()[0]
        accepted = f"where e.match_probability >= {float(threshold)!r}" if threshold is not None else ""
        edge_numbers = connection.execute(f"""select l.node_number as l, r.node_number as r from {edge_table} e
            join {numbered} l on l.{node_id} = e.{left} join {numbered} r on r.{node_id} = e.{right} {accepted}""").fetchnumpy()
        graph = coo_matrix((np.ones(len(edge_numbers["l"]), dtype=np.int8), (edge_numbers["l"], edge_numbers["r"])),
                           shape=(node_count, node_count))
        _, component_of = connected_components(graph, directed=False)
        smallest_of_component = np.full(node_count, node_count, dtype=np.int64)
        np.minimum.at(smallest_of_component, component_of, np.arange(node_count, dtype=np.int64))
        representative = pa.table({"node_number": np.arange(node_count, dtype=np.int32),
                                   "representative": smallest_of_component[component_of].astype(np.int32)})
        connection.register(components, representative)
        try:
            connection.execute(f"""create or replace temp table {output} as
                select n.{node_id}, rep.{node_id} as cluster_id
                from {components} c
                join {numbered} n on n.node_number = c.node_number
                join {numbered} rep on rep.node_number = c.representative""")
        finally:
            connection.unregister(components)
    finally:
        drop_temp_tables(connection, [node_table, edge_table, numbered])
    return connection.table(output)
