"""Quality of a matching against ground truth (true entity ids per record), computed in
DuckDB so that it works at warehouse size without pulling pairs into Python.

Pairwise metrics count unordered record pairs: a predicted pair is correct when both
records belong to the same true entity. True pairs are all pairs of records that share
an entity id (for a link-only job that equals the cross-file pairs only when neither
file has duplicates within itself, as in FEBRL 4).

Cluster metrics compare whole groups: a predicted cluster is exact when it holds all
records of one true entity and nothing else.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .connection import duckdb_connection
from .tables import TableInput, as_temp_table, drop_temp_tables, fetch_one, unique_suffix


def precision_recall_f1(correct: int, predicted: int, true: int) -> dict[str, float]:
    """Precision, recall and F1 from pair counts; an empty prediction (or truth) counts as
    perfect precision (or recall), since nothing was claimed (or missed)."""
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise_metrics(
    con: Any,
    predicted_pairs: TableInput,
    truth: TableInput,
    *,
    node_id_column: str = "record_key",
    entity_column: str = "entity_id",
) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted links.

    Args:
        predicted_pairs: <node_id_column>_l, <node_id_column>_r; each unordered pair
            counts once however often and in whichever order it appears.
        truth: <node_id_column>, <entity_column>, one row per record.
    """
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    left, right = f"{node_id_column}_l", f"{node_id_column}_r"
    pairs = as_temp_table(connection, predicted_pairs, f"asiakkuus_identity_eval_pairs_{suffix}", [left, right])
    truth_table = as_temp_table(connection, truth, f"asiakkuus_identity_eval_truth_{suffix}", [node_id_column, entity_column])
    try:
        predicted, correct = fetch_one(
            connection,
            f"""with pairs as (
                select distinct least({left}, {right}) as a, greatest({left}, {right}) as b
                from {pairs} where {left} <> {right})
            select count(*), count(*) filter (where ta.{entity_column} = tb.{entity_column})
            from pairs
            left join {truth_table} ta on ta.{node_id_column} = pairs.a
            left join {truth_table} tb on tb.{node_id_column} = pairs.b""",
        )
        true = _true_pair_count(connection, truth_table, entity_column)
    finally:
        drop_temp_tables(connection, [pairs, truth_table])
    return {"predicted_pairs": predicted, "true_pairs": true, "correct_pairs": correct,
            **precision_recall_f1(correct, predicted, true)}


def cluster_metrics(
    con: Any,
    clusters: TableInput,
    truth: TableInput,
    *,
    node_id_column: str = "record_key",
    cluster_column: str = "cluster_id",
    entity_column: str = "entity_id",
) -> dict[str, float]:
    """Pairwise precision/recall/F1 implied by predicted clusters, and cluster accuracy.

    Args:
        clusters: <node_id_column>, <cluster_column>, one row per record.
        truth: <node_id_column>, <entity_column>, one row per record; records missing
            from either side (or with a null id) are left out of both.

    Returns pair counts and precision/recall/F1 (every pair inside a predicted cluster is
    a predicted link), plus:
        entities_exactly_recovered: share of true entities that are exactly one
            predicted cluster (the usual "cluster accuracy");
        clusters_exact: share of predicted clusters that are exactly one true entity;
        records_in_exact_clusters: share of records whose cluster is exactly right.
    """
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    cluster_table = as_temp_table(connection, clusters, f"asiakkuus_identity_eval_clusters_{suffix}", [node_id_column, cluster_column])
    truth_table = as_temp_table(connection, truth, f"asiakkuus_identity_eval_truth_{suffix}", [node_id_column, entity_column])
    try:
        row = fetch_one(
            connection,
            f"""with joined as (
                select c.{cluster_column} as cluster, t.{entity_column} as entity
                from {cluster_table} c join {truth_table} t using ({node_id_column})
                where t.{entity_column} is not null and c.{cluster_column} is not null),
            cells as (select cluster, entity, count(*) as n from joined group by all),
            clusters as (select cluster, count(*) as n, count(distinct entity) as entities from joined group by all),
            entities as (select entity, count(*) as n from joined group by all),
            exact as (
                select cells.n from cells
                join clusters using (cluster) join entities using (entity)
                where clusters.entities = 1 and cells.n = entities.n)
            select
                (select coalesce(sum(n * (n - 1) // 2), 0) from clusters),
                (select coalesce(sum(n * (n - 1) // 2), 0) from cells),
                (select coalesce(sum(n * (n - 1) // 2), 0) from entities),
                (select count(*) from clusters),
                (select count(*) from entities),
                (select count(*) from exact),
                (select coalesce(sum(n), 0) from exact),
                (select count(*) from joined)""",
        )
    finally:
        drop_temp_tables(connection, [cluster_table, truth_table])
    predicted, correct, true, n_clusters, n_entities, n_exact, records_exact, n_records = (int(v) for v in row)
    return {
        "predicted_pairs": predicted, "true_pairs": true, "correct_pairs": correct,
        **precision_recall_f1(correct, predicted, true),
        "records": n_records, "clusters": n_clusters, "entities": n_entities, "exact_clusters": n_exact,
        "entities_exactly_recovered": n_exact / n_entities if n_entities else 1.0,
        "clusters_exact": n_exact / n_clusters if n_clusters else 1.0,
        "records_in_exact_clusters": records_exact / n_records if n_records else 1.0,
    }


def _true_pair_count(connection: duckdb.DuckDBPyConnection, truth_table: str, entity_column: str) -> int:
    (true,) = fetch_one(
        connection,
        f"""select coalesce(sum(n * (n - 1) // 2), 0) from (
            select count(*) as n from {truth_table} where {entity_column} is not null group by {entity_column})""",
    )
    return int(true)
