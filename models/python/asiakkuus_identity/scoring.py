"""Fellegi-Sunter scores for candidate record pairs, with Splink on the caller's own
DuckDB connection.

Training needs no labels: the prior (how likely two random records match) comes from
near-certain deterministic rules and their assumed recall, or is given; u probabilities
(how often non-matches agree by chance) from a seeded random sample of pairs; m
probabilities (how often matches agree) from expectation maximisation, one session per
training blocking rule. Prediction scores every pair that one of the prediction blocking
rules brings together. Splink's sampling is a hash of the record ids and the seed, so the
same input and settings give the same scores on every run.
"""

from __future__ import annotations

import copy
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

import duckdb
from splink import DuckDBAPI, Linker
from splink.internals.exceptions import EMTrainingException
from splink.internals.splink_dataframe import SplinkDataFrame

from .connection import duckdb_connection
from .settings import CappedBlock, blocking_rule
from .tables import TableInput, as_temp_table, drop_temp_tables, fetch_one, quote_identifier, unique_suffix

# Splink logs progress at INFO and, while training, warns about every level not estimated
# yet; each EM session trains only some comparisons and fill_untrained_levels settles
# the rest (logged at INFO here), so inside dbt either would only flood the build log.
SPLINK_LOG_LEVEL = logging.ERROR
logger = logging.getLogger("asiakkuus_identity")


def score_pairs(
    con: Any,
    records: TableInput | Sequence[TableInput],
    settings: Mapping[str, Any],
    *,
    training: Mapping[str, Any],
    min_match_probability: float | None = None,
    model: Mapping[str, Any] | None = None,
    only_pairs_touching: str | None = None,
    capped_blocks: Sequence[CappedBlock] = (),
    capped_blocks_added: bool = False,
) -> duckdb.DuckDBPyRelation:
    """Train a Splink model on `records` (or take a trained one) and score the candidate pairs.

    Args:
        con: the DuckDB connection, or the session a dbt-duckdb Python model receives.
        records: a table name or relation on `con` (dedupe), or a list of them
            (link_only / link_and_dedupe). Must hold the settings' unique id column.
        settings: a Splink settings dict, as build_engine_settings() makes it.
        training: the training plan (seed, u_max_pairs, prior, em_blocking_rules,
            em_max_pairs), see settings.py.
        min_match_probability: pairs scoring below are left out; None returns all
            candidate pairs.
        model: a model train_model() returned earlier; scoring with it skips training,
            so a pair gets the same m and u whichever build scores it.
        only_pairs_touching: a boolean column of `records`; when given, only the pairs
            in which at least one record has it true are scored (new and changed
            records blocked against every record: an incremental build).
        capped_blocks: the capped prediction blocks, whose columns are added to a copy
            of the records (add_capped_block_columns).
        capped_blocks_added: the records hold the capped blocks' columns already,
            computed over these same records (the caller needed them too): they are
            used as they are instead of being counted again.

    Returns:
        A relation on the same connection (over a temporary table, so it lives as long
        as the connection) with record_key_l, record_key_r, match_probability,
        match_weight, then per comparison gamma_<name> (the level the pair reached:
        -1 null, 0 else, higher is closer), bf_<name> (its Bayes factor),
        bf_tf_adj_<name> where term frequencies adjust it, the compared values
        (<column>_l, <column>_r) and match_key (which prediction blocking rule brought
        the pair). For dedupe, record_key_l sorts
        before record_key_r. Splink's own mw_<name> (log2 of bf_<name>) and tf_<column>
        (term frequencies) columns follow.
    """
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    inputs: list[TableInput] = [records] if isinstance(records, (str, duckdb.DuckDBPyRelation)) else list(records)
    input_tables = [as_temp_table(connection, item, f"asiakkuus_identity_input_{suffix}_{i}") for i, item in enumerate(inputs)]
    if not capped_blocks_added:
        add_capped_block_columns(connection, input_tables, capped_blocks)
    splink_settings = _with_evidence_columns(settings)
    # An incremental build blocks the changed records against all (see
    # _blocking_only_pairs_touching); the kept model's rules say which columns that needs.
    narrowed = None
    if only_pairs_touching is not None and model is not None:
        narrowed = _blocking_only_pairs_touching(model, only_pairs_touching, [block.column for block in capped_blocks])
        add_changed_only_columns(connection, input_tables, only_pairs_touching, narrowed.changed_only_columns)
    db_api = DuckDBAPI(connection=connection)
    frames = [db_api.register(table) for table in input_tables]
    output = f"asiakkuus_identity_scored_pairs_{suffix}"
    try:
        trained = dict(model) if model is not None else _trained_model(connection, frames, splink_settings, training)
        if only_pairs_touching is not None and narrowed is None:
            narrowed = _blocking_only_pairs_touching(trained, only_pairs_touching, [block.column for block in capped_blocks],
                                                     split_on_changed=False)
        linker = _linker(frames, narrowed.model if narrowed is not None else trained)
        predictions = linker.inference.predict(threshold_match_probability=min_match_probability)
        columns = connection.table(predictions.physical_name).columns
        excluded = [only_pairs_touching, *(block.column for block in capped_blocks),
                    *(narrowed.changed_only_columns.values() if narrowed is not None else ())]
        connection.execute(
            f"create or replace temp table {output} as select "
            f"{_output_columns(splink_settings, columns, exclude=excluded)} "
            f"from {predictions.physical_name}"
        )
        if narrowed is not None and "match_key" in columns:
            # match_key names the rule that brought the pair: the kept model's rule, as a
            # full build gives it, not the narrowed rule's position.
            cases = " ".join(f"when '{position}' then '{rule}'" for position, rule in enumerate(narrowed.original_rule))
            connection.execute(f"update {output} set match_key = case match_key {cases} end")
    finally:
        # Splink's working tables would otherwise stay in the caller's database.
        db_api.delete_tables_created_by_splink_from_db()
        drop_temp_tables(connection, input_tables)
    return connection.table(output)


