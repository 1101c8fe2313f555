"""The embedded RDF store: a pyoxigraph (RocksDB) dataset on disk, no server.

Layout. Each document's statements live in a named graph named by the document IRI (the
provenance), and the store's default graph is the merged *current* graph: the set union of
every published graph, each triple once. Questions about the whole graph read the default
graph, so a join touches each fact once however many documents state it (querying the list of
named graphs as the default graph returns one row per graph holding a triple, and joins
multiply). `urn:kg:index` maps folded names and aliases to entity IRIs for entity lookups, and
`urn:kg:meta` records the layout version.

A build stages each document's triples in a private file beside the store, then publishes
them at the end in SPARQL updates of `KG_PUBLISH_DOCS` documents (oxigraph applies an update in
one transaction): per document, its old triples that no other graph states leave the merged
graph, the staged triples replace the document graph and are added to the merged graph. The
cost is proportional to the documents built, not to the store. Readers only ever see
published graphs, so a build that dies midway leaves every document in its old or its new
version; the next build sweeps the orphaned staging file. The store is flushed after each
publish transaction, so a read-only open does not replay a large write-ahead log and the
build's memory does not grow with what it writes."""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.backends.mapping import Column, mapping
from kg.backends.rdf import integrity
from kg.backends.rdf.mapping import doc_quads, k
from kg.errors import StoreError
from kg.query.limits import Answer, Limits
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import asset_text, fold, vocabulary

STAGING = "urn:kg:staging:"
INTERNAL = "urn:kg:"  # staging, index and meta graphs: never published, never exported
INDEX_GRAPH = ox.NamedNode("urn:kg:index")
INDEX_KEY = ox.NamedNode("urn:kg:key")
META_GRAPH = ox.NamedNode("urn:kg:meta")
LAYOUT = ox.Quad(META_GRAPH, ox.NamedNode("urn:kg:layout"), ox.Literal("merged-default-1"),
                 META_GRAPH)
# the prefixes of ad-hoc queries and of Turtle, TriG and JSON-LD exports
PREFIX_MAP = {
    "kgo": "https://w3id.org/kg-coop/ontology#",
    "kg": "https://w3id.org/kg-coop/id/",
    "kgdoc": "https://w3id.org/kg-coop/doc/",
    "kgst": "https://w3id.org/kg-coop/statement/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIX_MAP.items()
                   if k not in {"kg", "kgdoc", "kgst"})
XSD_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


GRAPH_WORD = re.compile(r"\bGRAPH\b", re.IGNORECASE)


