"""Scale: the merged current graph stays the set union of the document graphs through
incremental builds, entity lookups through the name index find what a full scan finds, a
build leaves no write-ahead log to replay, and extraction gives the same records whatever
the number of worker processes."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from conftest import EXAMPLES, invoke
from kg.backends.rdf.store import EmbeddedStore, uses_graphs
from kg.query.saved import match_entity
from ontology.vocab import fold


def _union_of_published(st: EmbeddedStore) -> set[ox.Triple]:
    return {q.triple for q in st.quads()}


def _merged(st: EmbeddedStore) -> set[ox.Triple]:
    return {q.triple for q in st._store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_merged_graph_is_the_union_through_edits_and_reset(runner, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Orchid University and Basalt Motors Company signed a "
                                "cooperation agreement on robotics on 2 May 2025.\n")
    (docs / "b.txt").write_text("Orchid University and Basalt Motors Company signed a "
                                "cooperation agreement on robotics on 2 May 2025.\n"
                                "Mr. Ethan Cole, CEO of Quartz Energy Group, visited Hanoi.\n")
    store = tmp_path / "store"
    invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    with EmbeddedStore(store, read_only=True) as st:
        assert st.merged and _merged(st) == _union_of_published(st)
    # a.txt no longer states the agreement: b.txt still does, so the merged graph keeps it
    (docs / "a.txt").write_text("Prof. Mai Linh, Rector of Coral University, spoke.\n")
    invoke(runner, ["build", str(docs / "a.txt"), "--store", str(store), "-q"])
    with EmbeddedStore(store, read_only=True) as st:
        assert _merged(st) == _union_of_published(st)
    out = json.loads(invoke(runner, ["query", "run", "partners-of", "-p", "org=Orchid University",
                                     "--store", str(store), "--format", "json"]).output)
    assert out == [{"partner": "Basalt Motors Company"}]
    # b.txt drops it too: now no graph states it and it leaves the merged graph
    (docs / "b.txt").write_text("Mr. Ethan Cole, CEO of Quartz Energy Group, visited Hanoi.\n")
    invoke(runner, ["build", str(docs / "b.txt"), "--store", str(store), "-q"])
    with EmbeddedStore(store, read_only=True) as st:
        assert _merged(st) == _union_of_published(st)
    r = invoke(runner, ["query", "run", "partners-of", "-p", "org=Orchid University",
                        "--store", str(store), "--format", "json"], ok=False)
    assert r.exit_code == 1 and "no entity matches 'Orchid University'" in r.stderr
    invoke(runner, ["build", str(docs / "b.txt"), "--store", str(store), "-q", "--reset"])
    with EmbeddedStore(store, read_only=True) as st:
        assert _merged(st) == _union_of_published(st)
        assert len(st.document_graphs()) == 1


def test_a_join_over_many_documents_counts_each_fact_once(runner, tmp_path):
    """The same article under ten names: the whole-graph answers equal those of one copy."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(10):
        shutil.copy(EXAMPLES / "vnu-education-ai.txt", docs / f"copy-{i}.txt")
    one, many = tmp_path / "one", tmp_path / "many"
    invoke(runner, ["build", str(docs / "copy-0.txt"), "--store", str(one), "-q"])
    invoke(runner, ["build", str(docs), "--store", str(many), "-q"])
    text = "SELECT ?a ?b WHERE { ?a kgo:partyTo ?x . ?b kgo:partyTo ?x }"
    for q in (["query", "sparql", text], ["query", "run", "most-connected"]):
        a = invoke(runner, [*q, "--store", str(one), "--format", "csv"]).output
        b = invoke(runner, [*q, "--store", str(many), "--format", "csv"]).output
        assert a == b and a.count("\n") > 1


def test_name_index_finds_what_a_full_scan_finds(built_store):
    with EmbeddedStore(built_store, read_only=True) as st:
        everything = st.entity_names()
        probes = {n for _, n, _ in everything} | {a for _, _, al in everything for a in al}
        probes |= {p.upper() for p in probes} | {"No Such Entity", "health", "  "}
        assert len(probes) > 100
        for p in sorted(probes):
            assert match_entity(p, st.entity_names(p)) == match_entity(p, everything), p
            for _iri, name, aliases in st.entity_names(p):
                assert fold(p) in {fold(name), *map(fold, aliases)}