def train_model(con: Any, records: TableInput, settings: Mapping[str, Any], *, training: Mapping[str, Any],
                capped_blocks: Sequence[CappedBlock] = ()) -> dict[str, Any]:
    """The trained Splink model (prior, m and u of every level) for `records`, as JSON-ready
    dict: what score_pairs(model=...) scores with. It holds parameters only, no record's
    values (term frequencies are computed from the records at scoring time)."""
    connection = duckdb_connection(con)
    suffix = unique_suffix()
    table = as_temp_table(connection, records, f"asiakkuus_identity_training_{suffix}")
    # Training samples its own pairs, but Splink checks that the prediction rules' columns exist.
    add_capped_block_columns(connection, [table], capped_blocks)
    db_api = DuckDBAPI(connection=connection)
    try:
        return _trained_model(connection, [db_api.register(table)], _with_evidence_columns(settings), training)
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        drop_temp_tables(connection, [table])


def _with_evidence_columns(settings: Mapping[str, Any]) -> dict[str, Any]:
    # Always keep the evidence columns: the API promises them whatever the settings say
    # (Splink 5 outputs the gamma columns only together with the compared values).
    return {**settings, "retain_intermediate_calculation_columns": True, "retain_matching_columns": True}


def _trained_model(connection: duckdb.DuckDBPyConnection, frames: Sequence[SplinkDataFrame], splink_settings: Mapping[str, Any],
                   training: Mapping[str, Any]) -> dict[str, Any]:
    linker = _linker(frames, splink_settings)
    with _single_threaded(connection), _quiet_splink(), _m_underflow_kept_at_the_smallest_float():
        linker = train(linker, training, frames)
    model = linker.misc.save_model_to_json()
    model = fill_untrained_levels(model, float(training.get("m_probability_floor") or 0.001), 1.0 / float(training.get("u_max_pairs", 1e6)))
    if training.get("m_probability_floor"):
        model = floor_m_probabilities(model, float(training["m_probability_floor"]))
    return model


