"""What the job writes: records JSONL, the graph as N-Quads, and the rows Neo4j is loaded
from, all computed from the DocGraphs, partitioned."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from kg.backends.mapping import mapping
from kg.backends.neo4j.store import doc_row, node_row, rel_row
from kg.backends.rdf.mapping import doc_quads
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import asset_text, vocabulary


def nquad_lines(g: DocGraph) -> list[str]:
    """One document's named graph, as the store holds it (kg.backends.rdf.mapping), passed
    through an in-memory oxigraph store so literals take the store's canonical forms
    ("0.850"^^xsd:decimal is stored and exported as "0.85")."""
    mem = ox.Store()
    mem.extend(doc_quads(g))
    data = ox.serialize(mem, format=ox.RdfFormat.N_QUADS) or b""
    return data.decode("utf-8").splitlines()


def static_lines() -> list[str]:
    """The sector scheme and the ontology, in the graphs a build publishes them to."""
    from kg.backends.rdf.store import ontology_graph_name, scheme_graph

    mem = ox.Store()
    for graph, asset in ((scheme_graph(), "sectors.ttl"), (ontology_graph_name(), "kg.ttl")):
        triples = ox.parse(asset_text(asset).encode("utf-8"), format=ox.RdfFormat.TURTLE)
        mem.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return (ox.serialize(mem, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines()


# ---------------------------------------------------------------- Neo4j rows
# The store's reading of the graph (EmbeddedStore.read_graph), computed per key instead of
# by SPARQL: a node's aliases are every document's, its subtype the last in IRI order; a
# relationship's evidence is listed in the store's order (title, document, sentence, text).

def node_parts(n: int, g: DocGraph) -> Iterator[tuple[str, tuple[int, Node]]]:
    for node in g.nodes:
        yield node.iri, (n, node)


def merge_nodes(parts: Iterable[tuple[int, Node]]) -> dict[str, Any]:
    """One node row from every document's copy (`parts`: (document index, node))."""
    voc = vocabulary()
    nodes = [node for _, node in sorted(parts, key=lambda p: p[0])]
    first = nodes[0]
    subs = sorted({n.subtype for n in nodes if n.subtype},
                  key=lambda s: str(voc.subtypes[s].iri))
    merged = Node(iri=first.iri, type=first.type, name=first.name,
                  subtype=subs[-1] if subs else None,
                  aliases=set().union(*(n.aliases for n in nodes)))
    last = nodes[-1]
    merged.kind, merged.status, merged.date = last.kind, last.status, last.date
    return {"type": merged.type, "subtype": merged.subtype, **node_row(merged, mapping())}


def stored_edge(e: Edge) -> Edge:
    """The edge as read back from the store: confidence to the 3 decimals it is written with,
    HOLDS_POSITION with a title (possibly empty), no empty title otherwise."""
    title = (e.title or "") if e.predicate == "HOLDS_POSITION" else (e.title or None)
    return Edge(subject=e.subject, predicate=e.predicate, object=e.object, doc=e.doc,
                evidence=e.evidence, confidence=float(f"{float(e.confidence):.3f}"),
                title=title, sentence=e.sentence, start=e.start, end=e.end,
                extractor=e.extractor or None)


def _labels(g: DocGraph) -> dict[str, str]:
    """Each node's Neo4j label (an IRI has one type, so every document agrees)."""
    voc = vocabulary()
    return {n.iri: voc.entity_types[n.type].neo4j for n in g.nodes}


def edge_parts(g: DocGraph) -> Iterator[tuple[tuple, Edge]]:
    """(subject, predicate, object, title, subject label, object label) -> the edge: the
    labels ride in the key so the Neo4j write can MATCH both ends by label."""
    label = _labels(g)
    for e in g.edges:
        s = stored_edge(e)
        if s.subject in label and s.object in label:
            yield (s.subject, s.predicate, s.object, s.title or "", label[s.subject],
                   label[s.object]), s


def _store_order(e: Edge) -> tuple:
    return (e.title or "", e.doc, -1 if e.sentence is None else e.sentence, e.evidence)


def rel_group(key: tuple, edges: Iterable[Edge]) -> dict[str, Any]:
    return {"predicate": key[1], "sl": key[4], "ol": key[5],
            **rel_row(key[:4], sorted(edges, key=_store_order), mapping())}


def doc_part(g: DocGraph) -> dict[str, Any]:
    return doc_row(g.document_row(), mapping())


def mention_parts(g: DocGraph) -> list[dict[str, str]]:
    """The document's MENTIONS rows, each with the mentioned entity's label."""
    label = _labels(g)
    return [{"d": g.iri, "m": m, "label": label[m]}
            for m in g.document_row().get("mentions", []) if m in label]
