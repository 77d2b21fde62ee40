"""The naive matching rule the engine is measured against: compare only pairs that agree
on the blocking columns, count the features that agree, and call a pair a match from a
fixed count up. No weights, no training: every feature counts the same whether it is a
rare surname or the state."""

from __future__ import annotations

from typing import Any, Mapping

import duckdb


def baseline_pairs(con: duckdb.DuckDBPyConnection, tables: list[str], rule: Mapping[str, Any], *, node_id_column: str = "record_key") -> duckdb.DuckDBPyRelation:
    """Pairs (record_key_l, record_key_r) the rule calls matches: within one table
    (dedupe) or between the first and the last (link)."""
    left, right = tables[0], tables[-1]
    blocking = " and ".join(f"l.{column} = r.{column}" for column in rule["blocking"])
    # Within one table each unordered pair once; across two tables every pair.
    order = f"and l.{node_id_column} < r.{node_id_column}" if left == right else ""
    agreeing = " + ".join(f"({_feature(feature)})::int" for feature in rule["features"])
    return con.sql(
        f"""select l.{node_id_column} as {node_id_column}_l, r.{node_id_column} as {node_id_column}_r
        from {left} l join {right} r on {blocking} {order}
        where {agreeing} >= {int(rule['min_agreeing_features'])}"""
    )


def _feature(feature: Mapping[str, Any]) -> str:
    """A SQL condition true when the feature agrees (false, not null, when a value is missing)."""
    column, method = feature["column"], feature.get("method", "exact")
    l, r = f"l.{column}", f"r.{column}"
    if method == "exact":
        condition = f"{l} = {r}"
    elif method == "jaro_winkler":
        condition = f"jaro_winkler_similarity({l}, {r}) >= {float(feature['threshold'])}"
    elif method == "levenshtein_similarity":
        # 1 - edits / longer length, as recordlinkage's string comparison defines it.
        condition = f"1 - levenshtein({l}, {r}) / greatest(length({l}), length({r}), 1) >= {float(feature['threshold'])}"
    else:
        raise ValueError(f"baseline feature on {column}: unknown method {method!r}")
    return f"coalesce({condition}, false)"
