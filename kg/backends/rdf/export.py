"""RDF export formats: one registry with aliases and one get(), like rdflib's plugin registry."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UsageError


@dataclass(frozen=True)
class Format:
    name: str
    oxigraph: ox.RdfFormat
    rdflib: str  # rdflib parser name, to read an export back
    quads: bool  # keeps the per-document named graphs
    suffix: str


FORMATS: dict[str, Format] = {
    f.name: f for f in [
        Format("turtle", ox.RdfFormat.TURTLE, "turtle", False, ".ttl"),
        Format("nt", ox.RdfFormat.N_TRIPLES, "nt", False, ".nt"),
        Format("nq", ox.RdfFormat.N_QUADS, "nquads", True, ".nq"),
        Format("trig", ox.RdfFormat.TRIG, "trig", True, ".trig"),
        Format("jsonld", ox.RdfFormat.JSON_LD, "json-ld", True, ".jsonld"),
        Format("xml", ox.RdfFormat.RDF_XML, "xml", False, ".rdf"),
    ]
}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nquads": "nq",
           "n-quads": "nq", "json-ld": "jsonld", "rdfxml": "xml", "rdf": "xml",
           "rdf/xml": "xml"}


def get(name: str) -> Format:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise UsageError(f"Unknown format {name!r}. Available: {', '.join(FORMATS)}")
    return FORMATS[key]
