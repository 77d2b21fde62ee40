"""Checks of the engine's parts that need no benchmark download and no pytest:

    PYTHONPATH=models/python .venv/bin/python -m asiakkuus_identity.selfcheck [--json]

Each check prints a line; the last line is "N checks passed, M failed" and the exit
code is non-zero on any failure. With --json the report (empty unless a check fills it) is
printed as JSON before that line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

import duckdb

from . import (build_engine_settings, cluster, cluster_metrics, customer_settings, default_customer_config,
               duckdb_connection, overlay, pairwise_metrics, score_pairs)
from .evalset import EvalSet
from .resolution import Previous, customer_pairs, resolve, train_customer_model
from .standardise import given_name_variants, prepare_records

CHECKS: list[Callable[[], None]] = []
REPORT: dict[str, Any] = {}


def check(function: Callable[[], None]) -> Callable[[], None]:
    CHECKS.append(function)
    return function


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


@check
def unwraps_dbt_sessions() -> None:
    con = duckdb.connect()

    class CursorWrapper:  # the shape of dbt-duckdb's DuckDBCursorWrapper
        def __init__(self, cursor: Any) -> None:
            self._cursor = cursor

    expect(duckdb_connection(con) is con, "a connection is returned as it is")
    expect(duckdb_connection(CursorWrapper(con)) is con, "a dbt-duckdb wrapper is unwrapped")
    try:
        duckdb_connection(object())
    except TypeError:
        return
    raise AssertionError("anything else is refused")


@check
def overlays_config_key_by_key() -> None:
    base: dict[str, Any] = {"thresholds": {"min_match_probability": 0.8, "other": 1}, "blocking_rules": [["a"], ["b"]]}
    merged = overlay(base, {"thresholds": {"min_match_probability": 0.9}, "blocking_rules": [["c"]]})
    expect(merged["thresholds"] == {"min_match_probability": 0.9, "other": 1}, "mappings merge")
    expect(merged["blocking_rules"] == [["c"]], "lists are replaced whole")
    expect(base["thresholds"]["min_match_probability"] == 0.8, "the base is not modified")


@check
def refuses_misspelt_settings() -> None:
    model = default_customer_config()
    for broken in ({**model, "blocking_rule": []}, overlay(model, {"training": {"em_blocking_rule": []}}),
                   {**model, "comparisons": [{"column": "x", "method": "soundex"}]}):
        try:
            build_engine_settings(broken)
        except ValueError:
            continue
        raise AssertionError(f"accepted {sorted(set(broken) - set(model)) or 'a broken entry'}")


@check
def builds_customer_settings() -> None:
    settings = customer_settings(overrides={"thresholds": {"min_match_probability": 0.9}})
    names = [c["output_column_name"] for c in settings.splink_settings["comparisons"]]
    expect("email" in names and "postcode_city" in names and "name" in names, f"comparisons {names}")
    expect(settings.thresholds["min_match_probability"] == 0.9, "override applied")
    expect(settings.training["seed"] == 42, "training plan carried")


@check
def measures_pairs_and_clusters() -> None:
    con = duckdb.connect()
    truth = con.sql("select * from (values ('a','1'),('b','1'),('c','2'),('d','2'),('e','3'),('f','3')) t(record_key, entity_id)")
    clusters = con.sql("select * from (values ('a','a'),('b','a'),('c','a'),('d','d'),('e','e'),('f','e')) t(record_key, cluster_id)")
    m = cluster_metrics(con, clusters, truth)
    # Predicted pairs ab ac bc ef; true pairs ab cd ef; correct ab ef.
    expect((m["predicted_pairs"], m["true_pairs"], m["correct_pairs"]) == (4, 3, 2), f"pair counts {m}")
    expect(close(m["precision"], 0.5) and close(m["recall"], 2 / 3), f"precision/recall {m}")
    expect(m["exact_clusters"] == 1 and close(m["entities_exactly_recovered"], 1 / 3), f"cluster accuracy {m}")
    expect(close(m["records_in_exact_clusters"], 2 / 6), f"records in exact clusters {m}")
    pairs = con.sql("select * from (values ('b','a'),('a','b'),('e','f'),('a','c'),('a','a')) t(record_key_l, record_key_r)")
    p = pairwise_metrics(con, pairs, truth)
    expect((p["predicted_pairs"], p["correct_pairs"], p["true_pairs"]) == (3, 2, 3), f"pairs counted once, unordered {p}")


@check
def clusters_external_edges_at_threshold() -> None:
    con = duckdb.connect()
    nodes = con.sql("select * from (values ('a'),('b'),('c'),('d'),('e'),('f')) t(record_key)")
    edges = con.sql("select * from (values ('a','b',0.9),('b','c',0.6),('d','e',0.95)) t(record_key_l, record_key_r, match_probability)")
    result = dict(cluster(con, nodes, edges, 0.7).fetchall())
    expect(result == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "d", "f": "f"}, f"clusters {result}")
    every_edge = dict(cluster(con, nodes, edges.select("record_key_l, record_key_r"), None).fetchall())
    expect(every_edge["c"] == "a", "with no threshold every edge links")
    # The smallest id names the cluster wherever it sits in the edges; an edge to an id
    # that is not a node links nothing; no edges at all leaves every node alone.
    chain = con.sql("select * from (values ('z','y'),('y','b'),('b','x'),('f','q')) t(record_key_l, record_key_r)")
    chained = dict(cluster(con, nodes.union(con.sql("select * from (values ('x'),('y'),('z')) t(record_key)")), chain, None).fetchall())
    expect([chained[k] for k in ("x", "y", "z", "b", "f")] == ["b", "b", "b", "b", "f"], f"chain {chained}")
    alone = dict(cluster(con, nodes, edges.filter("false").select("record_key_l, record_key_r"), None).fetchall())
    expect(alone == {k: k for k in "abcdef"}, f"no edges {alone}")


@check
def clusters_as_networkx_finds_components() -> None:
    """Random graphs against networkx's connected components (an independent solver):
    the same partition, each cluster named by its smallest id."""
    import random

    import networkx as nx

    con = duckdb.connect()
    rng = random.Random(20261205)
    for _ in range(40):
        ids = [f"r{rng.randrange(10_000):05d}" for _ in range(rng.randrange(1, 120))]
        edges = [(rng.choice(ids), rng.choice(ids)) for _ in range(rng.randrange(0, 150))]
        graph = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_edges_from(edges)
        expected = {node: min(component) for component in nx.connected_components(graph) for node in component}
        nodes = con.sql("select unnest($ids) as record_key", params={"ids": ids})
        edge_rows = con.sql("select unnest($l::varchar[]) as record_key_l, unnest($r::varchar[]) as record_key_r",
                            params={"l": [l for l, _ in edges], "r": [r for _, r in edges]})
        found = dict(cluster(con, nodes, edge_rows, None).fetchall())
        expect(found == expected, f"{len(ids)} ids, {len(edges)} edges: {found} against {expected}")


@check
def skips_an_em_block_without_pairs() -> None:
    con = duckdb.connect()
    records = con.sql(
        """select * from (values ('a','matti','virtanen','m1@x.fi'), ('b','matti','virtanen','m2@x.fi'),
                                 ('c','liisa','laine','l1@x.fi'), ('d','liisa','laine','l2@x.fi'), ('e','pekka','salo',null))
           t(record_key, first_name_folded, last_name_folded, email_std)""")
    model: dict[str, Any] = {"comparisons": [{"column": "first_name_folded", "method": "jaro_winkler", "thresholds": [0.9]}, {"column": "email_std"}],
             "blocking_rules": [["last_name_folded"]],
             "training": {"seed": 1, "u_max_pairs": 100, "prior": {"value": 0.1},
                          "em_blocking_rules": [["email_std"], ["last_name_folded"]]}}
    settings = build_engine_settings(model)
    scored = score_pairs(con, records, settings.splink_settings, training=settings.training)
    expect(sorted(scored.select("record_key_l, record_key_r").fetchall()) == [("a", "b"), ("c", "d")], "scored despite the empty block")
    model["training"]["em_blocking_rules"] = [["email_std"]]
    try:
        score_pairs(con, records, build_engine_settings(model).splink_settings, training=model["training"])
    except RuntimeError:
        return
    raise AssertionError("with no block able to train, scoring fails")


@check
def keeps_an_underflowing_m_during_training_only() -> None:
    """An m that underflows to 0.0 in EM (a level seen only among non-matches, at a
    million customers) is kept at Splink's smallest value while training, so the session
    is not lost; outside training Splink still refuses it."""
    from splink import DuckDBAPI, Linker
    from splink.internals.comparison_level import M_U_CLAMP_MIN

    from .scoring import _m_underflow_kept_at_the_smallest_float

    settings = build_engine_settings({"comparisons": [{"column": "email_std"}], "blocking_rules": [["email_std"]],
                                      "training": {"prior": {"value": 0.1}, "em_blocking_rules": [["email_std"]]}})
    con = duckdb.connect()
    con.execute("create table r as select * from (values ('a', 'x@y.fi'), ('b', 'x@y.fi')) t(record_key, email_std)")
    linker = Linker(DuckDBAPI(connection=con).register("r"), settings.splink_settings)
    level = linker._settings_obj.comparisons[0].comparison_levels[1]
    with _m_underflow_kept_at_the_smallest_float():
        level.m_probability = 0.0
    expect(level.m_probability == M_U_CLAMP_MIN, f"kept at the smallest value while training: {level.m_probability}")
    try:
        level.m_probability = 0.0
    except ValueError:
        return
    raise AssertionError("outside training Splink's own check applies again")

@check
def standardises_real_variation() -> None:
    con = duckdb.connect()
    records = con.sql("""select * from (values
        ('a', 'Matti', 'Virtanen', 'Matti.Virtanen+shop@GoogleMail.com', '040 123 4567', 'Virtanen Oy'),
        ('b', 'Virtanen Matti', null, 'info@virtanen.fi', '+358 (0)40-123 4567', 'Virtanen Aktiebolag'),
        ('c', 'Kati Anna', 'Mäkinen-Salo', 'kati@gmial.com', '00358401234567', 'Virtanen Ltd'),
        ('d', null, null, null, '(09) 123 456', null),
        ('e', ' ', 'Korhonen', null, null, null)) t(record_key, first_name, last_name, email, phone, company_name)""")
    guard = default_customer_config()["guard_rails"]
    prepare_records(con, records, "prepared", guard)
    names = {r[0]: r[1:] for r in con.sql("select record_key, name_given_canon, name_tokens from prepared").fetchall()}
    expect(names["c"] == (["katariina", "anna"], ["anna", "katariina", "makinen", "salo"]),
           f"given names canonical in the order written, every part sorted once, a hyphenated surname two parts: {names['c']}")
    expect(names["d"] == (None, None), f"no name, no name parts: {names['d']}")
    expect(names["e"] == (None, ["korhonen"]), f"a surname alone has no given names: {names['e']}")
    rows = {r[0]: r[1:] for r in con.sql("""select record_key, email_canon, phone_e164, name_key, name_first_canon, company_std, email_domain
                                            from prepared order by record_key""").fetchall()}
    expect(rows["a"][0] == "mattivirtanen@gmail.com", f"plus tag, Gmail dots and googlemail folded: {rows['a']}")
    expect(rows["b"][0] is None, f"info@ is a never-match value: {rows['b']}")
    expect(rows["a"][1] == rows["b"][1] == rows["c"][1] == "+358401234567", f"Finnish phone formats: {rows}")
    expect(rows["d"][1] == "+3589123456", f"a Helsinki landline: {rows['d']}")
    expect(rows["a"][2] == rows["b"][2] == "matias virtanen", f"swapped and one-field names, Matti = Matias: {rows}")
    expect(rows["c"][3] == "katariina", f"Kati is Katariina: {rows['c']}")
    expect(rows["a"][4] == rows["b"][4] == rows["c"][4] == "virtanen", f"legal forms FI/SV/EN: {rows}")
    expect(rows["c"][5] == "gmial.com", "a domain typo is not rewritten (it is a comparison level)")


@check
def reads_each_given_name_variant_once() -> None:
    with tempfile.TemporaryDirectory() as folder:
        variants = Path(folder) / "variants.csv"
        variants.write_text("canonical,variants\nkatariina,kati|katariina|kati\nmatias,matti\n", encoding="utf-8")
        read = given_name_variants(variants)
        expect(read == [("katariina", "katariina"), ("kati", "katariina"), ("matias", "matias"), ("matti", "matias")],
               f"a variant repeated, or a canonical name listed as its own variant, is read once: {read}")
        variants.write_text("canonical,variants\nkatariina,kati\nkatja,kati\n", encoding="utf-8")
        try:
            given_name_variants(variants)
        except ValueError as error:
            expect("'kati' is a variant of both" in str(error), f"the conflict is named: {error}")
        else:
            expect(False, "a variant of two canonical names is refused")


@check
def resolves_the_evaluation_set_deterministically() -> None:
    runs = []
    for _ in range(2):
        con = duckdb.connect()
        data = EvalSet(persons=400, seed=11)
        con.register("records_arrow", data.record_table())
        con.execute("create table records as select * from records_arrow")
        pairs, clusters = resolve(con, "records", customer_settings())
        runs.append(pairs.order("record_key_l, record_key_r").select("record_key_l, record_key_r, decision, match_probability").fetchall())
        expect(all(l < r for l, r, _, _ in runs[-1]), "record_key_l sorts first")
        for column in ("decision", "decision_reason", "rules", "gamma_email", "bf_name", "gamma_name"):
            expect(column in pairs.columns, f"{column} in the output")
        expect({d for _, _, d, _ in runs[-1]} <= {"link", "review", "veto"}, "decisions")
        expect(clusters.count("*").fetchone()[0] == len(data.records), "every record in one cluster")
        leftovers = con.sql("select table_name from duckdb_tables() where table_name like '__splink%' or table_name like 'asiakkuus_identity_prepared%'").fetchall()
        expect(not leftovers, f"working tables are removed: {leftovers}")
    expect(runs[0] == runs[1], "two runs give identical decisions and scores")


@check
def guard_rails_keep_households_apart() -> None:
    """Hand-made records among a small evaluation set (so that training has data):
    spouses at one address with one landline, a family e-mail shared by them with a
    nameless newsletter copy, two colleagues at info@, a capped-out e-mail, and one person
    written three ways."""
    con = duckdb.connect()
    data = EvalSet(persons=400, seed=5)
    con.register("records_arrow", data.record_table())
    con.execute("create table records as select * from records_arrow")
    columns = "record_key, source, entity, first_name, last_name, email, phone, street_address, postal_code, city, date_of_birth"
    con.execute(f"""insert into records ({columns}) values
        ('x.a:wife', 'x', 'a', 'Liisa', 'Öhmanvaara', 'liisa.ohmanvaara@kolumbus.fi', '09 555 1212', 'Ruusutie 3', '00990', 'Helsinki', null),
        ('x.a:husband', 'x', 'a', 'Pertti', 'Öhmanvaara', null, '(09) 555 1212', 'Ruusutie 3', '00990', 'Helsinki', null),
        ('x.a:wife-family', 'x', 'a', 'Liisa', 'Öhmanvaara', 'ohmanvaarat@elisanet.fi', null, null, null, null, null),
        ('x.a:husband-family', 'x', 'a', 'Pertti', 'Öhmanvaara', 'ohmanvaarat@elisanet.fi', null, null, null, null, null),
        ('x.a:family-newsletter', 'x', 'a', null, null, 'ohmanvaarat@elisanet.fi', null, null, null, null, null),
        ('x.a:colleague1', 'x', 'a', 'Ilona', 'Zetterqvist', 'info@zetterqvist.fi', '+358 9 777 0000', 'Satamakatu 1', '00160', 'Helsinki', null),
        ('x.a:colleague2', 'x', 'a', 'Oskari', 'Zetterqvist', 'info@zetterqvist.fi', '+358 9 777 0000', 'Satamakatu 1', '00160', 'Helsinki', null),
        ('x.a:twin1', 'x', 'a', 'Aino', 'Quistberg', 'aino.q@gmail.com', null, 'Kuusitie 9', '33100', 'Tampere', '1990-05-05'),
        ('x.a:twin2', 'x', 'a', 'Eino', 'Quistberg', 'eino.q@gmail.com', null, 'Kuusitie 9', '33100', 'Tampere', '1990-05-05'),
        ('x.a:kati1', 'x', 'a', 'Katariina', 'Wennerholm', 'kati.wennerholm+shop@googlemail.com', '040 999 8877', null, null, null, null),
        ('x.a:kati2', 'x', 'a', 'Wennerholm', 'Kati', 'katiwennerholm@gmail.com', null, null, null, null, null),
        ('x.a:kati3', 'x', 'a', 'Kati Wennerholm', null, null, '+358 (0)40 999 8877', null, null, null, null)""")
    pairs, clusters = resolve(con, "records", customer_settings())
    cluster_of = dict(clusters.filter("record_key like 'x.a:%'").fetchall())
    decision = {(l, r): d for l, r, d in pairs.filter("record_key_l like 'x.a:%' and record_key_r like 'x.a:%'")
                .select("record_key_l, record_key_r, decision").fetchall()}
    expect(cluster_of["x.a:wife"] != cluster_of["x.a:husband"], "spouses with one address and landline stay apart")
    expect(decision.get(("x.a:husband-family", "x.a:wife-family")) == "veto", f"a shared family e-mail is vetoed: {decision}")
    expect(cluster_of["x.a:family-newsletter"] not in (cluster_of["x.a:wife-family"], cluster_of["x.a:husband-family"]),
           "the nameless record at the family address joins neither spouse")
    expect({decision.get(("x.a:family-newsletter", "x.a:husband-family")), decision.get(("x.a:family-newsletter", "x.a:wife-family"))}
           == {"review"}, f"its links wait for review: {decision}")
    expect(cluster_of["x.a:colleague1"] != cluster_of["x.a:colleague2"], "info@ and a switchboard do not join colleagues")
    expect(cluster_of["x.a:twin1"] != cluster_of["x.a:twin2"], "twins stay apart")
    expect(cluster_of["x.a:kati1"] == cluster_of["x.a:kati2"] == cluster_of["x.a:kati3"],
           f"plus tag, googlemail, Gmail dots, swapped names, one field, nickname, phone formats join: {cluster_of}")


@check
def capped_name_blocks_stay_as_a_full_build_gives_them_incrementally() -> None:
    """A capped block (the name alone) scores the pairs of a name few records hold, not
    those of a crowded one; whether a name is crowded depends on every record, so an
    incremental build must drop the pairs of a name that became crowded and score those
    of a name that became rare again, as a full build over the same records does."""
    con = duckdb.connect()
    data = EvalSet(persons=300, seed=7)
    con.register("records_arrow", data.record_table())
    con.execute("create table base as select * from records_arrow")
    columns = "record_key, source, entity, first_name, last_name, email, city"
    # One person written twice with nothing but the name in common (a work e-mail and a
    # private one, no address), and two namesakes who arrive later.
    con.execute(f"""create table person as select * from (values
        ('x.a:work', 'x', 'a', 'Tuomas', 'Äijälä', 'tuomas.aijala@rakennusfirma.fi', null),
        ('x.a:home', 'x', 'a', 'Tuomas', 'Äijälä', 'tuomasaijala77@kolumbus.fi', null)) t({columns})""")
    con.execute(f"""create table namesakes as select * from (values
        ('x.b:namesake1', 'x', 'b', 'Tuomas', 'Äijälä', 'tuomas.aijala@saunalahti.fi', 'Oulu'),
        ('x.b:namesake2', 'x', 'b', 'Tuomas', 'Äijälä', 't.aijala@luukku.com', 'Vaasa')) t({columns})""")
    config = default_customer_config()
    cap = 3
    config["blocking_rules"] = [dict(rule, max_records=cap) if isinstance(rule, dict) else rule for rule in config["blocking_rules"]]
    # Every candidate pair is returned (no score threshold), so the pairs are the blocking's.
    settings = build_engine_settings(overlay(config, {"thresholds": {"min_match_probability": 0.0}}))
    expect(len(settings.capped_blocks) >= 1, "the default model caps its name blocks")
    for name, sql in (("few", f"select * from base union all by name select * from person"),
                      ("crowded", f"select * from base union all by name select * from person union all by name select * from namesakes")):
        con.execute(f"create table records_{name} as {sql}")
    model = train_customer_model(con, "records_few", settings)

    def pairs_of(records: str, previous: Previous | None = None) -> set[tuple[str, str]]:
        return set(customer_pairs(con, records, settings, model=model, previous=previous)
                   .filter("match_probability is not null").select("record_key_l, record_key_r").fetchall())

    few = pairs_of("records_few")
    expect(("x.a:home", "x.a:work") in few, "a name two records hold blocks them together")
    crowded = pairs_of("records_crowded")
    expect(("x.a:home", "x.a:work") not in crowded, f"a name more than {cap} records hold blocks nothing by itself")
    customer_pairs(con, "records_few", settings, model=model).create("earlier_few")
    customer_pairs(con, "records_crowded", settings, model=model).create("earlier_crowded")
    # Namesakes arrive: the name becomes crowded.
    arrived = pairs_of("records_crowded", Previous(pairs="earlier_few", changed_records=con.sql("select record_key from namesakes")))
    expect(arrived == crowded, f"incremental after the name crowded = full build: {sorted(arrived ^ crowded)[:5]}")
    # The namesakes are erased: the name is rare again.
    erased = pairs_of("records_few", Previous(pairs="earlier_crowded", changed_records=con.sql("select record_key from person where false")))
    expect(erased == few, f"incremental after the name became rare again = full build: {sorted(erased ^ few)[:5]}")


def main() -> int:
    passed = failed = 0
    for function in CHECKS:
        try:
            function()
        except Exception:  # noqa: BLE001 - a failing check is reported, the rest still run
            failed += 1
            print(f"FAIL {function.__name__}\n{traceback.format_exc()}")
        else:
            passed += 1
            print(f"ok   {function.__name__}")
    if "--json" in sys.argv[1:]:
        print(json.dumps(REPORT))
    print(f"{passed} checks passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
