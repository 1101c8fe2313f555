"""Record graph -> RDF. Each document's statements live in a named graph whose name is the
document IRI. A relation is a plain triple (for simple SPARQL) plus a kgo:Statement node that
reifies it with its evidence, confidence, offsets and extractor; positions are kgo:Position
statements carrying the title. So "who holds which title where" and "on what evidence" are
both one basic graph pattern away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.backends.mapping import IRI, XSD, Column, mapping
from kg.resolve.graph import DocGraph
from ontology.vocab import KGO, vocabulary

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # publication dates typed xsd:date
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")


def k(local: str) -> NamedNode:
    return NamedNode(str(KGO[local]))


def literal(c: Column, v: Any) -> Literal | NamedNode:
    if c.datatype == IRI:
        return NamedNode(v)
    if c.datatype == XSD + "integer":
        return Literal(str(int(v)), datatype=NamedNode(c.datatype))
    if c.datatype == XSD + "decimal":
        return Literal(f"{float(v):.3f}", datatype=NamedNode(c.datatype))
    if c.datatype == XSD + "date" and ISO_DATE.match(str(v)):
        return Literal(str(v), datatype=NamedNode(c.datatype))
    return Literal(str(v))


def _values(c: Column, v: Any) -> list[Any]:
    if c.many:
        return sorted(v or ())
    return [] if v is None or v == "" else [v]


def doc_quads(g: DocGraph) -> Iterator[Quad]:
    voc = vocabulary()
    m = mapping()
    graph = NamedNode(g.iri)
    doc = NamedNode(g.iri)

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, graph)

    yield q(doc, RDF_TYPE, NamedNode(str(voc.document.iri)))
    row = g.document_row()
    for c in m.document:
        for v in _values(c, row.get(c.attr)):
            yield q(doc, NamedNode(c.iri), literal(c, v))

    for n in g.nodes:
        s = NamedNode(n.iri)
        yield q(doc, NamedNode(str(voc.mentions.iri)), s)
        yield q(s, RDF_TYPE, NamedNode(str(voc.entity_types[n.type].iri)))
        if n.subtype:
            yield q(s, RDF_TYPE, NamedNode(str(voc.subtypes[n.subtype].iri)))
        for c in m.entity:
            for v in _values(c, getattr(n, c.attr)):
                yield q(s, NamedNode(c.iri), literal(c, v))

    positions = "HOLDS_POSITION"  # reified as a kgo:Position, which always has a title
    for e in g.edges:
        s, o = NamedNode(e.subject), NamedNode(e.object)
        p = NamedNode(str(voc.predicates[e.predicate].iri))
        yield q(s, p, o)
        st = NamedNode(voc.statement_base + e.statement_id())
        yield q(st, RDF_TYPE, k("Statement"))
        if e.predicate == positions:
            yield q(st, RDF_TYPE, k("Position"))
            if not e.title:  # a position always says its title, even an unknown one
                yield q(st, k("title"), Literal(""))
        yield q(st, RDF_SUBJECT, s)
        yield q(st, RDF_PREDICATE, p)
        yield q(st, RDF_OBJECT, o)
        for c in m.statement:
            for v in _values(c, getattr(e, c.attr)):
                yield q(st, NamedNode(c.iri), literal(c, v))
