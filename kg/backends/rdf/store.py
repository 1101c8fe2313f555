"""The embedded RDF store: a pyoxigraph (RocksDB) dataset on disk, no server.

A build stages each document's quads in a private graph, in batches, and publishes them all in
one SPARQL update at the end (oxigraph applies an update in one transaction). Readers only ever
see published graphs, so a build that dies midway leaves the previous graph as it was; the
next build sweeps the orphaned staging graphs."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.backends.mapping import Column, mapping
from kg.backends.rdf import integrity
from kg.backends.rdf.mapping import doc_quads
from kg.errors import StoreError
from kg.query.limits import Answer, Limits
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import asset_text, vocabulary

STAGING = "urn:kg:staging:"
PREFIXES = """PREFIX kgo: <https://w3id.org/kg-coop/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
XSD_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


def default_store_path() -> Path:
    return Path(os.environ.get("KG_STORE") or ".kg/store")


def scheme_graph() -> ox.NamedNode:
    return ox.NamedNode("https://w3id.org/kg-coop/sector/scheme")


def ontology_graph_name() -> ox.NamedNode:
    return ox.NamedNode("https://w3id.org/kg-coop/ontology")


def to_python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        conv = XSD_NUMERIC.get(term.datatype.value)
        if conv is not None:
            try:
                return conv(term.value)
            except ValueError:
                return term.value
        if term.datatype.value.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class BuildStats:
    documents: int = 0
    quads: int = 0


def open_reader(store: Path | str | None = None) -> EmbeddedStore:
    """The registry's factory: every reader opens the store read-only."""
    return EmbeddedStore(store, create=False, read_only=True)