def uses_graphs(sparql: str) -> bool:
    """Whether a query may name graphs (the GRAPH keyword as a word): only then is the list
    of published graphs passed, which costs a scan of every graph name (a word test, so
    "oxigraph" in a comment does not cost that scan)."""
    return GRAPH_WORD.search(sparql) is not None


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

        # Stores written before the merged default graph existed are read the old way (the
        # list of published graphs as the default graph) until the next build migrates them.
        self.merged = LAYOUT in self._store

    def close(self) -> None:
        # Flushing happens once, right after a publish (Build.publish): a flush in a session
        # that wrote nothing is never needed.
        del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading
    def published_graphs(self) -> list[ox.NamedNode]:
        return sorted(
            (g for g in self._store.named_graphs()
             if isinstance(g, ox.NamedNode) and not g.value.startswith(INTERNAL)),
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
        text = sparql if "PREFIX kgo:" in sparql else PREFIXES + sparql
        if self.merged:
            # the merged graph is the default graph; named graphs only when asked for (listing
            # them costs a scan of the graph names)
            graphs = self.published_graphs() if uses_graphs(sparql) else None
            default: Any = ox.DefaultGraph()
        else:
            graphs = self.published_graphs()
            default = graphs or [ox.DefaultGraph()]
        try:
            return self._store.query(text, default_graph=default, named_graphs=graphs,  # type: ignore[arg-type]
                                     substitutions=subs)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
        except (OSError, RuntimeError) as exc:
            if integrity.is_damage(exc):
                raise integrity.damaged(self.path, exc) from None
            raise

    def entity_names(self, value: str | None = None) -> list[tuple[str, str, list[str]]]:
        """(iri, name, aliases) of every entity; given a value, only the entities that may
        match it (found through the name index: a few index lookups, not a scan)."""
        if value is not None and self.merged:
            iris = sorted({q.subject.value for q in self._store.quads_for_pattern(  # type: ignore[union-attr]
                None, INDEX_KEY, ox.Literal(fold(value)), INDEX_GRAPH)})
            out_: list[tuple[str, str, list[str]]] = []
            for iri in iris:
                out_ += self._names(ox.NamedNode(iri))
            return out_
        return self._names(None)

    def _names(self, entity: ox.NamedNode | None) -> list[tuple[str, str, list[str]]]:
        # EXISTS, not a join: an entity mentioned in a thousand documents is read once
        rows = self.select("""SELECT DISTINCT ?e ?name ?alias WHERE {
            ?e kgo:name ?name . FILTER EXISTS { ?d kgo:mentions ?e }
            OPTIONAL { ?e kgo:alias|skos:altLabel ?alias } } ORDER BY ?e ?alias""",
                           {"e": entity} if entity is not None else None)
        out: dict[str, tuple[str, list[str]]] = {}
        for r in rows:
            e = r.get("e") or (entity.value if entity is not None else "")
            name, aliases = out.setdefault(e, (r["name"], []))
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
        if self.merged:
            for q in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
                yield q.triple
            return
        seen: set[ox.Triple] = set()
        for q in self.quads():
            t = q.triple
            if t not in seen:
                seen.add(t)
                yield t

    def quad_count(self) -> int:
        return sum(1 for _ in self.quads())

    def flush(self) -> None:
        """Write the memtables out and drop the write-ahead log: after a flush the old log
        file stays on disk until the next read-write open, so reopen once (cheap: nothing is
        left to replay) and leave a store that read-only opens do not have to replay."""
        self._store.flush()
        if sys.getrefcount(self._store) > 2:  # someone else holds the handle: keep it open
            return
        del self._store
        self._store = ox.Store(str(self.path))

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

    def document_rows(self) -> list[dict[str, Any]]:
        """Each published document's own fields (slug, source file, URL, ...) by the mapping's
        names: what a build checks a new document's identity against."""
        return self._columns("?iri | ?iri a kgo:Document .", mapping().document, "iri")

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
            try:
                yield b
                b.publish(reset)
            finally:
                b.close()

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self._store.extend(quads)

    def update(self, sparql: str) -> None:
        """A raw update bypasses the merged graph and the name index: the store is read the
        old way (the union of its named graphs) until the next build rebuilds them."""
        self._store.update(sparql.rstrip().rstrip(";") + f" ;\nDELETE DATA {{ GRAPH "
                           f"<{META_GRAPH.value}> {{ {LAYOUT.triple} }} }}")
        self.merged = False

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, quads: bool) -> None:
        data: Iterable[Any] = self.quads() if quads else self.triples()
        serialize(data, out, fmt)


def serialize(data: Iterable[Any], out: IO[bytes], fmt: ox.RdfFormat) -> None:
    """RDF out with kg's prefixes: Turtle and TriG declare them; JSON-LD gets them as its
    @context around oxigraph's expanded document (full IRIs stay valid under it), streamed."""
    if fmt == ox.RdfFormat.JSON_LD:
        out.write(b'{"@context": ' + json.dumps(PREFIX_MAP).encode() + b', "@graph": ')
        ox.serialize(data, out, fmt)
        out.write(b"}\n")
        return
    ox.serialize(data, out, fmt, prefixes=PREFIX_MAP)


