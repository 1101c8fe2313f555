"""Ad-hoc queries typed by a user: read-only on both backends, bounded in time and rows,
checked structurally before they run (SPARQL from its parse tree: no updates, no SERVICE
unless allowed; Cypher from its EXPLAIN plan: no LOAD CSV, no procedures beyond the schema
readers), rows as plain values."""

from __future__ import annotations

from typing import Any

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


def plain(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if hasattr(v, "items") and hasattr(v, "element_id"):
            out[k] = dict(v.items())
        else:
            out[k] = v
    return out
