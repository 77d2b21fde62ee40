"""The matching model for the warehouse's customer records (int_customer_records).

The record table has record_key, source, entity, customer_type, first/last names
(standardised and with ä/ö/å folded), company_name_std, email_std / email_local /
email_domain, phone_e164, postal_code_std, city_std and street_std; any may be null
(a newsletter subscriber may have only an e-mail address). The default comparisons,
blocking rules, training plan and thresholds are in default_customer_config.yml.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping

from .config import PACKAGE_DIR, load_yaml, overlay
from .settings import EngineSettings, build_engine_settings

DEFAULT_CUSTOMER_CONFIG = PACKAGE_DIR / "default_customer_config.yml"

CUSTOMER_RECORD_COLUMNS = (
    "record_key", "source", "entity", "customer_type",
    "first_name_std", "last_name_std", "first_name_folded", "last_name_folded",
    "company_name_std", "email_std", "email_local", "email_domain",
    "phone_e164", "postal_code_std", "city_std", "street_std",
)


def default_customer_config() -> dict[str, Any]:
    """The default customer matching model description (a fresh copy to modify)."""
    return load_yaml(DEFAULT_CUSTOMER_CONFIG)


def customer_settings(config: Mapping[str, Any] | None = None, *, overrides: Mapping[str, Any] | None = None) -> EngineSettings:
    """Splink settings, training plan and thresholds for customer records.

    Args:
        config: a whole model description (e.g. from a dbt var); the default file when None.
        overrides: laid over it key by key (e.g. {"thresholds": {"min_match_probability": 0.9}}).
    """
    base = dict(config) if config is not None else default_customer_config()
    return build_engine_settings(overlay(base, overrides))


def warehouse_customer_settings(review_from: float, auto_accept: float, max_records_per_value: int,
                                never_match_rows: Iterable[tuple[str, str]]) -> EngineSettings:
    """The customer settings as the warehouse build sets them: the default model with the
    thresholds and value cap from dbt vars and the never-match values of the seed
    identity_never_match ((kind, value) rows) added to the engine's own list."""
    never_match: dict[str, list[str]] = {"email_local": [], "email": [], "phone": []}
    for kind, value in never_match_rows:
        never_match[kind].append(value.strip().lower() if kind != "phone" else value.strip())
    defaults = default_customer_config()["guard_rails"]["never_match"]
    return customer_settings(overrides={
        "thresholds": {"min_match_probability": float(review_from), "auto_accept": float(auto_accept)},
        "guard_rails": {"max_records_per_value": int(max_records_per_value),
                        "never_match": {kind: defaults.get(kind, []) + values for kind, values in never_match.items()}},
    })


def settings_fingerprint(settings: EngineSettings, *, training_only: bool = False) -> str:
    """A digest of everything that shapes the match keys and the model (and, unless
    training_only, the decisions): a build whose settings differ from those the kept
    model or scores were made with must not reuse them."""
    parts: dict[str, Any] = {"splink": settings.splink_settings, "training": settings.training,
                             "guard_rails": settings.guard_rails, "rules": settings.rules}
    if not training_only:
        parts["thresholds"] = settings.thresholds
    else:
        # The value cap and the first-name veto act after scoring; the model does not see them.
        parts["guard_rails"] = {k: v for k, v in settings.guard_rails.items() if k in ("never_match", "legal_forms")}
        parts["splink"] = {k: v for k, v in settings.splink_settings.items() if k != "linker_uid"}
        parts.pop("rules")
    parts["splink"] = {k: v for k, v in parts["splink"].items() if k != "linker_uid"}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def settings_fingerprint_of_model(model: Mapping[str, Any]) -> str:
    """A digest of a trained model (train_customer_model): scores made with another model
    are not comparable."""
    return hashlib.sha256(json.dumps(model, sort_keys=True, default=str).encode()).hexdigest()[:16]
