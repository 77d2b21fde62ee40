"""Customer value: the purchase-history summary (frequency, recency, age) and the
probabilistic models on it (BG/NBD for purchases and being alive, Gamma-Gamma for
spend), fitted by maximum likelihood (checked against PyMC-Marketing). Used by the dbt model
int_customer_value_predictions and validated on the CDNOW sample (cdnow.py)."""

from .fitting import FittedValueModels, fit_value_models, kept_value_models, not_fitted, predict_customer_value
from .summary import purchase_summary

__version__ = "0.1.0"

__all__ = ["FittedValueModels", "fit_value_models", "kept_value_models", "not_fitted", "predict_customer_value", "purchase_summary", "__version__"]
