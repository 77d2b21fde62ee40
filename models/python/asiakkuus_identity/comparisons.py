"""Splink comparisons from plain configuration entries, so that which attributes are
compared and how finely lives in YAML or dbt vars, not in code.

Two shapes of entry are accepted:

Single column, graded by one similarity measure at descending thresholds (Splink's
comparison library; with term_frequency_adjustments the exact level weighs a rare value
more than a common one)::

    {column: last_name_folded, method: jaro_winkler, thresholds: [0.92, 0.8],
     term_frequency_adjustments: true}

Several levels over one or more columns, strongest first; a pair takes the first level
it meets. This keeps correlated columns (e-mail and its local part, postcode and city)
in ONE comparison: as separate comparisons they would each add their weight for what is
really one piece of evidence, which Fellegi-Sunter's independence assumption forbids::

    {name: email, levels: [
        {column: email_std, method: exact, term_frequency_adjustments: true},
        {column: email_local, method: levenshtein, threshold: 1}]}

A level may also be raw SQL over l. and r. (method: sql, condition, label); such a
comparison lists the columns it reads in `columns` (its null level: all of them null).

Methods: exact, jaro_winkler and jaro (similarity, at least the threshold), levenshtein
and damerau_levenshtein (edit distance, at most the threshold). And forename_surname,
both names in one comparison that also knows them swapped (Splink's
ForenameSurnameComparison)::

    {name: full_name, method: forename_surname, forename: first_name_folded,
     surname: last_name_folded, thresholds: [0.92, 0.88]}
 A pair where either side
lacks every column of the comparison is the null level (no evidence either way).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

# Typed as factories: mypy would otherwise infer the abstract base classes.
_AT_THRESHOLDS: dict[str, Callable[..., ComparisonCreator]] = {
    "jaro_winkler": cl.JaroWinklerAtThresholds,
    "jaro": cl.JaroAtThresholds,
    "levenshtein": cl.LevenshteinAtThresholds,
    "damerau_levenshtein": cl.DamerauLevenshteinAtThresholds,
}
_LEVEL: dict[str, Callable[..., ComparisonLevelCreator]] = {
    "jaro_winkler": cll.JaroWinklerLevel,
    "jaro": cll.JaroLevel,
    "levenshtein": cll.LevenshteinLevel,
    "damerau_levenshtein": cll.DamerauLevenshteinLevel,
}
METHODS = ("exact", *_AT_THRESHOLDS)


def comparison_from_config(entry: Mapping[str, Any]) -> ComparisonCreator:
    """One Splink comparison from one configuration entry (see the module docstring)."""
    if "levels" in entry:
        return _levels_comparison(entry)
    if entry.get("method") == "forename_surname":
        return _forename_surname(entry)
    column = _required(entry, "column")
    method = entry.get("method", "exact")
    tf = bool(entry.get("term_frequency_adjustments", False))
    if method == "exact":
        return cl.ExactMatch(column).configure(term_frequency_adjustments=tf)
    if method not in _AT_THRESHOLDS:
        raise ValueError(f"comparison on {column}: unknown method {method!r}; use one of {', '.join(METHODS)}")
    thresholds = list(_required(entry, "thresholds"))
    return _AT_THRESHOLDS[method](column, thresholds).configure(term_frequency_adjustments=tf)


def comparison_columns(entry: Mapping[str, Any]) -> list[str]:
    """The input columns a comparison entry reads (so callers can select only those)."""
    if "levels" in entry:
        declared = entry.get("columns") or [level["column"] for level in entry["levels"] if "column" in level]
        return list(dict.fromkeys(declared))
    if entry.get("method") == "forename_surname":
        return [_required(entry, "forename"), _required(entry, "surname")]
    return [_required(entry, "column")]


def _forename_surname(entry: Mapping[str, Any]) -> ComparisonCreator:
    """Both names in one comparison, with a level for the two written the wrong way round
    ("Virtanen Matti" for "Matti Virtanen"), common where a form has one name field."""
    comparison = cl.ForenameSurnameComparison(
        _required(entry, "forename"), _required(entry, "surname"),
        jaro_winkler_thresholds=list(entry.get("thresholds", [0.92, 0.88])),
    )
    return comparison.configure(term_frequency_adjustments=bool(entry.get("term_frequency_adjustments", False)))


def _levels_comparison(entry: Mapping[str, Any]) -> ComparisonCreator:
    name = _required(entry, "name")
    columns = comparison_columns(entry)
    null_level = cll.And(*[cll.NullLevel(c) for c in columns]) if len(columns) > 1 else cll.NullLevel(columns[0])
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [null_level]
    levels += [_level(name, level) for level in entry["levels"]]
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(comparison_levels=levels, output_column_name=name, comparison_description=entry.get("description"))


def _level(comparison: str, level: Mapping[str, Any]) -> ComparisonLevelCreator | dict[str, Any]:
    if level.get("method") == "sql":
        # A condition over l. and r. columns that no library level expresses (e.g. the
        # same set of name parts in any order); its label names it in the evidence.
        # Written over l. and r. like blocking rules; Splink's levels name the two sides
        # <column>_l and <column>_r.
        condition = re.sub(r"\b([lr])\.([A-Za-z_][A-Za-z0-9_]*)", r'"\2_\1"', _required(level, "condition"))
        return {"sql_condition": condition, "label_for_charts": _required(level, "label")}
    column = _required(level, "column")
    method = level.get("method", "exact")
    if method == "exact":
        exact: ComparisonLevelCreator = cll.ExactMatchLevel(column)
        if level.get("term_frequency_adjustments", False):
            exact = exact.configure(tf_adjustment_column=column)
        return exact
    if method not in _LEVEL:
        raise ValueError(f"comparison {comparison}, level on {column}: unknown method {method!r}; use one of {', '.join(METHODS)}")
    return _LEVEL[method](column, _required(level, "threshold"))


def _required(entry: Mapping[str, Any], key: str) -> Any:
    if key not in entry or entry[key] is None:
        raise ValueError(f"comparison entry {dict(entry)!r} needs {key!r}")
    return entry[key]
