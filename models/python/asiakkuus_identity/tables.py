"""Inputs given as a table name or a DuckDB relation, turned into connection-local
temporary tables that Splink can address by name and that vanish with the connection."""

from __future__ import annotations

import uuid
from typing import Any, Union

import duckdb

# A table (or view) name in the connection's catalog, or a relation on that connection.
TableInput = Union[str, duckdb.DuckDBPyRelation]


def unique_suffix() -> str:
    """A short random suffix so that two models running in parallel threads of one dbt
    process never write the same scratch table."""
    return uuid.uuid4().hex[:10]


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def as_temp_table(con: duckdb.DuckDBPyConnection, source: TableInput, name: str, columns: list[str] | None = None) -> str:
    """Copy `source` (optionally only `columns`) into temp table `name` and return the name.

    A relation is copied rather than registered as a view because Splink reads its
    input many times; a copy also pins the rows, so training and prediction see the
    same data even if the relation's source changes meanwhile."""
    selection = ", ".join(quote_identifier(c) for c in columns) if columns else "*"
    if isinstance(source, duckdb.DuckDBPyRelation):
        view = f"{name}_source"
        con.register(view, source)
        try:
            con.execute(f"create or replace temp table {name} as select {selection} from {view}")
        finally:
            con.unregister(view)
    else:
        con.execute(f"create or replace temp table {name} as select {selection} from {source}")
    return name


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    """The single row an aggregate query returns."""
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"no row from: {sql}")
    return row


def drop_temp_tables(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for name in names:
        con.execute(f"drop table if exists temp.{name}")
