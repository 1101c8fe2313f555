"""Where each attribute of the resolved graph lives in each backend, read from the ontology.

One table, both backends, both directions: the RDF writer and reader and the Neo4j loader and
reader all walk these columns, so the two stores hold the same facts and an attribute added to
kg.ttl (with its kgo:neo4jName) reaches both without touching backend code.

A column's `attr` is its kgo:neo4jName, which is also the field of `Node`/`Edge` and the key of
a document row. Its owner comes from rdfs:domain: statement attributes (evidence, offsets, ...)
belong to one piece of evidence; in Neo4j one relationship gathers every piece of evidence of
the same fact, so each statement attribute is a list under kgo:neo4jListName, aligned by
position. Neo4j lists hold no nulls: a missing integer is stored as -1, a missing string as ""."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import OWL, RDF, RDFS, URIRef

from ontology.vocab import KGO, iris, ontology_graph

XSD = "http://www.w3.org/2001/XMLSchema#"
IRI = "iri"  # datatype of an object property's value
STATEMENT_CLASSES = {KGO.Statement, KGO.Position}


@dataclass(frozen=True)
class Column:
    attr: str
    iri: str
    datatype: str  # an xsd IRI, or IRI for object properties
    neo4j: str
    neo4j_list: str | None  # statement attributes only
    many: bool  # not functional: several values (aliases), kept as a sorted list

    def missing(self) -> Any:
        """The stand-in for None inside a Neo4j list."""
        return -1 if self.datatype == XSD + "integer" else ""

    def from_list_item(self, v: Any) -> Any:
        return None if v is None or v == self.missing() else v


@dataclass(frozen=True)
class Mapping:
    entity: tuple[Column, ...]
    statement: tuple[Column, ...]
    document: tuple[Column, ...]

    def column(self, attr: str) -> Column:
        for c in (*self.entity, *self.statement, *self.document):
            if c.attr == attr:
                return c
        raise KeyError(attr)


@cache
def mapping() -> Mapping:
    g = ontology_graph()
    owners: dict[str, list[Column]] = {"entity": [], "statement": [], "document": []}
    props = [(p, xsd_of(g, p)) for p in iris(g, RDF.type, OWL.DatatypeProperty)]
    props += [(p, IRI) for p in iris(g, RDF.type, OWL.ObjectProperty)
              if set(g.objects(p, RDFS.domain)) & STATEMENT_CLASSES
              and g.value(p, KGO.neo4jListName) is not None]
    for p, datatype in props:
        neo = g.value(p, KGO.neo4jName)
        if neo is None:
            continue
        domains = set(g.objects(p, RDFS.domain))
        # shared terms (schema:url, dcterms:title, ...) name their class with kgo:describes
        owner = ("statement" if domains & STATEMENT_CLASSES else
                 "document" if KGO.Document in domains or
                 (p, KGO.describes, KGO.Document) in g else "entity")
        lst = g.value(p, KGO.neo4jListName)
        owners[owner].append(Column(
            attr=str(neo), iri=str(p), datatype=datatype, neo4j=str(neo),
            neo4j_list=str(lst) if lst is not None else None,
            many=(p, RDF.type, OWL.FunctionalProperty) not in g))
    return Mapping(entity=tuple(owners["entity"]), statement=tuple(owners["statement"]),
                   document=tuple(owners["document"]))


def xsd_of(g: Any, p: URIRef) -> str:
    rng = g.value(p, RDFS.range)
    return str(rng) if rng is not None else XSD + "string"
