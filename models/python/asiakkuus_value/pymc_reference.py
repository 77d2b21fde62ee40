"""PyMC-Marketing's own fit and predictions, the reference the package's closed forms
(fitting.py) are checked against on CDNOW (cdnow.py). Never imported by a build:
importing PyMC and compiling its models is most of the time a fit would take.

BetaGeoModel and GammaGammaModel fitted by MAP under flat priors (HalfFlat on every
parameter) are maximum likelihood, which is what Fader, Hardie and Lee (2005) and the
lifetimes library fit.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .fitting import BGNBD_PARAMETERS, GAMMA_GAMMA_PARAMETERS, FittedValueModels, repeat_buyers
from .summary import UNIT_DAYS


def _quiet() -> None:
    # PyMC logs sampler and compile chatter on every fit.
    for name in ("pymc", "pytensor", "pymc_marketing", "pymc_extras"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning)


@dataclass(frozen=True)
class PymcValueModels:
    fitted: FittedValueModels  # the MAP point
    purchases: object  # pymc_marketing.clv.BetaGeoModel
    spend: object  # pymc_marketing.clv.GammaGammaModel


def _flat(*names: str) -> dict:
    from pymc_extras.prior import Prior

    return {name: Prior("HalfFlat") for name in names}


def _map_point(model, names: tuple[str, ...]) -> dict[str, float]:
    # The posterior holds the one MAP draw; fit_summary() would round it to 3 decimals.
    posterior = model.idata.posterior
    return {name: float(posterior[name].values.mean()) for name in names}


def fit_with_pymc(summary: pd.DataFrame) -> PymcValueModels:
    """summary: customer_id, frequency, recency, T, monetary_value (summary.py), with at
    least two repeat buyers."""
    _quiet()
    from pymc_marketing.clv import BetaGeoModel, GammaGammaModel

    purchases = BetaGeoModel(data=summary[["customer_id", "frequency", "recency", "T"]].copy(), model_config=_flat(*BGNBD_PARAMETERS))
    purchases.fit(method="map", progressbar=False)
    repeat = repeat_buyers(summary)
    spend = GammaGammaModel(data=repeat[["customer_id", "monetary_value", "frequency"]].copy(), model_config=_flat(*GAMMA_GAMMA_PARAMETERS))
    spend.fit(method="map", progressbar=False)
    fitted = FittedValueModels(_map_point(purchases, BGNBD_PARAMETERS), _map_point(spend, GAMMA_GAMMA_PARAMETERS), len(summary), len(repeat))
    return PymcValueModels(fitted, purchases, spend)


def model_log_likelihood(model, point: dict[str, float]) -> float:
    """A PyMC-Marketing model's log-density of its data at `point`, without the transform
    Jacobians (the flat priors add nothing): the data's log-likelihood there."""
    pm_model = model.model
    logp = pm_model.compile_logp(jacobian=False)
    values = {}
    for var in pm_model.free_RVs:
        value_var = pm_model.rvs_to_values[var]
        transform = pm_model.rvs_to_transforms.get(var)
        raw = np.asarray(point[var.name], dtype=float)
        values[value_var.name] = transform.forward(raw).eval() if transform is not None else raw
    return float(logp(values))


def _mean(values) -> np.ndarray:
    return np.asarray(values.mean(("chain", "draw")).values, dtype=float)


def predict_with_pymc(models: PymcValueModels, summary: pd.DataFrame, horizon_months: int, annual_discount_rate: float,
                      time_unit: str) -> pd.DataFrame:
    """predict_customer_value's columns from PyMC-Marketing's own methods at its fit."""
    _quiet()
    result = pd.DataFrame({"customer_id": summary["customer_id"].to_numpy()})
    data = summary[["customer_id", "frequency", "recency", "T"]].copy()
    horizon_units = horizon_months * 365.25 / 12 / UNIT_DAYS[time_unit]
    result["probability_alive"] = _mean(models.purchases.expected_probability_alive(data))
    result["expected_purchases"] = _mean(models.purchases.expected_purchases(data, future_t=horizon_units))
    spend_data = summary[["customer_id", "frequency", "recency", "T", "monetary_value"]].copy()
    usable = (spend_data["frequency"] > 0) & (spend_data["monetary_value"] > 0)
    spend_data.loc[~usable, "frequency"] = 0
    spend_data.loc[~usable, "monetary_value"] = 0.0
    result["expected_spend_per_purchase"] = _mean(models.spend.expected_customer_spend(spend_data))
    monthly_rate = (1.0 + annual_discount_rate) ** (1.0 / 12.0) - 1.0
    value = models.spend.expected_customer_lifetime_value(
        transaction_model=models.purchases, data=spend_data.copy(), future_t=horizon_months, discount_rate=monthly_rate, time_unit=time_unit)
    result["predicted_value"] = _mean(value)
    return result
