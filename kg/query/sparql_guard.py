"""What an ad-hoc SPARQL text is allowed to be, decided from its parse tree (rdflib's SPARQL
grammar), never from string matching: a query, not an update, and without SERVICE clauses
(federated queries reach other servers) unless the user enables them explicitly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.errors import KgError, ReadOnlyViolation


class ServiceRefused(KgError):
    """A SPARQL query contains SERVICE and federation was not enabled."""


def _node_names(tree: Any) -> Iterator[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            yield x.name
            stack.extend(x.values())
        elif isinstance(x, list | tuple | ParseResults):
            stack.extend(x)


def check_sparql(text: str, allow_service: bool = False) -> None:
    """Raise ReadOnlyViolation for an update, ServiceRefused for SERVICE (unless allowed) and
    KgError for text that is no SPARQL query kg can check."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    full = text  # prefixes are resolved later, so error positions are the user's own
    try:
        tree = parseQuery(full)
    except Exception as exc:  # pyparsing raises several types
        try:
            parseUpdate(full)
        except Exception:  # noqa: BLE001 - neither a query nor an update
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise KgError(f"SPARQL syntax error: {msg[:200]}") from None
        raise ReadOnlyViolation("refused: ad-hoc queries are read-only (SPARQL updates are "
                                "not accepted)") from None
    if not allow_service and "ServiceGraphPattern" in set(_node_names(tree)):
        raise ServiceRefused("refused: the query uses SERVICE (a federated query to another "
                             "server); pass --allow-service to enable it")
