"""BG/NBD and Gamma-Gamma fitted by maximum likelihood with PyMC-Marketing, and the
per-customer predictions: probability of being alive, expected purchases and value over
a horizon, discounted.

Maximum likelihood = maximum a posteriori under flat priors (HalfFlat on every
parameter), which is what Fader, Hardie and Lee (2005) and the lifetimes library fit,
so the fitted parameters are comparable with the published ones.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .summary import UNIT_DAYS


def _quiet() -> None:
    # PyMC logs sampler and compile chatter on every fit; dbt's log is not the place.
    for name in ("pymc", "pytensor", "pymc_marketing", "pymc_extras"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning)


@dataclass(frozen=True)
class FittedValueModels:
    purchases: object | None  # pymc_marketing.clv.BetaGeoModel; None when not fitted
    spend: object | None  # pymc_marketing.clv.GammaGammaModel; None without repeat buyers
    bgnbd: dict[str, float]
    gamma_gamma: dict[str, float]
    customers: int
    repeat_customers: int


def _flat(*names: str) -> dict:
    from pymc_extras.prior import Prior

    return {name: Prior("HalfFlat") for name in names}


def _map_point(model, names: tuple[str, ...]) -> dict[str, float]:
    # The posterior holds the one MAP draw; fit_summary() would round it to 3 decimals.
    posterior = model.idata.posterior
    return {name: float(posterior[name].values.mean()) for name in names}


def bgnbd_log_likelihood(fitted: FittedValueModels) -> float:
    """The data's log-likelihood at the fitted BG/NBD point: the model's log-density
    without the transform Jacobians; the flat priors add nothing. Compiles the model's
    density, so it is computed only where it is reported (the CDNOW validation)."""
    if fitted.purchases is None:
        return float("nan")
    point = fitted.bgnbd
    pm_model = fitted.purchases.model
    logp = pm_model.compile_logp(jacobian=False)
    values = {}
    for var in pm_model.free_RVs:
        value_var = pm_model.rvs_to_values[var]
        transform = pm_model.rvs_to_transforms.get(var)
        raw = np.asarray(point[var.name], dtype=float)
        values[value_var.name] = transform.forward(raw).eval() if transform is not None else raw
    return float(logp(values))


def not_fitted(summary: pd.DataFrame) -> FittedValueModels:
    """No models: too few customers to fit them; every prediction stays empty."""
    return FittedValueModels(None, None, {}, {}, len(summary), int((summary["frequency"] > 0).sum()))


def fit_value_models(summary: pd.DataFrame) -> FittedValueModels:
    """summary: customer_id, frequency, recency, T, monetary_value (summary.py)."""
    _quiet()
    from pymc_marketing.clv import BetaGeoModel, GammaGammaModel

    data = summary[["customer_id", "frequency", "recency", "T"]].copy()
    purchases = BetaGeoModel(data=data, model_config=_flat("r", "alpha", "a", "b"))
    purchases.fit(method="map", progressbar=False)
    bgnbd = _map_point(purchases, ("r", "alpha", "a", "b"))

    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    spend = None
    gamma_gamma: dict[str, float] = {}
    if len(repeat) >= 2:
        spend = GammaGammaModel(
            data=repeat[["customer_id", "monetary_value", "frequency"]].copy(),
            model_config=_flat("p", "q", "v"),
        )
        spend.fit(method="map", progressbar=False)
        gamma_gamma = _map_point(spend, ("p", "q", "v"))
    return FittedValueModels(
        purchases=purchases,
        spend=spend,
        bgnbd=bgnbd,
        gamma_gamma=gamma_gamma,
        customers=len(summary),
        repeat_customers=len(repeat),
    )


def kept_value_models(summary: pd.DataFrame, bgnbd: dict[str, float], gamma_gamma: dict[str, float]) -> FittedValueModels:
    """The models at parameters fitted earlier (fit_value_models' bgnbd and gamma_gamma,
    kept between builds), without fitting: predict_customer_value reads only the
    parameters, so it gives what it gave with the fit that found them. An empty bgnbd is
    no model (not_fitted); an empty gamma_gamma no spend model (too few repeat buyers)."""
    if not bgnbd:
        return not_fitted(summary)
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    return FittedValueModels(None, None, dict(bgnbd), dict(gamma_gamma), len(summary), len(repeat))


def _mean(values) -> np.ndarray:
    return np.asarray(values.mean(("chain", "draw")).values, dtype=float)


def predict_with_pymc(fitted: FittedValueModels, summary: pd.DataFrame, horizon_months: int, annual_discount_rate: float,
                      time_unit: str) -> pd.DataFrame:
    """predict_customer_value's columns from PyMC-Marketing's own methods on a fit's
    models (fit_value_models): the reference the NumPy closed forms are checked against
    (cdnow.py). Needs fitted.purchases and fitted.spend."""
    _quiet()
    result = pd.DataFrame({"customer_id": summary["customer_id"].to_numpy()})
    data = summary[["customer_id", "frequency", "recency", "T"]].copy()
    horizon_units = horizon_months * 365.25 / 12 / UNIT_DAYS[time_unit]
    result["probability_alive"] = _mean(fitted.purchases.expected_probability_alive(data))
    result["expected_purchases"] = _mean(fitted.purchases.expected_purchases(data, future_t=horizon_units))
    spend_data = summary[["customer_id", "frequency", "recency", "T", "monetary_value"]].copy()
    usable = (spend_data["frequency"] > 0) & (spend_data["monetary_value"] > 0)
    spend_data.loc[~usable, "frequency"] = 0
    spend_data.loc[~usable, "monetary_value"] = 0.0
    result["expected_spend_per_purchase"] = _mean(fitted.spend.expected_customer_spend(spend_data))
    monthly_rate = (1.0 + annual_discount_rate) ** (1.0 / 12.0) - 1.0
    value = fitted.spend.expected_customer_lifetime_value(
        transaction_model=fitted.purchases, data=spend_data.copy(), future_t=horizon_months, discount_rate=monthly_rate, time_unit=time_unit)
    result["predicted_value"] = _mean(value)
    return result


def predict_customer_value(
    fitted: FittedValueModels,
    summary: pd.DataFrame,
    horizon_months: int,
    annual_discount_rate: float,
    time_unit: str,
) -> pd.DataFrame:
    """Per customer: probability alive now, expected purchases within the horizon,
    expected spend per purchase and the discounted expected spend over the horizon.

    The closed forms PyMC-Marketing's BetaGeoModel (expected_probability_alive,
    expected_purchases), GammaGammaModel (expected_customer_spend) and
    customer_lifetime_value evaluate at a MAP point, written out in NumPy on the fitted
    parameters: the same numbers without importing PyMC and building its models, which
    took most of a build's prediction time (cdnow.py compares the two on CDNOW,
    test/finance/cdnow.test.ts)."""
    result = pd.DataFrame({"customer_id": summary["customer_id"].to_numpy()})
    if not fitted.bgnbd:
        for column in ("probability_alive", "expected_purchases", "expected_spend_per_purchase", "predicted_value"):
            result[column] = np.nan
        return result
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    horizon_units = horizon_months * 365.25 / 12 / UNIT_DAYS[time_unit]
    result["probability_alive"] = bgnbd_probability_alive(fitted.bgnbd, x, t_x, T)
    result["expected_purchases"] = bgnbd_expected_purchases(fitted.bgnbd, x, t_x, T, horizon_units)
    if not fitted.gamma_gamma:
        result["expected_spend_per_purchase"] = np.nan
        result["predicted_value"] = np.nan
        return result
    # One-time buyers and customers whose repeat purchases were all returned get the
    # population's expected spend: Gamma-Gamma with no (positive) repeat purchases.
    monetary = summary["monetary_value"].to_numpy(dtype=float)
    usable = (x > 0) & (monetary > 0)
    spend = gamma_gamma_expected_spend(fitted.gamma_gamma, np.where(usable, x, 0.0), np.where(usable, monetary, 0.0))
    result["expected_spend_per_purchase"] = spend
    monthly_rate = (1.0 + annual_discount_rate) ** (1.0 / 12.0) - 1.0
    result["predicted_value"] = discounted_value(fitted.bgnbd, x, t_x, T, spend, horizon_months, monthly_rate, time_unit)
    return result


def bgnbd_probability_alive(params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """P(alive | x, t_x, T) (Fader, Hardie and Lee 2008), as BetaGeoModel.expected_probability_alive."""
    from scipy.special import expit

    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    log_div = (r + x) * np.log((alpha + T) / (alpha + t_x)) + np.log(a / (b + np.maximum(x, 1) - 1))
    return np.where(x == 0, 1.0, expit(-log_div))


def bgnbd_expected_purchases(params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray, t: float) -> np.ndarray:
    """E[purchases in (T, T + t] | x, t_x, T] (equation 10 of Fader, Hardie and Lee 2005), as BetaGeoModel.expected_purchases."""
    from scipy.special import hyp2f1

    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    numerator = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    numerator = numerator * (a + b + x - 1) / (a - 1)
    denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    return numerator / denominator


def gamma_gamma_expected_spend(params: dict[str, float], x: np.ndarray, monetary: np.ndarray) -> np.ndarray:
    """E[spend per purchase | x, mean repeat spend], as GammaGammaModel.expected_customer_spend."""
    p, q, v = (params[k] for k in ("p", "q", "v"))
    individual_weight = p * x / (p * x + q - 1)
    population_mean = v * p / (q - 1)
    return (1 - individual_weight) * population_mean + individual_weight * monetary


def discounted_value(params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray, spend: np.ndarray,
                     horizon_months: int, monthly_rate: float, time_unit: str) -> np.ndarray:
    """The expected spend of each month of the horizon, discounted to today, summed: as
    pymc_marketing.clv.customer_lifetime_value (its month lengths in time units, factor)."""
    factor = {"W": 4.345, "M": 1.0, "D": 30, "H": 30 * 24}[time_unit]
    steps = np.arange(horizon_months, horizon_months + 1) if monthly_rate == 0.0 else np.arange(1, horizon_months + 1)
    value = np.zeros_like(x)
    previous = 0
    for i in steps * factor:
        purchases = bgnbd_expected_purchases(params, x, t_x, T, i)
        value = value + (spend * (purchases - previous)) / (1 + monthly_rate) ** (i / factor)
        previous = purchases
    return value
