"""SHACL validation of the stored graph with the ontology's shapes (pyshacl)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef

from kg.backends.rdf.store import EmbeddedStore, open_reader
from kg.errors import KgError
from ontology.vocab import ontology_graph, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class Violation:
    focus: str
    shape: str
    path: str
    message: str

    def line(self) -> str:
        return f"{self.focus}: {self.message} (shape {self.shape}, path {self.path})"


def validate_store(store: Path | str | None = None) -> tuple[list[Violation], int]:
    """Violations of the stored graph, and how many triples were checked."""
    with open_reader(store) as st:
        g = store_as_rdflib(st)
    n = len(g)
    return validate_graph(g), n


def validate_file(path: Path) -> tuple[list[Violation], int]:
    g = parse_rdf_file(path)
    n = len(g)
    return validate_graph(g), n


def parse_rdf_file(path: Path) -> Graph:
    """An RDF file (any rdflib format, guessed from the suffix) as one graph."""
    from rdflib import Dataset
    from rdflib.util import guess_format

    fmt = guess_format(str(path)) or "turtle"
    data = _safe_bytes(path, fmt)
    try:
        if fmt in {"nquads", "trig"}:
            ds = Dataset()
            ds.parse(data=data, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads():
                g.add((s, p, o))
            return g
        g = Graph()
        g.parse(data=data, format=fmt)
        return g
    except Exception as exc:  # rdflib raises many parser-specific types
        line = getattr(exc, "lines", None) or getattr(exc, "line", None)
        where = f" (line {line})" if line else ""
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: malformed RDF{where}: {msg[:200]}") from None


def _safe_bytes(path: Path, fmt: str) -> bytes:
    """The file's bytes, refused when parsing them would reach outside or blow up: RDF/XML
    with a DTD (entity declarations expand without bound: "billion laughs"), JSON-LD naming a
    remote context (rdflib would fetch it over the network). A data file is read offline."""
    if not path.is_file():
        raise KgError(f"{path}: not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KgError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if fmt in {"xml", "trix"} and re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.I):
        raise KgError(f"{path}: refused: XML with a DTD (<!DOCTYPE>/<!ENTITY>); entity "
                      "declarations are not accepted")
    if fmt == "json-ld":
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise KgError(f"{path}: malformed RDF: not JSON ({exc})"[:240]) from None
        remote = _remote_context(doc)
        if remote is not None:
            raise KgError(f"{path}: refused: the JSON-LD names a remote context ({remote[:100]}); "
                          "kg reads data offline, inline the context")
    return data


def _remote_context(node: object) -> str | None:
    """The first context reference (a string, or an @import) anywhere in a JSON-LD tree."""
    if isinstance(node, list):
        return next((r for r in map(_remote_context, node) if r is not None), None)
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        if key == "@context":
            for ctx in value if isinstance(value, list) else [value]:
                if isinstance(ctx, str):
                    return ctx
                if isinstance(ctx, dict) and isinstance(ctx.get("@import"), str):
                    return str(ctx["@import"])
        found = _remote_context(value)
        if found is not None:
            return found
    return None


def store_as_rdflib(store: EmbeddedStore) -> Graph:
    g = Graph()
    for t in store.triples():
        g.add((_rl(t.subject), _rl(t.predicate), _rl(t.object)))
    return g


def _rl(term):  # pyoxigraph term -> rdflib term
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    from rdflib import BNode

    return BNode(term.value)


def validate_graph(data: Graph) -> list[Violation]:
    """Check `data` (which gains the ontology's triples: the SPARQL constraints read the
    schemes, e.g. which notations kgo:kind takes)."""
    data += ontology_graph()
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none",
        abort_on_first=False, allow_warnings=False)
    if conforms:
        return []
    out = []
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(r, SH.focusNode)
        shape = report.value(r, SH.sourceShape)
        path = report.value(r, SH.resultPath)
        msg = report.value(r, SH.resultMessage)
        shape_name = str(shape) if isinstance(shape, URIRef) else _shape_name(shape, report)
        out.append(Violation(str(focus), shape_name, str(path) if path else "-", str(msg)))
    return sorted(out, key=lambda v: (v.focus, v.shape, v.path, v.message))


def _shape_name(shape, report: Graph) -> str:
    """Property shapes are blank nodes: name them by the node shape that holds them."""
    sg = shapes_graph()
    for parent in sg.subjects(SH.property, shape):
        return str(parent)
    return "anonymous shape"
