"""BG/NBD and Gamma-Gamma fitted by maximum likelihood, and the per-customer
predictions: probability of being alive, expected purchases and value over a horizon,
discounted.

The fit maximises the models' closed-form log-likelihoods (Fader, Hardie and Lee 2005,
equation 6; Fader and Hardie 2013) with SciPy, as the lifetimes library does and as
PyMC-Marketing's MAP fit under flat priors does. PyMC-Marketing is the reference: on
CDNOW (cdnow.py, test/finance/cdnow.test.ts) the parameters equal the published ones and
PyMC-Marketing's own fit, and the log-likelihood equals its model's log-density. A build
does not import PyMC: importing it and compiling its models took 7-12 s of every fit,
against a tenth of a second for the fit itself at a few thousand customers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .summary import UNIT_DAYS

BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "v")


@dataclass(frozen=True)
class FittedValueModels:
    bgnbd: dict[str, float]  # r, alpha, a, b; empty when not fitted
    gamma_gamma: dict[str, float]  # p, q, v; empty without repeat buyers
    customers: int
    repeat_customers: int


def bgnbd_log_likelihood(params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each customer's BG/NBD log-likelihood of (x repeat purchases, the last at t_x, age T)
    (Fader, Hardie and Lee 2005, equation 6): the purchase process alive through T, or
    (x > 0 only) dropped out right after the last purchase."""
    return _bgnbd(params, x, t_x, T, gradient=False)[0]


def gamma_gamma_log_likelihood(params: dict[str, float], x: np.ndarray, monetary: np.ndarray) -> np.ndarray:
    """Each repeat buyer's Gamma-Gamma log-likelihood of the mean spend of x > 0 repeat
    purchases (Fader and Hardie 2013, the density of the mean)."""
    return _gamma_gamma(params, x, monetary, gradient=False)[0]


def _bgnbd(params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray, gradient: bool):
    """The log-likelihood per customer and, with gradient, its summed derivatives by r, alpha, a, b."""
    from scipy.special import digamma, gammaln

    r, alpha, a, b = (params[k] for k in BGNBD_PARAMETERS)
    common = (gammaln(r + x) - gammaln(r) + r * np.log(alpha)
              + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x))
    alive = -(r + x) * np.log(alpha + T)
    # np.maximum: the dropped-out term exists only for x > 0; keeps log(b - 1) out of x = 0.
    b_x = b + np.maximum(x, 1) - 1
    dropped = np.log(a) - np.log(b_x) - (r + x) * np.log(alpha + t_x)
    both = np.where(x > 0, np.logaddexp(alive, dropped), alive)
    if not gradient:
        return common + both, None
    # The share of each customer's likelihood that is the dropped-out term.
    w = np.where(x > 0, np.exp(dropped - both), 0.0)
    ab = digamma(a + b) - digamma(a + b + x)
    return common + both, np.array([
        np.sum(digamma(r + x) - digamma(r) + np.log(alpha) - (1 - w) * np.log(alpha + T) - w * np.log(alpha + t_x)),
        np.sum(r / alpha - (r + x) * ((1 - w) / (alpha + T) + w / (alpha + t_x))),
        np.sum(ab + w / a),
        np.sum(ab + digamma(b + x) - digamma(b) - w / b_x),
    ])


def _gamma_gamma(params: dict[str, float], x: np.ndarray, monetary: np.ndarray, gradient: bool):
    """The log-likelihood per repeat buyer and, with gradient, its summed derivatives by p, q, v."""
    from scipy.special import digamma, gammaln

    p, q, v = (params[k] for k in GAMMA_GAMMA_PARAMETERS)
    px = p * x
    log_total = np.log(x * monetary + v)
    value = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
             + (px - 1) * np.log(monetary) + px * np.log(x) - (px + q) * log_total)
    if not gradient:
        return value, None
    shape = digamma(px + q)
    return value, np.array([
        np.sum(x * (shape - digamma(px) + np.log(monetary) + np.log(x) - log_total)),
        np.sum(shape - digamma(q) + np.log(v) - log_total),
        np.sum(q / v - (px + q) / (x * monetary + v)),
    ])


def _maximum_likelihood(log_likelihood, names: tuple[str, ...], *data: np.ndarray) -> dict[str, float]:
    """The parameters (all positive, so searched on the log scale from 1.0 each) that
    maximise the summed log-likelihood, by L-BFGS-B with the exact gradient: where the
    likelihood is nearly flat (no sign of customers dropping out: a and b grow together)
    a gradient by finite differences stopped short of PyMC-Marketing's maximum."""
    from scipy.optimize import minimize

    customers = len(data[0])

    def negative(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, by_param = log_likelihood(dict(zip(names, params)), *data, gradient=True)
        # Per customer, so that the first step's length does not grow with the number of
        # customers (at 1,000,000 it overflowed); d/d log(param) = param * d/d param.
        return -float(np.sum(value)) / customers, -by_param * params / customers

    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        found = minimize(negative, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 2000})
    if not np.isfinite(found.fun):
        raise ValueError(f"customer value fit: no finite likelihood ({found.message})")
    return {name: float(value) for name, value in zip(names, np.exp(found.x))}


def not_fitted(summary: pd.DataFrame) -> FittedValueModels:
    """No models: too few customers to fit them; every prediction stays empty."""
    return FittedValueModels({}, {}, len(summary), int((summary["frequency"] > 0).sum()))


def repeat_buyers(summary: pd.DataFrame) -> pd.DataFrame:
    """The customers the spend model is fitted on: repeat purchases with a positive mean."""
    return summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]


def fit_value_models(summary: pd.DataFrame) -> FittedValueModels:
    """summary: customer_id, frequency, recency, T, monetary_value (summary.py)."""
    x, t_x, T = (summary[column].to_numpy(dtype=float) for column in ("frequency", "recency", "T"))
    bgnbd = _maximum_likelihood(_bgnbd, BGNBD_PARAMETERS, x, t_x, T)
    repeat = repeat_buyers(summary)
    gamma_gamma: dict[str, float] = {}
    if len(repeat) >= 2:
        gamma_gamma = _maximum_likelihood(
            _gamma_gamma, GAMMA_GAMMA_PARAMETERS,
            repeat["frequency"].to_numpy(dtype=float), repeat["monetary_value"].to_numpy(dtype=float))
    return FittedValueModels(bgnbd, gamma_gamma, len(summary), len(repeat))


def kept_value_models(summary: pd.DataFrame, bgnbd: dict[str, float], gamma_gamma: dict[str, float]) -> FittedValueModels:
    """The models at parameters fitted earlier (fit_value_models' bgnbd and gamma_gamma,
    kept between builds), without fitting: predict_customer_value reads only the
    parameters. An empty bgnbd is no model (not_fitted); an empty gamma_gamma no spend
    model (too few repeat buyers)."""
    if not bgnbd:
        return not_fitted(summary)
    return FittedValueModels(dict(bgnbd), dict(gamma_gamma), len(summary), len(repeat_buyers(summary)))


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
