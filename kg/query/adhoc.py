"""Ad-hoc queries typed by a user: read-only on both backends, rows as plain values."""

from __future__ import annotations

import re
from typing import Any

from kg.errors import KgError

Rows = tuple[list[str], list[dict[str, Any]]]


def sparql(store: Any, text: str) -> Rows:
    """SELECT/ASK on the embedded store (opened read-only, so updates cannot run)."""
    try:
        rows = store.select(text)
    except KgError:
        if _looks_like_update(text):
            raise KgError("refused: ad-hoc queries are read-only (SPARQL updates "
                          "are not accepted)") from None
        raise
    return (list(rows[0].keys()) if rows else []), rows


def _looks_like_update(text: str) -> bool:
    # only to word the error: the read-only store is what refuses the update
    return bool(re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b",
                          text, re.I))


def cypher(neo: Any, text: str) -> Rows:
    """Cypher in a read transaction (the server refuses writes)."""
    rows = [plain(r) for r in neo.read(text)]
    return (list(rows[0].keys()) if rows else []), rows


def plain(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if hasattr(v, "items") and hasattr(v, "element_id"):
            out[k] = dict(v.items())
        else:
            out[k] = v
    return out
