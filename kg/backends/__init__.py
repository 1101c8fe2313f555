"""Stage 4, backends: where the resolved graph is stored and read back (RDF, Neo4j).

Every backend answers the same four questions, so the query, why, viz and export layers never
ask which one they hold: read the whole graph, list entity names for lookups, run a saved
question with bound values, close. Backends register by name, like the export formats; the
module behind a name is imported only when it is opened (the Neo4j driver stays unloaded for
RDF work)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.query.limits import Answer, Limits
    from kg.resolve.graph import Edge, Node

GraphParts = tuple[list["Node"], list["Edge"], list[dict[str, Any]]]
EntityNames = list[tuple[str, str, list[str]]]
Rows = tuple[list[str], list[dict[str, Any]]]


@runtime_checkable
class SavedQueryLike(Protocol):
    """What a backend needs of a saved question (kg.query.saved.SavedQuery)."""

    sparql: str
    cypher: str

    @property
    def entity_params(self) -> list[str]: ...

    @property
    def sparql_columns(self) -> list[str]: ...

    @property
    def cypher_columns(self) -> list[str]: ...


@runtime_checkable
class GraphBackend(Protocol):
    """A store kg can read its graph back from."""

    name: str

    def read_graph(self) -> GraphParts:
        """Nodes, one Edge per piece of evidence, and the documents with their mentions."""
        ...

    def entity_names(self) -> EntityNames:
        """(iri, name, aliases) of every entity, each once."""
        ...

    def run_saved(self, query: SavedQueryLike, values: dict[str, Any],
                  limits: Limits | None = None) -> Answer:
        """Answer a saved question whose entity parameters are already IRIs, within
        `limits` (kg.query.limits.Limits: time and rows); the answer unpacks as (cols, rows)
        and says whether it was truncated."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphBackend: ...

    def __exit__(self, *exc: object) -> None: ...


_REGISTRY: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Register `module:factory` under a backend name (factory(**options) -> GraphBackend)."""
    _REGISTRY[name] = target


def names() -> list[str]:
    return sorted(_REGISTRY)


def factory(name: str) -> Callable[..., GraphBackend]:
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown backend {name!r}; known: {', '.join(names())}") from None
    module, _, attr = target.partition(":")
    make: Callable[..., GraphBackend] = getattr(import_module(module), attr)
    return make


def open_backend(name: str = "rdf", **options: Any) -> GraphBackend:
    """Open a backend for reading: `rdf` takes `store=PATH`; `neo4j` takes `uri`, `user`,
    `password`, `database`. Options the backend does not take are left out, so a caller (the
    CLI) can offer every backend's settings without knowing which one it opens."""
    make = factory(name)
    accepted = inspect.signature(make).parameters
    return make(**{k: v for k, v in options.items() if k in accepted})


register("rdf", "kg.backends.rdf.store:open_reader")
register("neo4j", "kg.backends.neo4j.store:open_reader")
