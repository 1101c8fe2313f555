"""The Spark build equals the single-machine build: records, N-Quads (graph by graph,
isomorphic) and the Neo4j graph, on the example corpus and the shared corpora (Spark in
local[2], the real spaCy model, a real Neo4j with the official connector).

The distributed resolution is also checked without Spark: its pure steps, run over shuffled
partitions of invented records, give the resolver's own DocGraphs."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, invoke
from kg.record.schema import Entity, Record, Relation
from kg.resolve.resolver import Resolver, slug_root
from kg.spark import resolve as dist

SHARED = ROOT.parent / "shared" / "corpus"


# ---------------------------------------------------------------- distributed resolution, no Spark

def _components(occ: list[tuple]) -> dict[tuple, tuple]:
    """Union-find over shared keys (what the Spark label propagation computes)."""
    parent: dict[tuple, tuple] = {o: o for o, _ in occ}

    def find(x: tuple) -> tuple:
        while parent[x] != x:
            x = parent[x]
        return x

    first: dict[tuple, tuple] = {}
    for oid, v in occ:
        for key in v[4]:
            if key in first:
                a, b = find(oid), find(first[key])
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = oid
    return {o: find(o) for o, _ in occ}


def distributed(records: list[Record], seed: int) -> list:
    """The steps of kg.spark.resolve in plain Python, each grouping fed in a shuffled order."""
    rnd = random.Random(seed)
    indexed = list(enumerate(records))
    occ = [m for n, r in indexed for m in dist.mentions(n, r)]
    rnd.shuffle(occ)
    label = _components(occ)
    groups: dict[tuple, list] = defaultdict(list)
    for oid, v in occ:
        groups[label[oid]].append((oid, v))
    out = [t for items in groups.values() for t in dist.replay(rnd.sample(items, len(items)))]
    mints: dict[tuple, list] = defaultdict(list)
    for kind, t in out:
        if kind == "mint":
            mints[(t[0], slug_root(t[1]))].append((t[2], t[0], t[1], t[3]))
    iri_of = dict(kv for items in mints.values() for kv in dist.settle(rnd.sample(items,
                                                                                 len(items))))
    found: dict[int, dict] = defaultdict(dict)
    for _kind, (token, (oid, name, sub)) in (t for t in out if t[0] == "use"):
        found[oid[0]][oid[1]] = (iri_of[token], name, sub)
    local = {n: dist.doc_local(r, found[n]) for n, r in indexed}
    reqs = [q for n, r in indexed for q in dist.agreement_requests(n, r, local[n])]
    rnd.shuffle(reqs)
    first: dict[str, tuple] = {}
    for iri, v in reqs:
        first[iri] = min(first.get(iri, v), v)
    named: dict[int, dict] = defaultdict(dict)
    for iri, (n, idx, _name) in reqs:
        named[n][idx] = (iri, first[iri][2])
    graphs = {}
    for n, r in indexed:
        g = dist.doc_graph(r, local[n], named[n])
        graphs[g.iri] = g  # the last build of a document wins, as in the store
    return sorted(graphs.values(), key=lambda g: g.iri)


def sequential(records: list[Record]) -> list:
    resolver = Resolver()
    graphs = {}
    for r in records:
        g = resolver.resolve(r)
        graphs[g.iri] = g
    return sorted(graphs.values(), key=lambda g: g.iri)


# names chosen to collide: same key ("Acme's"/"Acme"), same slug but other key ("Acme S"),
# a counter-looking slug ("Acme S 2"), case and accents
NAMES = ["Acme", "Acme's", "Acme S", "Acme S 2", "ACME", "Ácme", "Borvik Labs", "Borvik",
         "the Borvik Labs", "Cendra", "Cendra Group"]
TYPES = ["Institution", "Person", "Location"]


@st.composite
def corpora(draw) -> list[Record]:
    records = []
    for d in range(draw(st.integers(1, 6))):
        ents, rels = [], []
        for i in range(draw(st.integers(0, 5))):
            name = draw(st.sampled_from(NAMES))
            aliases = sorted(set(draw(st.lists(st.sampled_from(NAMES), max_size=2))) - {name})
            etype = draw(st.sampled_from(TYPES))
            sub = draw(st.sampled_from([None, "university", "company"])) \
                if etype == "Institution" else None
            ents.append(Entity(id=f"e{i + 1}", type=etype, name=name, aliases=aliases,
                               subtype=sub))
        if draw(st.booleans()):
            ents.append(Entity(id="s1", type="Sector", name=draw(st.sampled_from(
                ["health", "energy", "not a sector"]))))
        insts = [e for e in ents if e.type == "Institution"]
        if len(insts) >= 2 and draw(st.booleans()):
            ents.append(Entity(id="a1", type="Agreement", name=f"pact {d}",
                               kind="mou", date=draw(st.sampled_from([None, "2024-05-01"]))))
            for e in insts[:2]:
                rels.append(Relation(subject=e.id, predicate="PARTY_TO", object="a1",
                                     evidence=f"{e.name} signed.", confidence=0.85, sentence=0))
        for a, b in zip(ents, ents[1:], strict=False):
            if a.type == "Person" and b.type == "Institution":
                rels.append(Relation(subject=a.id, predicate="WORKS_FOR", object=b.id,
                                     evidence=f"{a.name} of {b.name}.", confidence=0.7,
                                     sentence=1))
        slug = draw(st.sampled_from([f"doc-{d}", "doc-0"]))  # a document built twice
        records.append(Record(doc=slug, entities=ents, relations=rels, sha256="0" * 64))
    return records


@settings(max_examples=150, deadline=None)
@given(corpora(), st.integers(0, 10_000))
def test_distributed_resolution_equals_the_resolver_whatever_the_partitioning(records, seed):
    assert distributed(records, seed) == sequential(records)


def test_colliding_slugs_get_counters_in_document_order():
    recs = [Record(doc="a", entities=[Entity(id="e1", type="Institution", name="Acme S")]),
            Record(doc="b", entities=[Entity(id="e1", type="Institution", name="Acme's")]),
            Record(doc="c", entities=[Entity(id="e1", type="Institution", name="Acme S 2")])]
    iris = [g.nodes[0].iri.rsplit("/", 1)[1] for g in distributed(recs, 1)]
    assert iris == ["acme-s", "acme-s-2", "acme-s-2-2"]
    assert distributed(recs, 2) == sequential(recs)


# ---------------------------------------------------------------- Spark, end to end


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from kg.spark.session import connector_jars, get_session

    assert connector_jars(), "the Neo4j connector is missing: run tools/spark/fetch.sh"
    session = get_session("local[2]", app="kg-tests", partitions=2)
    yield session
    session.stop()


def _spark_records(out: Path) -> list[dict]:
    return [json.loads(line) for f in sorted((out / "records").glob("part-*"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _assert_isomorphic(expected_nq: Path, spark_graph: Path) -> int:
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    a, b = Dataset(), Dataset()
    a.parse(expected_nq, format="nquads")
    for f in sorted(spark_graph.glob("part-*")):
        b.parse(f, format="nquads")
    ga = {g.identifier: g for g in a.graphs() if len(g)}
    gb = {g.identifier: g for g in b.graphs() if len(g)}
    assert set(ga) == set(gb)
    differ = [str(k) for k in ga if not isomorphic(ga[k], gb[k])]
    assert not differ, f"graphs that differ: {differ[:5]}"
    return len(ga)


def _build_and_export(runner, inputs: list[Path], tmp: Path) -> tuple[list[dict], Path]:
    store, nq, rec = tmp / "store", tmp / "build.nq", tmp / "extract.jsonl"
    invoke(runner, ["build", *map(str, inputs), "--store", str(store), "--reset", "-q"])
    invoke(runner, ["export", "--format", "nq", "--store", str(store), "-o", str(nq)])
    invoke(runner, ["extract", *map(str, inputs), "-o", str(rec)])
    return [json.loads(x) for x in rec.read_text(encoding="utf-8").splitlines()], nq


def _neo_graph(server) -> tuple:
    """Everything read_graph gives back, every attribute, in a comparable form."""
    from dataclasses import astuple, replace

    from kg.backends.neo4j.store import Neo4jStore

    with Neo4jStore(server["uri"], server["user"], server["password"]) as n:
        nodes, edges, docs = n.read_graph()
    return (sorted(astuple(replace(x, aliases=sorted(x.aliases))) for x in nodes),
            [astuple(e) for e in edges],
            sorted(tuple(sorted((k, str(v)) for k, v in d.items())) for d in docs))


@pytest.mark.slow
@pytest.mark.neo4j
def test_examples_spark_equals_build_extract_and_load(spark, runner, tmp_path, clean_neo4j):
    from kg.spark.job import run
    from kg.spark.to_neo4j import Neo4jTarget

    target = Neo4jTarget(clean_neo4j["uri"], clean_neo4j["user"], clean_neo4j["password"])
    out = tmp_path / "out"
    result = run([str(EXAMPLES)], str(out), spark=spark, partitions=2, neo4j=target)
    assert result.failed == [] and result.documents == 11

    records, nq = _build_and_export(runner, [EXAMPLES], tmp_path)
    assert _spark_records(out) == records
    assert _assert_isomorphic(nq, out / "graph") == 13  # 11 documents, scheme, ontology

    _spark_graph_is_what_load_writes(clean_neo4j, tmp_path / "store")

    # kg import of the Spark N-Quads gives a store that exports the same dataset
    store2, nq2 = tmp_path / "imported", tmp_path / "imported.nq"
    res = invoke(runner, ["import", str(out), "--store", str(store2)])  # graph/ and records/
    assert "Imported 11 graph(s)" in res.stderr  # the scheme and ontology come from the package
    assert "11 extraction record(s)" in res.stderr and "Warning" not in res.stderr
    invoke(runner, ["export", "--format", "nq", "--store", str(store2), "-o", str(nq2)])
    _assert_isomorphic(nq2, out / "graph")


def _spark_graph_is_what_load_writes(server, store: Path) -> None:
    """`kg load neo4j` of the single-machine store over what Spark wrote finds every node and
    relationship in place (creates none, removes none) and leaves the same graph."""
    from kg.backends.neo4j.store import Neo4jStore
    from kg.backends.rdf.store import EmbeddedStore

    written = _neo_graph(server)
    assert len(written[0]) > 50 and len(written[1]) > 50
    with Neo4jStore(server["uri"], server["user"], server["password"]) as n, \
            EmbeddedStore(store, read_only=True) as st:
        summary = n.load_from(st)
    assert (summary.nodes_created, summary.relationships_created, summary.nodes_deleted,
            summary.relationships_deleted) == (0, 0, 0, 0), str(summary)
    assert _neo_graph(server) == written


@pytest.mark.slow
@pytest.mark.neo4j
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not beside the repo")
def test_shared_corpora_spark_equals_build_extract_and_load(spark, runner, tmp_path,
                                                            clean_neo4j):
    from kg.spark.job import run
    from kg.spark.to_neo4j import Neo4jTarget

    inputs = sorted(p for p in SHARED.iterdir() if p.is_dir())
    assert inputs
    out = tmp_path / "out"
    target = Neo4jTarget(clean_neo4j["uri"], clean_neo4j["user"], clean_neo4j["password"])
    result = run([str(p) for p in inputs], str(out), spark=spark, partitions=2, neo4j=target)
    records, nq = _build_and_export(runner, inputs, tmp_path)
    assert result.documents == len(records) > 20
    assert _spark_records(out) == records
    _assert_isomorphic(nq, out / "graph")
    _spark_graph_is_what_load_writes(clean_neo4j, tmp_path / "store")


@pytest.mark.slow
@pytest.mark.neo4j
def test_article_jsonl_bad_lines_and_idempotent_neo4j(spark, tmp_path, clean_neo4j):
    """Article JSONL: the same records as extracting the texts; a bad line is named, the
    others go on; writing the same graph into Neo4j twice changes nothing."""
    from kg.api import extract
    from kg.spark.job import run
    from kg.spark.to_neo4j import Neo4jTarget

    texts = [("orvane-1", "Orvane University signed a memorandum of understanding with "
                          "Telquist Robotics on Monday. Dr. Mira Haldane, rector of Orvane "
                          "University, attended."),
             ("orvane-2", "Telquist Robotics and the Orvane University will cooperate in "
                          "healthcare research, Telquist Robotics said.")]
    src = tmp_path / "articles.jsonl"
    lines = [json.dumps({"doc": d, "text": t}) for d, t in texts]
    src.write_text(lines[0] + "\n{not json\n" + lines[1] + "\n", encoding="utf-8")
    target = Neo4jTarget(clean_neo4j["uri"], clean_neo4j["user"], clean_neo4j["password"])
    graphs = []
    for _ in range(2):
        messages: list[str] = []
        result = run([str(src)], str(tmp_path / "out"), spark=spark, partitions=2,
                     report=messages.append, neo4j=target)
        assert [m for m in messages if ":2: not valid JSON" in m and "articles.jsonl" in m]
        assert result.documents == 2 and len(result.failed) == 1
        graphs.append(_neo_graph(clean_neo4j))
    records, _ = extract([src])  # kg build's JSONL dump reader: same names and metadata
    expected = [r.to_json() for r in records]
    assert [r["doc"] for r in expected] == ["orvane-1", "orvane-2"]
    assert _spark_records(tmp_path / "out") == expected
    assert graphs[0] == graphs[1] and len(graphs[0][2]) == 2 and graphs[0][1]


def test_import_reports_a_bad_file_and_keeps_the_rest(runner, tmp_path):
    good = tmp_path / "good.nq"
    good.write_text('<https://w3id.org/kg-coop/id/x> <https://w3id.org/kg-coop/ontology#name> '
                    '"X" <https://w3id.org/kg-coop/doc/d1> .\n', encoding="utf-8")
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    res = invoke(runner, ["import", str(bad), str(good), "--store", str(tmp_path / "s")],
                 ok=False)
    assert res.exit_code == 1
    assert "bad.nq: not N-Quads" in res.stderr and "Traceback" not in res.output
    from kg.backends.rdf.store import EmbeddedStore

    with EmbeddedStore(tmp_path / "s", read_only=True) as s:
        assert [g.value for g in s.document_graphs()] == ["https://w3id.org/kg-coop/doc/d1"]


def test_import_keeps_records_so_the_store_can_be_rebuilt(runner, tmp_path):
    """Without records an imported store cannot be rebuilt (a warning says so); with them,
    `kg store rebuild` gives the same dataset back."""
    one = sorted(EXAMPLES.glob("*.txt"))[0]
    store, nq, rec = tmp_path / "built", tmp_path / "built.nq", tmp_path / "rec.jsonl"
    invoke(runner, ["build", str(one), "--store", str(store), "-q"])
    invoke(runner, ["export", "--format", "nq", "--store", str(store), "-o", str(nq)])
    invoke(runner, ["extract", str(one), "-o", str(rec)])

    bare = invoke(runner, ["import", str(nq), "--store", str(tmp_path / "bare")])
    assert "0 extraction record(s)" in bare.stderr
    assert "Warning: no extraction records imported" in bare.stderr

    kept = tmp_path / "kept"
    res = invoke(runner, ["import", str(nq), "--records", str(rec), "--store", str(kept)])
    assert "1 extraction record(s)" in res.stderr and "Warning" not in res.stderr
    invoke(runner, ["store", "rebuild", "--store", str(kept)])
    (tmp_path / "again").mkdir()
    again = tmp_path / "again" / "part-00000"
    invoke(runner, ["export", "--format", "nq", "--store", str(kept), "-o", str(again)])
    assert _assert_isomorphic(nq, tmp_path / "again") == 3  # the document, scheme, ontology


def test_spark_build_with_neo4j_down_is_one_line_before_any_spark_work(runner, tmp_path):
    r = invoke(runner, ["spark", "build", str(EXAMPLES), "--out", str(tmp_path / "out"),
                        "--neo4j", "--neo4j-uri", "bolt://127.0.0.1:1",
                        "--neo4j-password", "x"], ok=False)
    assert r.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in r.stderr
    assert "Traceback" not in r.output and not (tmp_path / "out").exists()
