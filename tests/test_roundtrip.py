"""Both backends hold the same facts: a random resolved graph written to the embedded store and
to Neo4j reads back equal from each, offsets, extractor and evidence included (the mapping
table in kg.backends.mapping is the only place either backend learns an attribute's name)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.backends.neo4j.store import Neo4jStore
from kg.backends.rdf.store import EmbeddedStore
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import vocabulary

VOC = vocabulary()
ID = VOC.id_base
DOC = VOC.doc_base
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=16)
maybe = st.one_of(st.none(), text)
small = st.one_of(st.none(), st.integers(0, 100_000))


@st.composite
def node(draw, i: int) -> Node:
    etype = draw(st.sampled_from(sorted(VOC.entity_types)))
    n = Node(iri=f"{ID}{etype.lower()}/n{i}", type=etype, name=draw(text),
             aliases=set(draw(st.lists(text, max_size=3))))
    if etype == "Institution":
        n.subtype = draw(st.one_of(st.none(), st.sampled_from(sorted(VOC.subtypes))))
    if etype == "Agreement":
        n.kind = draw(st.sampled_from(sorted(VOC.agreement_kinds)))
        n.status = draw(st.sampled_from(sorted(VOC.agreement_statuses)))
        n.date = draw(st.one_of(st.none(), st.sampled_from(["2031", "2031-04", "2031-04-09"])))
    return n


@st.composite
def graphs(draw) -> list[DocGraph]:
    docs = []
    k = 0
    for d in range(draw(st.integers(1, 3))):
        nodes = []
        for _ in range(draw(st.integers(1, 4))):
            nodes.append(draw(node(k)))
            k += 1
        iri = f"{DOC}doc-{d}"
        g = DocGraph(slug=f"doc-{d}", iri=iri, nodes=nodes,
                     sha256=draw(st.one_of(st.none(), st.just("ab" * 32))),
                     headline=draw(maybe), chars=draw(small))
        for j in range(draw(st.integers(0, 5))):
            s, o = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            pred = draw(st.sampled_from(sorted(VOC.predicates)))
            g.edges.append(Edge(
                subject=s.iri, predicate=pred, object=o.iri, doc=iri,
                evidence=f"{draw(text)} #{d}.{j}", confidence=draw(st.integers(0, 1000)) / 1000,
                title=draw(maybe), sentence=draw(small), start=draw(small), end=draw(small),
                extractor=draw(maybe)))
        docs.append(g)
    return docs


def canon(parts) -> tuple:
    nodes, edges, docs = parts
    return (
        sorted((n.iri, n.type, n.subtype, n.name, tuple(sorted(n.aliases)), n.kind, n.status,
                n.date) for n in nodes),
        sorted((e.subject, e.predicate, e.object, e.doc, e.evidence, round(e.confidence, 3),
                e.title or None, e.sentence, e.start, e.end, e.extractor) for e in edges),
        sorted((d["iri"], d["slug"], d.get("sha256"), d.get("headline"), d.get("chars"),
                tuple(sorted(d["mentions"]))) for d in docs),
    )


def expected(docs: list[DocGraph]) -> tuple:
    nodes = {n.iri: n for g in docs for n in g.nodes}
    edges = {(e.doc, e.statement_id()): e for g in docs for e in g.edges}
    return canon((list(nodes.values()), list(edges.values()), [g.document_row() for g in docs]))


def write_rdf(path, docs: list[DocGraph]) -> None:
    with EmbeddedStore(path, create=True) as store, store.build(reset=True) as b:
        for g in docs:
            b.stage(g)


@pytest.mark.neo4j
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(docs=graphs())
def test_a_random_graph_reads_back_equal_from_both_backends(docs, tmp_path, clean_neo4j):
    path = tmp_path / uuid.uuid4().hex
    write_rdf(path, docs)
    want = expected(docs)
    with EmbeddedStore(path, read_only=True) as store:
        parts = store.read_graph()
    assert canon(parts) == want
    srv = clean_neo4j
    with Neo4jStore(srv["uri"], srv["user"], srv["password"]) as neo:
        neo._write("MATCH (n) DETACH DELETE n")
        neo.load(*parts)
        assert canon(neo.read_graph()) == want
