"""The DuckDB connection a dbt Python model is given, as Splink needs it.

dbt-duckdb passes a Python model a thin wrapper (DuckDBCursorWrapper) around its
DuckDB cursor; Splink's DuckDBAPI accepts only a real duckdb.DuckDBPyConnection. The
wrapper keeps the cursor in `_cursor`; unwrapping it keeps every table Splink writes
in the database (and the transaction) that dbt builds in, with no second database file.
"""

from __future__ import annotations

from typing import Any

import duckdb


def duckdb_connection(con: Any) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection behind `con`: a DuckDBPyConnection itself, or a dbt-duckdb
    wrapper of one (unwrapped however deep, since adapters have nested them)."""
    current = con
    for _ in range(5):
        if isinstance(current, duckdb.DuckDBPyConnection):
            # DuckDB draws a progress bar on stdout for queries over two seconds, which on a
            # busy machine would land in the JSON the CLIs print (febrl, evalset).
            current.execute("set enable_progress_bar = false")
            return current
        inner = getattr(current, "_cursor", None)
        if inner is None:
            break
        current = inner
    raise TypeError(f"expected a DuckDB connection or a dbt-duckdb session, got {type(con).__name__}")