class EmbeddedStore:
    name = "rdf"

    def __init__(self, path: Path | str | None = None, *, create: bool = True,
                 read_only: bool = False) -> None:
        self.path = Path(path) if path else default_store_path()
        if not create and not (self.path / "CURRENT").exists():
            raise StoreError(f"no graph store at {self.path}: run 'kg build PATH' first "
                             "(or set KG_STORE)")
        if not read_only:
            integrity.ensure_writable(self.path)  # never write into a user's folder
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            if integrity.is_damage(exc):
                raise integrity.damaged(self.path, exc) from None
            if "lock" in msg.lower():
                raise StoreError(f"the store {self.path} is in use by another kg process "
                                 "(a build is running); try again when it finishes") from None
            raise StoreError(f"cannot open the store {self.path}: {msg}") from None
        if not read_only:
            integrity.write_marker(self.path)

    def close(self) -> None:
        # No flush(): on pyoxigraph 0.4 a flush in a session that wrote nothing leaves the
        # next open failing with "SST file is ahead of WALs"; the WAL already makes writes
        # durable.
        del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading
    def published_graphs(self) -> list[ox.NamedNode]:
        return sorted(
            (g for g in self._store.named_graphs()
             if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING)),
            key=lambda g: g.value,
        )

    def document_graphs(self) -> list[ox.NamedNode]:
        base = vocabulary().doc_base
        return [g for g in self.published_graphs() if g.value.startswith(base)]

    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT over the union of published graphs, with bound values, as Python rows."""
        result = self.raw_query(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return [{"result": bool(result)}]
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("only SELECT and ASK queries return rows")
        names = [v.value for v in result.variables]
        return [{n: to_python(sol[n]) for n in names} for sol in result]

    def raw_query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        graphs: list[Any] = list(self.published_graphs())
        try:
            return self._store.query(
                sparql if "PREFIX kgo:" in sparql else PREFIXES + sparql,
                default_graph=graphs or [ox.DefaultGraph()],
                named_graphs=graphs,
                substitutions=subs,
            )
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
        except (OSError, RuntimeError) as exc:
            if integrity.is_damage(exc):
                raise integrity.damaged(self.path, exc) from None
            raise

    def entity_names(self) -> list[tuple[str, str, list[str]]]:
        """One row per entity and alias: EXISTS, not a join, so an entity mentioned in a
        thousand documents is read once."""
        rows = self.select("""SELECT DISTINCT ?e ?name ?alias WHERE {
            ?e kgo:name ?name . FILTER EXISTS { ?d kgo:mentions ?e }
            OPTIONAL { ?e kgo:alias|skos:altLabel ?alias } } ORDER BY ?e ?alias""")
        out: dict[str, tuple[str, list[str]]] = {}
        for r in rows:
            name, aliases = out.setdefault(r["e"], (r["name"], []))
            if r.get("alias") and r["alias"] not in aliases:
                aliases.append(r["alias"])
        return [(e, n, a) for e, (n, a) in out.items()]

    def run_saved(self, query: Any, values: dict[str, Any],
                  limits: Limits | None = None) -> Answer:
        """Bounded: the query runs in a worker process that opens this store read-only, so
        it can be stopped at its deadline (kg.query.sparql_worker)."""
        from kg.query.sparql_worker import run_sparql

        entity = set(query.entity_params)
        bindings = {k: ox.NamedNode(v) if k in entity else v for k, v in values.items()}
        res = run_sparql(self, query.sparql, bindings, limits or Limits())
        res.cols = query.sparql_columns
        res.rows = [{c: r.get(c) for c in res.cols} for r in res.rows]
        return res

    def quads(self) -> Iterator[ox.Quad]:
        for g in self.published_graphs():
            yield from self._store.quads_for_pattern(None, None, None, g)

    def triples(self) -> Iterator[ox.Triple]:
        """The union of all published graphs, each triple once."""
        seen: set[ox.Triple] = set()
        for q in self.quads():
            t = q.triple
            if t not in seen:
                seen.add(t)
                yield t

    def quad_count(self) -> int:
        return sum(1 for _ in self.quads())

    def known_nodes(self) -> list[Node]:
        """Every entity already published, with all its names, for cross-document resolution."""
        voc = vocabulary()
        type_of = {str(t.iri): j for j, t in voc.entity_types.items()}
        sub_of = {str(t.iri): j for j, t in voc.subtypes.items()}
        nodes: dict[str, Node] = {}
        rows = self.select("""SELECT DISTINCT ?e ?t ?name WHERE {
            ?d kgo:mentions ?e . ?e a ?t ; kgo:name ?name } ORDER BY ?e ?t ?name""")
        for r in rows:
            n = nodes.setdefault(r["e"], Node(iri=r["e"], type="", name=r["name"]))
            if r["t"] in type_of:
                n.type = type_of[r["t"]]
            elif r["t"] in sub_of:
                n.subtype = sub_of[r["t"]]
        for r in self.select("""SELECT DISTINCT ?e ?a WHERE { ?d kgo:mentions ?e .
                                ?e kgo:alias ?a } ORDER BY ?e ?a"""):
            if r["e"] in nodes:
                nodes[r["e"]].aliases.add(r["a"])
        return [n for n in nodes.values() if n.type]

    def _columns(self, head: str, columns: tuple[Column, ...], subject: str) -> list[dict]:
        """Rows of `head` plus one OPTIONAL per single-valued column of the mapping."""
        cols = [c for c in columns if not c.many and c.attr != "name"]
        optional = " ".join(f"OPTIONAL {{ ?{subject} <{c.iri}> ?{c.attr} }}" for c in cols)
        head_vars, _, pattern = head.partition("|")
        return self.select(f"SELECT DISTINCT {head_vars} {' '.join('?' + c.attr for c in cols)}"
                           f" WHERE {{ {pattern} {optional} }}")

    def read_graph(self) -> tuple[list[Node], list[Edge], list[dict[str, Any]]]:
        """The whole published graph as nodes, provenance edges and documents, through the
        ontology's mapping table (the Neo4j backend reads the same columns back)."""
        voc = vocabulary()
        m = mapping()
        nodes = {n.iri: n for n in self.known_nodes()}
        for r in self._columns("?e | ?d kgo:mentions ?e .", m.entity, "e"):
            n = nodes.get(r["e"])
            if n:
                for c in m.entity:
                    if not c.many and c.attr != "name" and r.get(c.attr) is not None:
                        setattr(n, c.attr, r[c.attr])
        pred_of = {str(t.iri): j for j, t in voc.predicates.items()}
        edges = []
        for r in self._columns("?s ?p ?o | ?st a kgo:Statement ; rdf:subject ?s ; "
                               "rdf:predicate ?p ; rdf:object ?o .", m.statement, "st"):
            values: dict[str, Any] = {c.attr: r.get(c.attr) for c in m.statement}
            edges.append(Edge(subject=r["s"], predicate=pred_of[r["p"]], object=r["o"],
                              **values))
        edges.sort(key=lambda e: (e.subject, e.predicate, e.object, e.title or "", e.doc,
                                  -1 if e.sentence is None else e.sentence, e.evidence))
        docs = self._columns("?iri | ?iri a kgo:Document .", m.document, "iri")
        mentions: dict[str, list[str]] = {}
        for r in self.select("SELECT DISTINCT ?d ?e WHERE { ?d a kgo:Document ; kgo:mentions ?e }"
                             " ORDER BY ?d ?e"):
            mentions.setdefault(r["d"], []).append(r["e"])
        for d in docs:
            d["mentions"] = mentions.get(d["iri"], [])
        docs.sort(key=lambda d: d["iri"])
        return list(nodes.values()), edges, docs

    # ------------------------------------------------------------------ writing
    @contextmanager
    def build(self, reset: bool = False, batch_quads: int = 20_000) -> Iterator[Build]:
        """Stage documents, then publish them at once; on any error nothing is published."""
        with _exclusive(self.path):
            b = Build(self, batch_quads)
            b.sweep()
            yield b
            b.publish(reset)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self._store.extend(quads)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, quads: bool) -> None:
        data: Iterable[Any] = self.quads() if quads else self.triples()
        ox.serialize(data, out, fmt)


