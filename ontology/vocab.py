"""The ontology, read once from the package data: every label, relationship type, IRI base and
sector label that code needs comes from here, so the Turtle files stay the single source."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef

KGO = Namespace("https://w3id.org/kg-coop/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-coop/ontology")
ASSETS = ("kg.ttl", "sectors.ttl", "shapes.ttl")


def asset_text(name: str) -> str:
    return (files("ontology") / name).read_text(encoding="utf-8")


@cache
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(data=asset_text("kg.ttl"), format="turtle")
    return g


@cache
def sector_graph() -> Graph:
    g = Graph()
    g.parse(data=asset_text("sectors.ttl"), format="turtle")
    return g


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(data=asset_text("shapes.ttl"), format="turtle")
    return g


@dataclass(frozen=True)
class Term:
    iri: URIRef
    local: str
    jsonl: str  # "" when the term has no JSONL name
    neo4j: str  # "" when the term has no Neo4j name
    label: str
    color: str | None = None


@dataclass(frozen=True)
class SectorConcept:
    iri: URIRef
    pref: str
    alts: tuple[str, ...]
    broader: URIRef | None


@dataclass(frozen=True)
class ValueConcept:
    """A controlled value (an agreement kind or status): notation is what records hold."""

    iri: URIRef
    notation: str
    label: str
    precedence: int
    words: tuple[str, ...] = ()  # nouns that name it (skos:altLabel)
    verbs: tuple[str, ...] = ()  # kgo:triggerVerb: "lemma" or "lemma particle"
    modifiers: tuple[str, ...] = ()  # kgo:kindModifier


@dataclass(frozen=True)
class Vocabulary:
    id_base: str
    doc_base: str
    statement_base: str
    entity_types: dict[str, Term]  # JSONL type -> term
    subtypes: dict[str, Term]  # JSONL subtype -> term
    predicates: dict[str, Term]  # JSONL predicate -> term
    attributes: dict[str, Term]  # local name -> datatype property term
    document: Term = field(repr=False, default=None)  # type: ignore[assignment]
    # record meta key (url, title, published, site, source) -> the shared term on documents
    document_fields: dict[str, Term] = field(default_factory=dict)
    mentions: Term = field(repr=False, default=None)  # type: ignore[assignment]
    sectors: tuple[SectorConcept, ...] = ()
    agreement_kinds: dict[str, ValueConcept] = field(default_factory=dict)  # notation -> concept
    agreement_statuses: dict[str, ValueConcept] = field(default_factory=dict)

    def predicate_by_iri(self, iri: str) -> Term:
        for t in self.predicates.values():
            if str(t.iri) == str(iri):
                return t
        raise KeyError(iri)

    def sector_by_name(self, name: str) -> SectorConcept | None:
        key = name.casefold()
        for s in self.sectors:
            if s.pref.casefold() == key:
                return s
        return None

    @property
    def neo4j_labels(self) -> list[str]:
        terms = [*self.entity_types.values(), *self.subtypes.values(), self.document]
        return [t.neo4j for t in terms if t.neo4j]

    @property
    def neo4j_types(self) -> list[str]:
        return [t.neo4j for t in [*self.predicates.values(), self.mentions] if t.neo4j]


def iris(g: Graph, p: URIRef, o: URIRef) -> list[URIRef]:
    """The IRI subjects of (?, p, o), sorted (rdflib types them as any node)."""
    return sorted(s for s in g.subjects(p, o) if isinstance(s, URIRef))


def _iri(v: object) -> URIRef | None:
    return v if isinstance(v, URIRef) else None


def _term(g: Graph, iri: URIRef) -> Term:
    def val(p: URIRef) -> str | None:
        v = g.value(iri, p)
        return str(v) if v is not None else None

    return Term(
        iri=iri,
        local=str(iri).split("#")[-1],
        jsonl=val(KGO.jsonlName) or "",
        neo4j=val(KGO.neo4jName) or "",
        label=val(RDFS.label) or str(iri),
        color=val(KGO.color),
    )


@cache
def vocabulary() -> Vocabulary:
    g = ontology_graph()

    def base(p: URIRef) -> str:
        return str(g.value(ONTOLOGY_IRI, p))

    entity_types: dict[str, Term] = {}
    subtypes: dict[str, Term] = {}
    predicates: dict[str, Term] = {}
    attributes: dict[str, Term] = {}
    for cls in iris(g, RDF.type, OWL.Class):
        t = _term(g, cls)
        if (cls, RDFS.subClassOf, KGO.Institution) in g:
            subtypes[t.jsonl] = t
        elif (cls, RDFS.subClassOf, KGO.Entity) in g and t.jsonl:
            entity_types[t.jsonl] = t
    for p in iris(g, RDF.type, OWL.ObjectProperty):
        t = _term(g, p)
        if t.jsonl:
            predicates[t.jsonl] = t
    document_fields = {}
    for p in iris(g, RDF.type, OWL.DatatypeProperty):
        t = _term(g, p)
        if (p, KGO.describes, KGO.Document) in g:
            document_fields[t.jsonl] = t
        else:
            attributes[t.local] = t

    sg = sector_graph()
    sectors = []
    for c in iris(sg, RDF.type, SKOS.Concept):
        sectors.append(
            SectorConcept(
                iri=c,
                pref=str(sg.value(c, SKOS.prefLabel)),
                alts=tuple(sorted(str(a) for a in sg.objects(c, SKOS.altLabel))),
                broader=_iri(sg.value(c, SKOS.broader)),
            )
        )
    def scheme(s: URIRef) -> dict[str, ValueConcept]:
        def words(c: URIRef, p: URIRef) -> tuple[str, ...]:
            return tuple(sorted(str(w) for w in g.objects(c, p)))

        out = [ValueConcept(iri=c, notation=str(g.value(c, SKOS.notation)),
                            label=str(g.value(c, SKOS.prefLabel)),
                            precedence=int(str(g.value(c, KGO.precedence))),
                            words=words(c, SKOS.altLabel), verbs=words(c, KGO.triggerVerb),
                            modifiers=words(c, KGO.kindModifier))
               for c in iris(g, SKOS.inScheme, s)]
        return {c.notation: c for c in sorted(out, key=lambda c: c.precedence)}

    return Vocabulary(
        agreement_kinds=scheme(KGO.agreementKinds),
        agreement_statuses=scheme(KGO.agreementStatuses),
        id_base=base(KGO.idBase),
        doc_base=base(KGO.documentBase),
        statement_base=base(KGO.statementBase),
        entity_types=entity_types,
        subtypes=subtypes,
        predicates=predicates,
        attributes=attributes,
        document=_term(g, KGO.Document),
        document_fields=document_fields,
        mentions=_term(g, KGO.mentions),
        sectors=tuple(sectors),
    )


def fold(text: str) -> str:
    """Comparison key for names: no diacritics (đ included), case-folded, letters and digits only.

    The same normalisation as the spec's scorer, so resolution and evaluation agree."""
    s = unicodedata.normalize("NFKD", text or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("đ", "d").replace("Đ", "D").casefold()
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"[^0-9a-z]+", "", s)


def slugify(text: str) -> str:
    """IRI-safe, readable, diacritic-free slug."""
    s = unicodedata.normalize("NFKD", text or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("đ", "d").replace("Đ", "D").lower()
    s = re.sub(r"[^0-9a-z]+", "-", s).strip("-")
    return s or "x"
