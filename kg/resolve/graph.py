"""The resolved graph: entities with stable IRIs and edges with provenance, one DocGraph per
document. Both stores are written from it and Neo4j is loaded from it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    iri: str
    type: str  # JSONL entity type
    name: str
    subtype: str | None = None
    aliases: set[str] = field(default_factory=set)
    kind: str | None = None
    status: str | None = None
    date: str | None = None


@dataclass
class Edge:
    subject: str  # IRI
    predicate: str  # JSONL predicate
    object: str  # IRI
    doc: str  # document IRI
    evidence: str
    confidence: float
    title: str | None = None
    sentence: int | None = None
    start: int | None = None
    end: int | None = None
    extractor: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.subject, self.predicate, self.object, self.title or "")

    def statement_id(self) -> str:
        """Stable per (document, relation, title, sentence): rebuilding mints the same IRI."""
        raw = "\x1f".join([self.doc, *self.key, str(self.sentence), self.evidence])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


@dataclass
class DocGraph:
    slug: str
    iri: str
    sha256: str | None = None
    headline: str | None = None
    chars: int | None = None
    extractor: str | None = None  # what read it (a later build skips it unless this changes)
    # what the input said about the document: record meta key (url, title, published, site,
    # source) -> value; the ontology's document fields name them in RDF and Neo4j
    meta: dict[str, str] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def document_row(self) -> dict[str, Any]:
        """The document as backends read it back: attributes by their Neo4j names."""
        return {"iri": self.iri, "slug": self.slug, "sha256": self.sha256,
                "headline": self.headline, "chars": self.chars, "extractor": self.extractor,
                **self.meta,
                "mentions": sorted(n.iri for n in self.nodes)}