def add_capped_block_columns(connection: duckdb.DuckDBPyConnection, tables: Sequence[str], capped_blocks: Sequence[CappedBlock]) -> None:
    """Adds each capped block's column to the temp tables `tables` (in place): the
    columns' values joined where no column is null and at most max_records records of all
    the tables together hold them, null elsewhere (a null joins no pair). Each table is
    rewritten once with every block's column (the records' table is wide: one rewrite per
    block was a second copy of it), computed afresh where the table has it already."""
    if not capped_blocks:
        return
    counts: list[str] = []
    try:
        for block in capped_blocks:
            name = f"asiakkuus_identity_block_counts_{unique_suffix()}"
            union = " union all ".join(f"select {_block_key(block)} as block_key from {table} where {_block_present(block)}" for table in tables)
            connection.execute(f"create or replace temp table {name} as select block_key from ({union}) "
                               f"group by block_key having count(*) <= {int(block.max_records)}")
            counts.append(name)
        for table in tables:
            existing = [quote_identifier(b.column) for b in capped_blocks if b.column in connection.table(table).columns]
            own = f"select * exclude ({', '.join(existing)}) from {table}" if existing else f"select * from {table}"
            columns = ", ".join(f"c{i}.block_key as {quote_identifier(block.column)}" for i, block in enumerate(capped_blocks))
            joins = " ".join(f"left join {name} c{i} on c{i}.block_key = (case when {_block_present(block)} then {_block_key(block)} end)"
                             for i, (block, name) in enumerate(zip(capped_blocks, counts)))
            connection.execute(f"create or replace temp table {table} as select t.*, {columns} from ({own}) t {joins}")
    finally:
        drop_temp_tables(connection, counts)


def _block_key(block: CappedBlock) -> str:
    return "concat_ws(chr(31), " + ", ".join(f"{quote_identifier(c)}::varchar" for c in block.columns) + ")"


def _block_present(block: CappedBlock) -> str:
    return " and ".join(f"{quote_identifier(c)} is not null" for c in block.columns)


@dataclass(frozen=True)
class NarrowedBlocking:
    """The kept model with its prediction blocking rules narrowed to the pairs that touch a
    changed record (_blocking_only_pairs_touching)."""

    model: dict[str, Any]
    # Per narrowed rule, the position of the kept model's rule it comes from.
    original_rule: tuple[int, ...]
    # Column -> its changed-only copy (add_changed_only_columns) the narrowed rules join on.
    changed_only_columns: dict[str, str]


# The first equality of a rule Splink wrote with block_on: l."column" = r."column".
_FIRST_EQUALITY = re.compile(r'l\."((?:[^"]|"")+)" = r\."\1"')


def _blocking_only_pairs_touching(model: Mapping[str, Any], column: str, capped_columns: Sequence[str] = (),
                                  split_on_changed: bool = True) -> NarrowedBlocking:
    """The model with each prediction blocking rule narrowed to pairs in which at least one
    record has `column` true, each such pair still scored once (Splink excludes a rule's
    pairs from the later rules).

    A rule with an equality l."c" = r."c" is split in two, l."c<changed>" = r."c" and
    l."c" = r."c<changed>", where c<changed> is c on a changed record and null on the
    others (add_changed_only_columns): the join then pairs only the changed records with
    every record, instead of producing every pair of the rule and dropping those of two
    unchanged records after (at 1,000,000 customers and ~1,300 changed records, 10.3 s
    against 1.1 s for one rule's pairs; docs/performance.md). Any other rule (or with
    split_on_changed false) gets "and (l.column or r.column)".

    Rules on a capped block (`capped_columns`) are not narrowed: whether a block is
    under its cap depends on every record, so a new record can make a block crowded
    (its earlier pairs gone) or an erased one make it small again (pairs no earlier build
    scored). Their pairs are all scored again; a block holds at most max_records records,
    so that stays cheap, and the caller keeps no earlier pair a capped block brings."""
    narrowed = copy.deepcopy(dict(model))
    quoted = quote_identifier(column)
    rules: list[dict[str, Any]] = []
    original: list[int] = []
    changed_only: dict[str, str] = {}
    for position, rule in enumerate(narrowed["blocking_rules_to_generate_predictions"]):
        sql = rule["blocking_rule"]
        equality = _FIRST_EQUALITY.search(sql) if split_on_changed else None
        if any(quote_identifier(capped) in sql for capped in capped_columns):
            rules.append(rule)
            original.append(position)
        elif equality is None:
            rules.append({**rule, "blocking_rule": f"({sql}) and (l.{quoted} or r.{quoted})"})
            original.append(position)
        else:
            name = equality.group(1).replace('""', '"')
            copy_name = changed_only.setdefault(name, f"{name}__asiakkuus_changed_only")
            before, after = sql[: equality.start()], sql[equality.end():]
            for side in (f"l.{quote_identifier(copy_name)} = r.{quote_identifier(name)}",
                         f"l.{quote_identifier(name)} = r.{quote_identifier(copy_name)}"):
                rules.append({**rule, "blocking_rule": before + side + after})
                original.append(position)
    narrowed["blocking_rules_to_generate_predictions"] = rules
    return NarrowedBlocking(narrowed, tuple(original), changed_only)