class Build:
    """Documents are staged in a private N-Triples file beside the store (bounded memory, no
    writes to the store that would have to be deleted again), then published in one update."""

    def __init__(self, store: EmbeddedStore, batch_quads: int) -> None:
        self.store = store
        self.batch_quads = batch_quads
        self.staged: dict[str, list[tuple[int, int]]] = {}  # doc IRI -> byte ranges in the file
        self.stats = BuildStats()
        self._keys: set[tuple[str, str]] = set()  # (entity IRI, folded name): scheme, migration
        self._doc_keys: dict[tuple[str, str], set[str]] = {}  # the same, by staged document
        self.staging_file = staging_path(store.path)
        self._fh: IO[bytes] | None = None

    def sweep(self) -> None:
        """Remove what a build that died left: staging graphs (older kg) and the file."""
        for g in list(self.store._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING):
                self.store._store.remove_graph(g)
        self.staging_file.unlink(missing_ok=True)

    def stage(self, graph: DocGraph) -> None:
        for n in graph.nodes:
            for name in (n.name, *n.aliases):
                if fold(name):
                    self._doc_keys.setdefault((n.iri, fold(name)), set()).add(graph.iri)
        self.staged[graph.iri] = []  # the same document twice in one build: the last wins
        self._append(graph.iri, doc_quads(graph))
        self.stats.documents += 1

    def stage_quads(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Quads of one named graph read elsewhere (`kg import`), staged like a document: a
        graph may arrive in pieces (they add up); published with the rest, atomically."""
        quads = list(quads)
        names = {k("name").value, k("alias").value}
        for q in quads:
            if q.predicate.value in names and isinstance(q.object, ox.Literal) \
                    and isinstance(q.subject, ox.NamedNode) and fold(q.object.value):
                key = (q.subject.value, fold(q.object.value))
                self._doc_keys.setdefault(key, set()).add(graph)
        if graph not in self.staged:
            self.stats.documents += 1
        self._append(graph, quads)

    def _append(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """The quads' triples as N-Triples at the end of the staging file, as one more byte
        range of `graph`."""
        if self._fh is None:
            self._fh = self.staging_file.open("w+b")
        lines = [f"{q.subject} {q.predicate} {q.object} .\n" for q in quads]
        self._fh.seek(0, os.SEEK_END)
        start = self._fh.tell()
        self._fh.write("".join(lines).encode("utf-8"))
        self.staged.setdefault(graph, []).append((start, self._fh.tell()))
        self.stats.quads += len(lines)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.staging_file.unlink(missing_ok=True)

    def _data(self, docs: list[str]) -> str:
        """INSERT DATA body: each document's triples in its graph and in the merged graph."""
        if self._fh is None:
            return ""
        parts = []
        for doc in docs:
            block = ""
            for a, b in self.staged[doc]:
                self._fh.seek(a)
                block += self._fh.read(b - a).decode("utf-8")
            parts.append(f"GRAPH <{doc}> {{\n{block}}}\n{block}")
        return "".join(parts)

    def publish(self, reset: bool) -> None:
        """Publish in one update (one transaction) whose work is proportional to the documents
        staged, then flush, so readers open the store without replaying the write-ahead log.

        Oxigraph's update time grows faster than its size, so a build of more than
        `KG_PUBLISH_DOCS` documents (default 500) publishes in transactions of that many
        documents: each transaction replaces whole documents and keeps the merged graph and
        the index exact, so an interruption leaves every document in its old or its new
        version, never half of one.

        The memtables are flushed after every transaction: oxigraph tunes RocksDB for a
        512 MB memtable budget (128 MB write buffers per column family, written out two at
        a time) across a dozen column families, so unflushed, everything a build writes
        stays in memory as well, up to about 3 GB. Peak RSS grew by about 70 KB a document
        (1.6 GB at 20,000 documents); flushed, it stays near 300 MB at any size. A flush
        writes out committed data only: atomicity is unchanged."""
        docs = list(self.staged)
        size = max(1, int(os.environ.get("KG_PUBLISH_DOCS") or 500))
        chunks = [docs[i:i + size] for i in range(0, len(docs), size)] or [[]]
        for i, chunk in enumerate(chunks):
            self._publish(chunk, reset=reset and i == 0, first=i == 0)
            reset = reset and i != 0
            if i + 1 < len(chunks):
                self.store._store.flush()  # the last one is flushed (and reopened) below
        self.store.flush()

    def _publish(self, docs: list[str], *, reset: bool, first: bool) -> None:
        st = self.store._store
        ops = []
        rebuild = reset or not self.store.merged
        if reset:
            ops += [f"DROP SILENT GRAPH <{g.value}>" for g in self.store.published_graphs()]
        if rebuild:  # start the merged graph and the name index over (reset, or migration)
            ops += ["DROP SILENT DEFAULT", f"DROP SILENT GRAPH <{INDEX_GRAPH.value}>"]
            if not reset:
                fixed = {scheme_graph().value, ontology_graph_name().value}
                kept = [g for g in self.store.published_graphs()
                        if g.value not in self.staged and g.value not in fixed]
                ops += [f"ADD SILENT GRAPH <{g.value}> TO DEFAULT" for g in kept]
                self._keys |= self._published_keys(kept)
        for doc in docs:
            if not st.contains_named_graph(ox.NamedNode(doc)):
                continue
            if not rebuild:
                ops.append(_unmerge(doc))
            ops.append(f"DROP SILENT GRAPH <{doc}>")
        if first:
            for graph, asset in ((scheme_graph().value, "sectors.ttl"),
                                 (ontology_graph_name().value, "kg.ttl")):
                if not rebuild:
                    ops.append(_unmerge(graph))
                data = _ntriples(asset)
                ops.append(f"DROP SILENT GRAPH <{graph}>")
                ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} {data} }}")
            self._keys |= self._scheme_keys()
        wanted = set(docs)
        keys = set(self._keys) if first else set()
        keys |= {key for key, named in self._doc_keys.items() if named & wanted}
        index = " ".join(f"<{iri}> <{INDEX_KEY.value}> {ox.Literal(key)} ."
                         for iri, key in sorted(keys))
        meta = f"GRAPH <{META_GRAPH.value}> {{ {LAYOUT.triple} . }}" if rebuild else ""
        ops.append(f"INSERT DATA {{ {self._data(docs)} GRAPH <{INDEX_GRAPH.value}> {{ {index} }} "
                   f"{meta} }}")
        update = " ;\n".join(ops)
        del ops
        st.update(update)
        del st, update  # the reopen in flush() needs the only handle
        self.store.merged = True

    def _published_keys(self, graphs: list[ox.NamedNode]) -> set[tuple[str, str]]:
        """Name keys of entities in graphs published before the index existed (migration)."""
        keys = set()
        for pred in (k("name"), k("alias")):
            for g in graphs:
                for q in self.store._store.quads_for_pattern(None, pred, None, g):
                    if isinstance(q.object, ox.Literal) and fold(q.object.value):
                        keys.add((q.subject.value, fold(q.object.value)))  # type: ignore[union-attr]
        return keys

    def _scheme_keys(self) -> set[tuple[str, str]]:
        """Sector labels: a sector parameter matches the scheme's labels too."""
        keys = set()
        g = ox.parse(asset_text("sectors.ttl").encode("utf-8"), ox.RdfFormat.TURTLE)
        labels = {"http://www.w3.org/2004/02/skos/core#altLabel",
                  "http://www.w3.org/2004/02/skos/core#prefLabel"}
        for t in g:
            if t.predicate.value in labels and isinstance(t.object, ox.Literal) \
                    and fold(t.object.value):
                keys.add((t.subject.value, fold(t.object.value)))
        return keys


def _unmerge(graph: str) -> str:
    """Remove from the merged graph the triples of `graph` that no other published graph
    states (staging graphs are left out: their triples are added back after)."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(?g != <{graph}> && !STRSTARTS(STR(?g), \"{INTERNAL}\")) }} }}")


def staging_path(store: Path) -> Path:
    """The private file a build stages documents in, beside the store like its lock."""
    return store.parent / f".{store.name}.staging.nt"


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
