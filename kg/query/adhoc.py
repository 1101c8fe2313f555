"""Ad-hoc queries typed by a user: read-only on both backends, bounded in time and rows,
checked structurally before they run (SPARQL from its parse tree: no updates, no SERVICE
unless allowed; Cypher from its EXPLAIN plan: no LOAD CSV, no procedures beyond the schema
readers), rows as plain values."""

from __future__ import annotations

import re
from typing import Any

from kg.errors import KgError
from kg.query.limits import Answer, Limits


def sparql(store: Any, text: str, limits: Limits | None = None,
           allow_service: bool = False) -> Answer:
    """SELECT/ASK on the embedded store, in a worker that opens it read-only and checks the
    text (kg.query.sparql_guard) before running it, both within the time limit."""
    from kg.query.sparql_worker import run_sparql

    return run_sparql(store, text, None, limits or Limits(),
                      check={"allow_service": allow_service})


def cypher(neo: Any, text: str, limits: Limits | None = None) -> Answer:
    """Cypher in a read transaction (the server refuses writes), after its plan is checked."""
    neo.check_plan(text)
    res = neo.read_bounded(text, None, limits or Limits())
    res.rows = [plain(r) for r in res.rows]
    return res


def is_graph_query(text: str) -> bool:
    """CONSTRUCT or DESCRIBE, read from the parse tree (a query that does not parse is left to
    the worker, which names the syntax error)."""
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        return parseQuery(text)[1].name in ("ConstructQuery", "DescribeQuery")
    except Exception:  # noqa: BLE001  (any parse failure: not ours to report here)
        return False


def sparql_graph(store: Any, text: str) -> list[Any] | None:
    """The triples of a CONSTRUCT or DESCRIBE (None for SELECT/ASK, which return rows)."""
    import pyoxigraph as ox

    try:
        result = store.raw_query(text)
    except KgError:
        if _looks_like_update(text):
            raise KgError("refused: ad-hoc queries are read-only (SPARQL updates "
                          "are not accepted)") from None
        raise
    except (RuntimeError, ValueError) as exc:
        raise KgError(f"SPARQL error: {str(exc).splitlines()[0][:200]}") from None
    return list(result) if isinstance(result, ox.QueryTriples) else None


ROW_FORMATS = ("table", "json", "csv")


def sparql_rdf(store: Any, text: str, fmt: str, out: Any) -> bool:
    """Write a CONSTRUCT/DESCRIBE result to `out` in an export format and say so; False for
    SELECT/ASK (whose rows the caller renders). A row format asks for a graph: Turtle."""
    from kg.backends.rdf import export as formats
    from kg.backends.rdf.store import serialize
    from kg.errors import UsageError

    if fmt not in ROW_FORMATS:
        formats.get(fmt)  # an unknown name is a usage error before the query runs
    triples = sparql_graph(store, text)
    if triples is None:
        if fmt not in ROW_FORMATS:
            raise UsageError(f"--format {fmt}: SELECT and ASK give rows: "
                             f"{', '.join(ROW_FORMATS)}")
        return False
    f = formats.get("turtle" if fmt in ROW_FORMATS else fmt)
    if f.quads:  # a query result has no named graphs: the triples in the default graph
        import pyoxigraph as ox

        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    serialize(triples, out, f.oxigraph)
    return True


def _looks_like_update(text: str) -> bool:
    # only to word the error: the read-only store is what refuses the update
    return bool(re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b",
                          text, re.I))




def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A Cypher row as JSON-like values: nodes, relationships and paths become objects
    (labels or type, properties, ends), temporal and spatial values their ISO text."""
    return {k: value(v) for k, v in row.items()}


def value(v: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(v, Node):
        return {"labels": sorted(v.labels), "properties": {k: value(x) for k, x in v.items()}}
    if isinstance(v, Relationship):
        return {"type": v.type, "start": _name(v.start_node), "end": _name(v.end_node),
                "properties": {k: value(x) for k, x in v.items()}}
    if isinstance(v, Path):
        return {"nodes": [value(n) for n in v.nodes],
                "relationships": [value(r) for r in v.relationships]}
    if isinstance(v, list | tuple):
        return [value(x) for x in v]
    if isinstance(v, dict):
        return {k: value(x) for k, x in v.items()}
    if v is None or isinstance(v, str | int | float | bool):
        return v
    iso = getattr(v, "iso_format", None)
    return iso() if callable(iso) else str(v)


def _name(n: Any) -> Any:
    """A relationship end: its kg IRI (or name) when the node is known, else its id."""
    if n is None:
        return None
    return n.get("iri") or n.get("name") or n.element_id