def test_a_build_leaves_no_log_to_replay(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, ["build", str(EXAMPLES), "--store", str(store), "-q"])
    logs = sorted(store.glob("*.log"))
    assert sum(f.stat().st_size for f in logs) < 64 * 1024, [(f.name, f.stat().st_size) for f in logs]


def test_jobs_give_the_same_records_as_one_process(runner, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLES, docs)
    (docs / "zz-empty.txt").write_text("")  # a bad input is reported the same way too
    one = invoke(runner, ["extract", str(docs), "--jobs", "1"], ok=False)
    two = invoke(runner, ["extract", str(docs), "--jobs", "2", "--batch-size", "2"], ok=False)
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and one.stdout.count("\n") == 11
    assert one.stderr == two.stderr and "zz-empty.txt" in one.stderr


def test_the_place_index_cache_is_used_and_survives_corruption(tmp_path, monkeypatch):
    from loaders import places

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    places.place_index.cache_clear()
    try:
        fresh = places.place_index()
        path = places.cache_file()
        assert path.parent == tmp_path and path.exists()
        places.place_index.cache_clear()
        assert places.place_index() == fresh
        path.write_text("{not json")
        places.place_index.cache_clear()
        assert places.place_index() == fresh
        assert json.loads(path.read_text())  # rewritten whole
    finally:
        places.place_index.cache_clear()


def _operators(plan: dict) -> set[str]:
    ops = {plan.get("operatorType", "").split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


@pytest.mark.neo4j
def test_neo4j_load_batches_use_the_constraints(built_store, clean_neo4j):
    """EXPLAIN every write the loader sends (on the real server, with its real parameters):
    no batch scans nodes; every MATCH is a unique-index seek (a cartesian product of two
    one-row seeks is one row, so it is allowed only over seeks)."""
    from kg.backends.neo4j.store import Neo4jStore

    seen: list[tuple[str, dict]] = []

    class Recording(Neo4jStore):
        def _write_groups(self, statements, tx_rows, tick):  # every batch goes through here
            seen.extend((c, p) for c, p, _ in statements)
            return super()._write_groups(statements, tx_rows, tick)

    srv = clean_neo4j
    with EmbeddedStore(built_store, read_only=True) as st:
        parts = st.read_graph()
    with Recording(srv["uri"], srv["user"], srv["password"]) as neo:
        neo.load(*parts, batch_size=50)
        batches = [(c, p) for c, p in seen if c.startswith("UNWIND")]
        assert len(batches) > 10
        with neo.driver.session() as s:
            for cypher, params in batches:
                plan = s.run("EXPLAIN " + cypher, **params).consume().plan
                ops = _operators(plan)
                assert not ops & {"AllNodesScan", "NodeByLabelScan"}, (cypher, ops)
                if " MATCH " in cypher:
                    assert any("IndexSeek" in o for o in ops), (cypher, sorted(ops))


def test_only_the_graph_keyword_lists_the_named_graphs(built_store):
    """GRAPH (any case) reads the published graphs and never kg's internal ones; a word that
    merely contains "graph" (a comment naming oxigraph) does not cost the list of graphs."""
    with EmbeddedStore(built_store, read_only=True) as st:
        for text in ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                     "select distinct ?g where { graph ?g { ?s ?p ?o } }"):
            graphs = {r["g"] for r in st.select(text)}
            assert graphs == {g.value for g in st.published_graphs()}, text
            assert len(graphs) > 2 and not any(g.startswith("urn:kg:") for g in graphs)
    assert uses_graphs("SELECT * WHERE { Graph <urn:x> { ?s ?p ?o } }")
    assert not uses_graphs("# oxigraph's planner\nSELECT ?s WHERE { ?s kgo:graphName ?o }")