class Build:
    def __init__(self, store: EmbeddedStore, batch_quads: int) -> None:
        self.store = store
        self.batch_quads = batch_quads
        self.staged: dict[str, ox.NamedNode] = {}  # doc IRI -> staging graph
        self.stats = BuildStats()
        self._buffer: list[ox.Quad] = []

    def sweep(self) -> None:
        for g in list(self.store._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING):
                self.store._store.remove_graph(g)

    def stage(self, graph: DocGraph) -> None:
        token = hashlib.sha256(graph.iri.encode()).hexdigest()[:20]
        staging = ox.NamedNode(STAGING + token)
        if graph.iri in self.staged:  # the same document twice in one build: last one wins
            self._flush()
            self.store._store.remove_graph(staging)
        self.staged[graph.iri] = staging
        for q in doc_quads(graph):
            self._buffer.append(ox.Quad(q.subject, q.predicate, q.object, staging))
            if len(self._buffer) >= self.batch_quads:
                self._flush()
        self.stats.documents += 1

    def stage_quads(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Quads of one named graph read elsewhere (`kg import`): added to its staging graph,
        so a graph may arrive in pieces; published with the rest, atomically."""
        staging = self.staged.get(graph)
        if staging is None:
            token = hashlib.sha256(graph.encode()).hexdigest()[:20]
            staging = self.staged[graph] = ox.NamedNode(STAGING + token)
            self.stats.documents += 1
        for q in quads:
            self._buffer.append(ox.Quad(q.subject, q.predicate, q.object, staging))
            if len(self._buffer) >= self.batch_quads:
                self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self.store._store.extend(self._buffer)
            self.stats.quads += len(self._buffer)
            self._buffer = []

    def publish(self, reset: bool) -> None:
        self._flush()
        ops = []
        if reset:
            ops += [f"DROP SILENT GRAPH <{g.value}>" for g in self.store.published_graphs()]
        for doc, staging in self.staged.items():
            ops.append(f"DROP SILENT GRAPH <{doc}>")
            ops.append(f"ADD SILENT GRAPH <{staging.value}> TO GRAPH <{doc}>")
            ops.append(f"DROP SILENT GRAPH <{staging.value}>")
        for graph, asset in ((scheme_graph().value, "sectors.ttl"),
                             (ontology_graph_name().value, "kg.ttl")):
            ops.append(f"DROP SILENT GRAPH <{graph}>")
            ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {_ntriples(asset)} }} }}")
        self.store._store.update(" ;\n".join(ops))


def _ntriples(asset: str) -> str:
    g = ox.parse(asset_text(asset).encode("utf-8"), ox.RdfFormat.TURTLE)
    return " ".join(f"{t} ." for t in g)


def _term(v: Any) -> Any:
    if isinstance(v, ox.NamedNode | ox.Literal | ox.BlankNode):
        return v
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    return ox.Literal(str(v))


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One writer per store: a second build refuses at once with a clear message."""
    where = path.parent / f".{path.name}.lock"
    try:
        lock = open(where, "a+")  # noqa: SIM115
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {where}: {exc.strerror or exc} "
                         "(the store's parent folder must be writable)") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StoreError(f"another kg build is writing to {path}; try again when it "
                         "finishes") from None
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
