"""The matching engine measured on the FEBRL benchmark, against ground truth and against
the naive baseline rule; settings in febrl_config.yml.

    PYTHONPATH=models/python .venv/bin/python -m asiakkuus_identity.febrl [--json] [febrl1 ...]

For each data set: pairwise precision, recall and F1 of the engine's pairs at the match
threshold, of the clusters they form, and of the baseline; the share of true pairs the
blocking rules bring together at all (the recall no threshold can exceed); run times.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import version
from typing import Any, Mapping

import duckdb

from .baseline import baseline_pairs
from .clustering import cluster
from .config import PACKAGE_DIR, load_yaml
from .febrl_data import load_febrl
from .metrics import cluster_metrics, pairwise_metrics
from .scoring import score_pairs
from .settings import build_engine_settings
from .tables import fetch_one

FEBRL_CONFIG = PACKAGE_DIR / "febrl_config.yml"


def run_dataset(name: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """Engine and baseline on one data set, each in a fresh in-memory database."""
    spec = config["datasets"][name]
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")  # stdout carries the JSON
    try:
        tables = load_febrl(con, config["source"], list(spec["files"]), name)
        union = " union all ".join(f"select record_key, entity_id from {t}" for t in tables)
        con.execute(f"create table {name}_truth as {union}")
        truth = f"{name}_truth"
        (records,) = fetch_one(con, f"select count(*) from {truth}")

        engine = build_engine_settings({**config["model"], "link_type": spec["link_type"]})
        threshold = engine.thresholds["min_match_probability"]
        started = time.perf_counter()
        # Every candidate pair is kept, so the blocking's recall can be measured too.
        scored = score_pairs(con, tables, engine.splink_settings, training=engine.training, min_match_probability=None)
        scored.create(f"{name}_scored")
        engine_seconds = time.perf_counter() - started
        matches = con.sql(f"select * from {name}_scored where match_probability >= {threshold}")
        clusters = cluster(con, truth, matches, threshold)
        cluster_seconds = time.perf_counter() - started - engine_seconds

        started = time.perf_counter()
        baseline = pairwise_metrics(con, baseline_pairs(con, tables, config["baseline"]), truth)
        baseline_seconds = time.perf_counter() - started

        candidates = pairwise_metrics(con, f"{name}_scored", truth)
        return {
            "records": records,
            "link_type": spec["link_type"],
            "engine": {
                **_rounded(pairwise_metrics(con, matches, truth)),
                "threshold": threshold,
                "seconds": round(engine_seconds, 2),
                "candidate_pairs": candidates["predicted_pairs"],
                "blocking_recall": round(candidates["recall"], 4),
                "clusters": {**_rounded(cluster_metrics(con, clusters, truth)), "seconds": round(cluster_seconds, 2)},
            },
            "baseline": {**_rounded(baseline), "seconds": round(baseline_seconds, 2)},
        }
    finally:
        con.close()


def run(names: list[str], config: Mapping[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    datasets = {name: run_dataset(name, config) for name in names}
    return {
        "datasets": datasets,
        "targets": config.get("targets", {}),
        "seconds": round(time.perf_counter() - started, 2),
        "versions": {"splink": version("splink"), "duckdb": duckdb.__version__, "febrl_source": f"{config['source']['package']}=={config['source']['version']}"},
    }


def _rounded(metrics: Mapping[str, Any]) -> dict[str, Any]:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in metrics.items()}


def _table(results: Mapping[str, Any]) -> str:
    lines = [f"{'data set':9} {'records':>7} | {'engine P':>8} {'R':>6} {'F1':>6} {'secs':>5} {'block R':>7} {'clust F1':>8} {'exact':>6}"
             f" | {'baseline P':>10} {'R':>6} {'F1':>6}"]
    for name, r in results["datasets"].items():
        e, c, b = r["engine"], r["engine"]["clusters"], r["baseline"]
        lines.append(f"{name:9} {r['records']:>7} | {e['precision']:>8} {e['recall']:>6} {e['f1']:>6} {e['seconds']:>5} {e['blocking_recall']:>7}"
                     f" {c['f1']:>8} {c['entities_exactly_recovered']:>6} | {b['precision']:>10} {b['recall']:>6} {b['f1']:>6}")
    lines.append(f"total {results['seconds']} s; splink {results['versions']['splink']}, duckdb {results['versions']['duckdb']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    config = load_yaml(FEBRL_CONFIG)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("datasets", nargs="*", default=list(config["datasets"]), metavar="DATASET",
                        help=f"any of {', '.join(config['datasets'])} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.datasets) - set(config["datasets"])
    if unknown:
        parser.error(f"unknown data set {', '.join(sorted(unknown))}")
    results = run(list(args.datasets), config)
    print(json.dumps(results, indent=2) if args.json else _table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
