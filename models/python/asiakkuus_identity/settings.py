"""A matching model described by a plain dict (from YAML or dbt vars) turned into what
score_pairs takes: a Splink settings dict and a training plan.

The model description has these keys (default_customer_config.yml is a full example)::

    link_type: dedupe_only          # or link_only / link_and_dedupe
    unique_id_column: record_key
    comparisons: [...]              # see comparisons.py
    blocking_rules: [[col, ...], "l.x = r.x and ...", {columns: [col, ...], max_records: 25}, ...]
    training:
      seed: 42                      # fixes the u sample, so scores repeat (on large data up to the last bits)
      u_max_pairs: 2000000          # random pairs sampled for the u probabilities
      prior:                        # probability that two random records match:
        deterministic_rules: [[email_std]]   # estimated from near-certain rules ...
        recall: 0.8                 # ... and the share of true matches they find
        # value: 0.0001             # ... or given outright
      em_blocking_rules: [[...]]    # one EM session (m probabilities) per rule
      em_max_pairs: null            # optional cap on pairs per EM session
      em_without_term_frequencies: false  # EM iterates on agreement-pattern counts, not on every pair
      m_probability_floor: 0.001    # optional: no level's m below this (see scoring.py)
    thresholds:
      min_match_probability: 0.5    # pairs below are not returned

A blocking rule is a list of columns or SQL expressions that must all be equal
(Splink's block_on), or a string of SQL over l. and r. A prediction blocking rule may
also be a capped block, {columns: [...], max_records: N}: the columns must all be equal
and at most N records hold that combination of values. A block's pairs grow with the
square of its size, so a block on a value whose number of holders grows with the data
(a full name: "Johannes Virtanen" is held by hundreds of records at a million
customers) is capped, and the pairs of a crowded value come only through the other
rules (scoring.add_capped_block_columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence, Union

from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from .comparisons import comparison_from_config

# Columns (or SQL expressions) that must all be equal, or a SQL condition over l. and r.
BlockingRuleSpec = Union[Sequence[str], str]

SQL_DIALECT = "duckdb"
_SETTINGS_KEYS = {"link_type", "unique_id_column", "comparisons", "blocking_rules", "training", "thresholds",
                  "em_convergence", "max_iterations", "additional_columns_to_retain",
                  "description", "rules", "guard_rails"}


@dataclass(frozen=True)
class CappedBlock:
    """A prediction blocking rule on `columns` for values at most `max_records` records
    hold: Splink blocks on `column`, which scoring.add_capped_block_columns fills with the
    columns' values where so few records hold them, and null elsewhere."""

    column: str
    columns: tuple[str, ...]
    max_records: int


@dataclass(frozen=True)
class EngineSettings:
    """Everything score_pairs needs, derived from one model description."""

    splink_settings: dict[str, Any]
    training: dict[str, Any]
    thresholds: dict[str, float]
    # Customer resolution only (resolution.py): deterministic rules and guard rails.
    rules: dict[str, Any] = field(default_factory=dict)
    guard_rails: dict[str, Any] = field(default_factory=dict)
    # The capped prediction blocks (blocking rules given as {columns, max_records}).
    capped_blocks: tuple[CappedBlock, ...] = ()


def blocking_rule(spec: BlockingRuleSpec) -> BlockingRuleCreator:
    """Splink's form of one blocking rule spec (columns that must agree, or raw SQL)."""
    if isinstance(spec, str):
        return CustomRule(spec)
    columns = list(spec)
    if not columns:
        raise ValueError("a blocking rule needs at least one column")
    return block_on(*columns)


def capped_block(spec: Mapping[str, Any]) -> CappedBlock:
    """The capped block a {columns: [...], max_records: N} blocking rule describes."""
    unknown = set(spec) - {"columns", "max_records"}
    if unknown:
        raise ValueError(f"unknown capped blocking rule keys: {', '.join(sorted(unknown))}")
    columns = tuple(str(c) for c in spec.get("columns") or [])
    if not columns or not all(c.isidentifier() for c in columns):
        raise ValueError(f"a capped blocking rule needs plain column names, got {spec.get('columns')!r}")
    max_records = int(spec["max_records"])
    if max_records < 2:
        raise ValueError("a capped blocking rule's max_records must be at least 2 (a block of one has no pairs)")
    return CappedBlock("asiakkuus_capped_block_" + "__".join(columns), columns, max_records)


def build_engine_settings(model: Mapping[str, Any]) -> EngineSettings:
    """Splink settings, training plan and thresholds from a model description."""
    unknown = set(model) - _SETTINGS_KEYS
    if unknown:
        # A misspelt key would otherwise silently fall back to a default.
        raise ValueError(f"unknown matching settings: {', '.join(sorted(unknown))}")
    if not model.get("comparisons"):
        raise ValueError("matching settings need at least one comparison")
    if not model.get("blocking_rules"):
        raise ValueError("matching settings need at least one blocking rule")
    training = dict(model.get("training") or {})
    _check_training(training)
    capped_by_rule = {i: capped_block(spec) for i, spec in enumerate(model["blocking_rules"]) if isinstance(spec, Mapping)}
    capped = tuple(capped_by_rule.values())
    prior = training.get("prior") or {}
    creator = SettingsCreator(
        link_type=model.get("link_type", "dedupe_only"),
        unique_id_column_name=model.get("unique_id_column", "record_key"),
        comparisons=[comparison_from_config(entry) for entry in model["comparisons"]],
        blocking_rules_to_generate_predictions=[block_on(capped_by_rule[i].column) if i in capped_by_rule else blocking_rule(spec)
                                                for i, spec in enumerate(model["blocking_rules"])],
        # The evidence a reviewer sees: comparison levels, Bayes factors and the values compared.
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=list(model.get("additional_columns_to_retain", [])),
        em_convergence=float(model.get("em_convergence", 0.0001)),
        max_iterations=int(model.get("max_iterations", 25)),
        # Replaced by the estimate from deterministic rules unless given outright.
        probability_two_random_records_match=float(prior.get("value", 0.0001)),
    )
    thresholds = {key: float(value) for key, value in (model.get("thresholds") or {}).items()}
    return EngineSettings(creator.create_settings_dict(SQL_DIALECT), training, thresholds,
                          dict(model.get("rules") or {}), dict(model.get("guard_rails") or {}), capped)


def _check_training(training: Mapping[str, Any]) -> None:
    known = {"seed", "u_max_pairs", "prior", "em_blocking_rules", "em_max_pairs", "em_without_term_frequencies", "m_probability_floor"}
    unknown = set(training) - known
    if unknown:
        raise ValueError(f"unknown training settings: {', '.join(sorted(unknown))}")
    if not training.get("em_blocking_rules"):
        raise ValueError("training needs at least one EM blocking rule (em_blocking_rules)")
    prior = training.get("prior") or {}
    if "value" not in prior and not prior.get("deterministic_rules"):
        raise ValueError("training.prior needs deterministic_rules (with recall) or a value")
