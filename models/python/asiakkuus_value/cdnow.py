"""The customer-value models validated on the public CDNOW sample (2,357 customers, the
data of Fader, Hardie and Lee 2005), read from inside the lifetimes wheel on PyPI
without installing lifetimes.

Runs the project's own code end to end: purchase_summary on the raw transactions
(CDNOW_sample.txt, calibration period 1997-01-01 .. 1997-09-30, weeks), compared with
the summaries the package ships, then fit_value_models. Prints the fitted parameters
and the published ones, and compares the fit, its log-likelihood and the predictions with
PyMC-Marketing's own (pymc_reference.py).

    python -m asiakkuus_value.cdnow [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from asiakkuus_common.pypi_wheel import cache_dir, pinned_wheel

from .fitting import bgnbd_log_likelihood, fit_value_models, gamma_gamma_log_likelihood, predict_customer_value, repeat_buyers
from .pymc_reference import fit_with_pymc, model_log_likelihood, predict_with_pymc
from .summary import purchase_summary

WHEEL = {"package": "lifetimes", "version": "0.11.3", "sha256": "261e3dc89977c2b60767ca6728aaa29d429de0c814635070a749c36555895da8"}
DATASETS = "lifetimes/datasets"
CALIBRATION_END = "1997-09-30"

# Fader, Hardie and Lee (2005), "Counting your customers the easy way", table 1, and
# Fader and Hardie (2013), "The Gamma-Gamma model of monetary value", on the 946
# customers with repeat purchases in the calibration period.
PUBLISHED = {
    "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "bgnbd_log_likelihood": -9582.4,
    "gamma_gamma": {"p": 6.25, "q": 3.74, "v": 15.44},
    "repeat_customers": 946,
    "customers": 2357,
}

def _read(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(f"{DATASETS}/{name}")


def cdnow_transactions(wheel: Path) -> pd.DataFrame:
    """CDNOW_sample.txt: customer id, id in the master file, date, CDs bought, dollars."""
    frame = pd.read_csv(
        io.BytesIO(_read(wheel, "CDNOW_sample.txt")),
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "date", "cds", "amount"],
        dtype={"master_id": str, "customer_id": int, "date": str, "cds": int, "amount": float},
    )
    frame["purchased_on"] = pd.to_datetime(frame["date"], format="%Y%m%d").dt.date
    return frame[["customer_id", "purchased_on", "amount"]]


def shipped_summary(wheel: Path) -> pd.DataFrame:
    """The package's own calibration summary (x, t_x, T, zbar per customer)."""
    frame = pd.read_csv(io.BytesIO(_read(wheel, "cdnow_customers_summary_with_transactions.csv")))
    return frame.rename(columns={"ID": "customer_id", "x": "frequency", "t_x": "recency", "zbar": "monetary_value"})