def add_changed_only_columns(connection: duckdb.DuckDBPyConnection, tables: Sequence[str], changed: str,
                             columns: Mapping[str, str]) -> None:
    """Adds to the temp tables `tables` (in place), per column -> copy in `columns`, the
    copy: the column's value where the boolean column `changed` is true, null elsewhere
    (a null joins no pair)."""
    if not columns:
        return
    copies = ", ".join(f"case when {quote_identifier(changed)} then {quote_identifier(name)} end as {quote_identifier(copy_name)}"
                       for name, copy_name in columns.items())
    for table in tables:
        connection.execute(f"create or replace temp table {table} as select *, {copies} from {table}")


def train(linker: Linker, training: Mapping[str, Any], frames: Sequence[SplinkDataFrame]) -> Linker:
    """Estimate the prior, u and m probabilities as the training plan says; returns the
    trained linker (a new one if an EM block had to be skipped)."""
    prior = training.get("prior") or {}
    # A prior given as a value is already in the settings (build_engine_settings).
    if "value" not in prior:
        linker.training.estimate_probability_two_random_records_match(
            [blocking_rule(spec) for spec in prior["deterministic_rules"]], recall=float(prior["recall"])
        )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=float(training.get("u_max_pairs", 1e6)), seed=int(training.get("seed", 0))
    )
    em_max_pairs = training.get("em_max_pairs")
    trained = 0
    for spec in training["em_blocking_rules"]:
        # A block can fail to train (no pairs at all on a small data set); it leaves its
        # parameters to the other blocks instead of failing the build. An m that
        # underflows on large data no longer fails it (_m_underflow_kept_at_the_smallest_float).
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                blocking_rule(spec), max_pairs=float(em_max_pairs) if em_max_pairs else None,
                # Each iteration then runs over the distinct agreement patterns instead of
                # every pair of the block (40 M pairs at 1,000,000 customers, on one thread).
                estimate_without_term_frequencies=bool(training.get("em_without_term_frequencies", False)),
            )
            trained += 1
        except (ValueError, EMTrainingException) as error:
            logger.warning("EM training on %s skipped: %s", spec, error)
            # A failed session can leave the linker's settings half changed (Splink
            # drops the block's own comparisons while training); start again from the
            # model as it was before it.
            linker = _linker(frames, before)
    if trained == 0:
        raise RuntimeError("no EM blocking rule could estimate the m probabilities; see the warnings above")
    return linker


def _linker(frames: Sequence[SplinkDataFrame], settings: Mapping[str, Any]) -> Linker:
    return Linker(list(frames) if len(frames) > 1 else frames[0], dict(settings), log_level=SPLINK_LOG_LEVEL)


def floor_m_probabilities(model: Mapping[str, Any], floor: float) -> dict[str, Any]:
    """A trained Splink model whose m probabilities are at least `floor` (renormalised to
    sum to 1 per comparison).

    EM sets m to ~0 for a level it never sees among the matches of its training blocks
    (no surname change, no company-name typo in a small sample); that level's weight
    then falls to -100 or less and vetoes a pair whatever else agrees, e.g. a woman who
    took her spouse's name but kept her e-mail, phone and address. The floor caps such
    a penalty at log2(floor / u)."""
    floored = copy.deepcopy(dict(model))
    for comparison in floored["comparisons"]:
        # Levels EM could not train at all keep Splink's defaults (m_probability absent).
        levels = [level for level in comparison["comparison_levels"]
                  if not level.get("is_null_level") and level.get("m_probability") is not None]
        trained_mass = sum(float(level["m_probability"]) for level in levels)
        raised = [max(float(level["m_probability"]), floor) for level in levels]
        for level, m in zip(levels, raised):
            level["m_probability"] = m * trained_mass / sum(raised)
    return floored


