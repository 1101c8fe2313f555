"""Record graph -> RDF. Each document's statements live in a named graph whose name is the
document IRI. A relation is a plain triple (for simple SPARQL) plus a kgo:Statement node that
reifies it with its evidence, confidence, offsets and extractor; positions are kgo:Position
statements carrying the title. So "who holds which title where" and "on what evidence" are
both one basic graph pattern away."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from kg.resolve.graph import DocGraph
from ontology.vocab import KGO, vocabulary

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
XSD = "http://www.w3.org/2001/XMLSchema#"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def k(local: str) -> NamedNode:
    return NamedNode(str(KGO[local]))


def _int(v: int) -> Literal:
    return Literal(str(int(v)), datatype=NamedNode(XSD + "integer"))


def _dec(v: float) -> Literal:
    return Literal(f"{float(v):.3f}", datatype=NamedNode(XSD + "decimal"))


def _document_value(key: str, value: str) -> Literal:
    """A publication date that is a calendar date is an xsd:date; everything else a string."""
    if key == "published" and ISO_DATE.match(value):
        return Literal(value, datatype=NamedNode(XSD + "date"))
    return Literal(value)


def doc_quads(g: DocGraph) -> Iterator[Quad]:
    voc = vocabulary()
    graph = NamedNode(g.iri)
    doc = NamedNode(g.iri)

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, graph)

    yield q(doc, RDF_TYPE, NamedNode(str(voc.document.iri)))
    yield q(doc, k("slug"), Literal(g.slug))
    if g.sha256:
        yield q(doc, k("sha256"), Literal(g.sha256))
    if g.headline:
        yield q(doc, k("headline"), Literal(g.headline))
    if g.chars is not None:
        yield q(doc, k("charCount"), _int(g.chars))
    for key, value in sorted(g.meta.items()):
        term = voc.document_fields.get(key)
        if term is not None and value:
            yield q(doc, NamedNode(str(term.iri)), _document_value(key, value))

    for n in g.nodes:
        s = NamedNode(n.iri)
        yield q(doc, NamedNode(str(voc.mentions.iri)), s)
        yield q(s, RDF_TYPE, NamedNode(str(voc.entity_types[n.type].iri)))
        if n.subtype:
            yield q(s, RDF_TYPE, NamedNode(str(voc.subtypes[n.subtype].iri)))
        yield q(s, k("name"), Literal(n.name))
        for a in sorted(n.aliases):
            yield q(s, k("alias"), Literal(a))
        for attr in ("kind", "status", "date"):
            v = getattr(n, attr)
            if v:
                yield q(s, k(attr), Literal(v))

    for e in g.edges:
        s, o = NamedNode(e.subject), NamedNode(e.object)
        p = NamedNode(str(voc.predicates[e.predicate].iri))
        yield q(s, p, o)
        st = NamedNode(voc.statement_base + e.statement_id())
        yield q(st, RDF_TYPE, k("Statement"))
        if e.predicate == "HOLDS_POSITION":
            yield q(st, RDF_TYPE, k("Position"))
            yield q(st, k("title"), Literal(e.title or ""))
        elif e.title:
            yield q(st, k("title"), Literal(e.title))
        yield q(st, RDF_SUBJECT, s)
        yield q(st, RDF_PREDICATE, p)
        yield q(st, RDF_OBJECT, o)
        yield q(st, k("evidence"), Literal(e.evidence))
        yield q(st, k("confidence"), _dec(e.confidence))
        yield q(st, k("sourceDocument"), doc)
        if e.sentence is not None:
            yield q(st, k("sentenceIndex"), _int(e.sentence))
        if e.start is not None:
            yield q(st, k("startChar"), _int(e.start))
        if e.end is not None:
            yield q(st, k("endChar"), _int(e.end))
        if e.extractor:
            yield q(st, k("extractor"), Literal(e.extractor))