def validate() -> dict:
    started = time.perf_counter()
    wheel = pinned_wheel(cache_dir("cdnow", "ASIAKKUUS_CDNOW_CACHE"), WHEEL["package"], WHEEL["version"], WHEEL["sha256"])
    con = duckdb.connect()
    transactions = cdnow_transactions(wheel)
    purchases = con.from_df(transactions)
    summary = purchase_summary(con, purchases, CALIBRATION_END, "W").df().sort_values("customer_id").reset_index(drop=True)
    shipped = shipped_summary(wheel).sort_values("customer_id").reset_index(drop=True)
    # Customers whose first purchase is after the calibration end have no summary row.
    compared = shipped.merge(summary, on="customer_id", how="outer", suffixes=("_shipped", "_ours"), indicator=True)
    differences = {
        "customers_only_in_one": int((compared["_merge"] != "both").sum()),
        "frequency": int((compared["frequency_shipped"] != compared["frequency_ours"]).sum()),
        # The shipped file rounds to two decimals.
        **{
            column: int(((compared[f"{column}_shipped"] - compared[f"{column}_ours"]).abs() > 0.0051).sum())
            for column in ("recency", "T", "monetary_value")
        },
    }
    fit_started = time.perf_counter()
    fitted = fit_value_models(summary)
    fit_seconds = time.perf_counter() - fit_started
    x, t_x, T = (summary[column].to_numpy(dtype=float) for column in ("frequency", "recency", "T"))
    repeat = repeat_buyers(summary)
    repeat_x, repeat_spend = (repeat[column].to_numpy(dtype=float) for column in ("frequency", "monetary_value"))
    log_likelihood = {
        "bgnbd": float(bgnbd_log_likelihood(fitted.bgnbd, x, t_x, T).sum()),
        "gamma_gamma": float(gamma_gamma_log_likelihood(fitted.gamma_gamma, repeat_x, repeat_spend).sum()),
    }
    reference = fit_with_pymc(summary)
    # Our closed forms against PyMC-Marketing's models: its log-density at our point is our
    # log-likelihood (the formulas are the same), and its MAP fit finds our point.
    pymc_log_likelihood_at_ours = {
        "bgnbd": model_log_likelihood(reference.purchases, fitted.bgnbd),
        "gamma_gamma": model_log_likelihood(reference.spend, fitted.gamma_gamma),
    }
    pymc_log_likelihood_at_its_fit = {
        "bgnbd": float(bgnbd_log_likelihood(reference.fitted.bgnbd, x, t_x, T).sum()),
        "gamma_gamma": float(gamma_gamma_log_likelihood(reference.fitted.gamma_gamma, repeat_x, repeat_spend).sum()),
    }
    parameter_differences = {
        name: abs(value - reference_params[name]) / abs(reference_params[name])
        for params, reference_params in ((fitted.bgnbd, reference.fitted.bgnbd), (fitted.gamma_gamma, reference.fitted.gamma_gamma))
        for name, value in params.items()
    }
    # The NumPy closed forms the builds predict with, against PyMC-Marketing's own methods
    # on the same fit (its own): the largest difference per column, relative to the value.
    ours = predict_customer_value(reference.fitted, summary, 12, 0.10, "W")
    pymc = predict_with_pymc(reference, summary, 12, 0.10, "W")
    prediction_differences = {
        column: float(((ours[column] - pymc[column]).abs() / pymc[column].abs().clip(lower=1e-12)).max())
        for column in ("probability_alive", "expected_purchases", "expected_spend_per_purchase", "predicted_value")
    }
    return {
        "customers": fitted.customers,
        "repeat_customers": fitted.repeat_customers,
        "summary_rows_differing_from_shipped": differences,
        "bgnbd": fitted.bgnbd,
        "bgnbd_log_likelihood": log_likelihood["bgnbd"],
        "gamma_gamma": fitted.gamma_gamma,
        "log_likelihood": log_likelihood,
        "pymc_log_likelihood_at_ours": pymc_log_likelihood_at_ours,
        "pymc_fit": {"bgnbd": reference.fitted.bgnbd, "gamma_gamma": reference.fitted.gamma_gamma},
        "log_likelihood_at_pymc_fit": pymc_log_likelihood_at_its_fit,
        "parameters_relative_difference_from_pymc": parameter_differences,
        "predictions_relative_difference_from_pymc": prediction_differences,
        "published": PUBLISHED,
        "fit_seconds": round(fit_seconds, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = validate()
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"CDNOW: {result['customers']} customers, {result['repeat_customers']} with repeat purchases ({result['seconds']} s)")
    print(f"summary rows differing from the shipped summary: {result['summary_rows_differing_from_shipped']}")
    for model, params in (("BG/NBD", "bgnbd"), ("Gamma-Gamma", "gamma_gamma")):
        for name, value in result[params].items():
            published = PUBLISHED[params][name]
            print(f"{model:12} {name:6} {value:9.4f}  published {published:8.3f}  ({100 * (value - published) / published:+.2f} %)")
    print(f"BG/NBD log-likelihood {result['bgnbd_log_likelihood']:.1f}  published {PUBLISHED['bgnbd_log_likelihood']}")
    print(f"PyMC-Marketing's fit: {result['pymc_fit']}; largest parameter difference from ours "
          f"{max(result['parameters_relative_difference_from_pymc'].values()):.2e} (relative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