def fill_untrained_levels(model: Mapping[str, Any], m_floor: float, u_resolution: float) -> dict[str, Any]:
    """A trained model in which no level keeps Splink's default m or u.

    A level no random pair reached (a domain typo among two million random pairs) has no
    u estimate; the honest bound is the sample's resolution, 1 / u_max_pairs. A level
    that no EM session saw among matches has no m estimate; it gets the m floor. Both
    are logged at INFO (not as Splink's per-build warnings), and the training report
    lists them (training_report)."""
    filled = copy.deepcopy(dict(model))
    for comparison in filled["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("m_probability") is None:
                level["m_probability"] = m_floor
                logger.info("m of %s / %s set to the floor %s", comparison["output_column_name"], level.get("label_for_charts"), m_floor)
            if level.get("u_probability") is None:
                level["u_probability"] = u_resolution
                logger.info("u of %s / %s set to the sample resolution %s", comparison["output_column_name"], level.get("label_for_charts"), u_resolution)
    return filled


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink warns during training about levels it has not estimated yet; each EM session
    estimates only some comparisons and fill_untrained_levels settles the rest, so the
    warnings only flood the build log."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_logger.setLevel(level)


@contextmanager
def _m_underflow_kept_at_the_smallest_float() -> Iterator[None]:
    """While training, an m probability that underflows to 0.0 is kept at Splink's
    smallest allowed value (1e-300) instead of failing the EM session.

    EM drives the m of a level seen in its block only among non-matches towards 0; at
    1,000,000 customers (rarer values, larger Bayes factors) the match probabilities of
    those pairs underflow to exactly 0.0, so the m does too, and Splink refuses it: the
    whole session was skipped, and with it the only estimates of the comparisons on the
    other block's columns (name and postcode_city kept the floor at every level and no
    pair reached the review threshold on its score). A value of ~0 is what EM means
    there, and floor_m_probabilities raises it to the floor afterwards as it does every
    other ~0. Splink (pinned in models/requirements.txt) has no setting for this, so its
    setter is wrapped for the duration of training only."""
    from splink.internals.comparison_level import M_U_CLAMP_MIN, ComparisonLevel

    original = ComparisonLevel.m_probability

    def clamped(level: ComparisonLevel, value: Any) -> None:
        if isinstance(value, float) and value < M_U_CLAMP_MIN:
            logger.info("m of %s underflowed to %s in EM; kept at %s", level.label_for_charts, value, M_U_CLAMP_MIN)
            value = M_U_CLAMP_MIN
        assert original.fset is not None
        original.fset(level, value)

    ComparisonLevel.m_probability = property(original.fget, clamped)  # type: ignore[method-assign]
    try:
        yield
    finally:
        ComparisonLevel.m_probability = original  # type: ignore[method-assign]


@contextmanager
def _single_threaded(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block on one DuckDB thread, then restore the setting.

    EM sums floating-point numbers, and DuckDB's parallel aggregation adds them in a
    varying order, so m probabilities (and every score) would differ in the last bits
    between runs. Training is cheap next to prediction, which stays parallel."""
    (threads,) = fetch_one(connection, "select current_setting('threads')")
    connection.execute("set threads = 1")
    try:
        yield
    finally:
        connection.execute(f"set threads = {int(threads)}")


def _output_columns(settings: Mapping[str, Any], available: list[str], exclude: Sequence[str | None] = ()) -> str:
    """The select list of score_pairs' result: keys and scores first, then per comparison
    its level and Bayes factors (2 to the power of Splink's match weight parts), then the
    remaining Splink columns."""
    uid = settings.get("unique_id_column_name", "unique_id")
    gamma_prefix = settings.get("comparison_vector_value_column_prefix", "gamma_")
    mw_prefix = settings.get("match_weight_column_prefix", "mw_")
    first = [f"{uid}_l as record_key_l", f"{uid}_r as record_key_r", "match_probability", "match_weight"]
    taken = [f"{uid}_l", f"{uid}_r", "match_probability", "match_weight"]
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        first.append(f"{gamma_prefix}{name}")
        taken.append(f"{gamma_prefix}{name}")
        first.append(f"pow(2, {mw_prefix}{name}) as bf_{name}")
        if f"{mw_prefix}tf_adj_{name}" in available:
            first.append(f"pow(2, {mw_prefix}tf_adj_{name}) as bf_tf_adj_{name}")
    rest = [c for c in available if c not in taken and not any(c in (e, f"{e}_l", f"{e}_r") for e in exclude if e)]
    return ", ".join(first + [f'"{c}"' for c in rest])
