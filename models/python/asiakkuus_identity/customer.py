"""The matching model for the warehouse's customer records (int_customer_records).

The record table has record_key, source, entity, customer_type, first/last names
(standardised and with ä/ö/å folded), company_name_std, email_std / email_local /
email_domain, phone_e164, postal_code_std, city_std and street_std; any may be null
(a newsletter subscriber may have only an e-mail address). The default comparisons,
blocking rules, training plan and thresholds are in default_customer_config.yml.
"""

from __future__ import annotations

from typing import Any, Mapping

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
