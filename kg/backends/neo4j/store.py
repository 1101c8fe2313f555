"""Neo4j backend: the resolved graph as labelled nodes and typed relationships, written with
batched UNWIND ... MERGE in managed write transactions (retried on transient errors), read in
read-access sessions. Labels and types come from the ontology and are backquoted; values are
always bound parameters.

kg only touches what kg wrote: every node and relationship it writes carries `kg_stores`, the
list of embedded stores (by resolved path) whose load put it there. A load removes only what
carries its own store's mark and that store no longer has; nodes of other stores and the
user's own nodes (no `kg_stores`) are never matched, counted or removed.

Ad-hoc Cypher is checked from its EXPLAIN plan before it runs: LOAD CSV (reads files and URLs)
and procedure calls outside a short allow-list of schema readers are refused; every user query
runs in a read transaction with a server-side timeout and stops fetching after its row limit."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from kg.backends.mapping import Mapping, mapping
from kg.errors import BackendUnavailable, KgError, ReadOnlyViolation, StoreError
from kg.query.limits import Answer, Limits
from kg.resolve.graph import Edge, Node
from ontology.vocab import vocabulary


@dataclass
class LoadSummary:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    labels_added: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    nodes: int = 0
    relationships: int = 0

    def __str__(self) -> str:
        return (f"Neo4j: {self.nodes} nodes and {self.relationships} relationships loaded "
                f"({self.nodes_created} nodes and {self.relationships_created} relationships "
                f"created, {self.properties_set} properties set, {self.nodes_deleted} stale "
                f"nodes and {self.relationships_deleted} stale relationships removed)")

    def add(self, counters: Any) -> None:
        self.nodes_created += counters.nodes_created
        self.relationships_created += counters.relationships_created
        self.properties_set += counters.properties_set
        self.labels_added += counters.labels_added
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_deleted += counters.relationships_deleted


KG_MARK = "kg_stores"  # the property that says which kg stores wrote a node or relationship
# Procedures that only describe the schema: harmless in a read transaction.
ALLOWED_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties"})
# Operator-type prefixes (before the "@runtime" suffix): LOAD CSV reads files and URLs;
# TERMINATE commands end other clients' transactions.
REFUSED_OPERATORS = ("LoadCSV", "Terminate")
PROCEDURE_OPERATORS = ("ProcedureCall", "EagerProcedureCall")


class CypherRefused(KgError):
    """An ad-hoc Cypher query would read files or URLs or call a non-allow-listed procedure."""


USERINFO = re.compile(r"[^/\s'\"]*@")  # "user:secret@" in bolt://user:secret@host (or bolt//...)


def _userinfo(uri: str) -> str | None:
    authority = uri.split("://", 1)[-1].split("/", 1)[0] if "://" in uri else uri
    m = USERINFO.search(authority.rsplit("/", 1)[-1])
    return m.group(0)[:-1] if m else None


def redact(text: str, uri: str, password: str | None = None) -> str:
    """Drop any credentials from a message: the URI's user-info part and the password."""
    info = _userinfo(uri)
    if info:
        text = text.replace(info + "@", "")
    for secret in (password, info, info.split(":", 1)[-1] if info and ":" in info else None):
        if secret:
            text = text.replace(secret, "***")
    return text


def safe_uri(uri: str) -> str:
    """The URI without user-info (bolt://user:secret@host -> bolt://host)."""
    info = _userinfo(uri)
    return uri.replace(info + "@", "", 1) if info else uri


def q(name: str) -> str:
    """Backquote a label or type that came from the ontology."""
    return "`" + name.replace("`", "``") + "`"


def rel_key(e: Edge | tuple) -> str:
    s, p, o, title = (e.subject, e.predicate, e.object, e.title or "") if isinstance(e, Edge) \
        else e
    return hashlib.sha256("\x1f".join([s, p, o, title]).encode()).hexdigest()[:24]


def _mention_rows(doc_rows: list[dict[str, Any]], label_of: dict[str, str]
                  ) -> dict[str, list[dict[str, str]]]:
    """(document, mentioned entity) pairs grouped by the entity's label."""
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for d in doc_rows:
        for m in d["mentions"]:
            if m in label_of:
                out[label_of[m]].append({"d": d["iri"], "m": m})
    return out


def _by_labels(rel_groups: dict[str, list[dict]], label_of: dict[str, str]
               ) -> dict[tuple[str, str, str], list[dict]]:
    """Relationship rows grouped by predicate and the labels of both ends."""
    out: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for pred, rows in rel_groups.items():
        for r in rows:
            if r["s"] in label_of and r["o"] in label_of:
                out[(pred, label_of[r["s"]], label_of[r["o"]])].append(r)
    return out


def open_reader(uri: str = "bolt://localhost:7687", user: str = "neo4j",
                password: str | None = None, database: str = "neo4j") -> Neo4jStore:
    """The registry's factory (reads run in read-access sessions)."""
    return Neo4jStore(uri, user, password, database)


class Neo4jStore:
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str = "neo4j"):
        self.uri, self.user, self.database = safe_uri(uri), user, database
        self._secrets = (uri, password)
        if _userinfo(uri):
            raise BackendUnavailable(f"the Neo4j URI {self.uri!r} must not carry a user or "
                                     "password: use NEO4J_USERNAME and NEO4J_PASSWORD")
        if not password:
            raise BackendUnavailable("no Neo4j password: set NEO4J_PASSWORD or --neo4j-password")
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password),
                                               connection_timeout=10,
                                               max_transaction_retry_time=15)
            self.driver.verify_connectivity()
            with self.driver.session(database=database) as s:
                s.run("RETURN 1").consume()
        except Exception as exc:  # every driver failure becomes one clear line
            if hasattr(self, "driver"):
                self._close_quietly()
            raise self._translate(exc) from None

    def _close_quietly(self) -> None:
        try:
            self.driver.close()
        except Exception:  # noqa: BLE001 - nothing more to report
            pass

    def _translate(self, exc: Exception) -> KgError:
        err = self._translate_raw(exc)
        return type(err)(redact(str(err), *self._secrets))

    def _translate_raw(self, exc: Exception) -> KgError:
        if isinstance(exc, KgError):
            return exc
        if isinstance(exc, nx.AuthError):
            return BackendUnavailable(f"Neo4j at {self.uri} refused the credentials for user "
                                      f"{self.user!r}")
        if isinstance(exc, nx.ServiceUnavailable | ConnectionError | OSError):
            return BackendUnavailable(f"cannot reach Neo4j at {self.uri} (is the server "
                                      "running?)")
        if isinstance(exc, nx.ConfigurationError | ValueError | nx.ConfigurationError):
            return BackendUnavailable(f"invalid Neo4j URI {self.uri!r}: "
                                      f"{str(exc).splitlines()[0][:160]}")
        if isinstance(exc, nx.ClientError) and "database" in str(exc).lower() and \
                "not found" in str(exc).lower() or (isinstance(exc, nx.ClientError) and
                                                    "DatabaseNotFound" in (exc.code or "")):
            return BackendUnavailable(f"Neo4j database {self.database!r} does not exist at "
                                      f"{self.uri}")
        if isinstance(exc, nx.Neo4jError):
            return BackendUnavailable(f"Neo4j error: {exc.message or exc.code}")
        if isinstance(exc, nx.DriverError):
            return BackendUnavailable(f"Neo4j driver error at {self.uri}: {exc}")
        return BackendUnavailable(f"Neo4j at {self.uri}: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def _write(self, cypher: str, **params: Any) -> Any:
        def work(tx: neo4j.ManagedTransaction) -> Any:
            return tx.run(cypher, **params).consume().counters

        try:
            with self.driver.session(database=self.database) as s:
                return s.execute_write(work)
        except Exception as exc:
            raise self._translate(exc) from None

    def ensure_constraints(self) -> None:
        voc = vocabulary()
        for t in [*voc.entity_types.values(), voc.document]:
            name = f"kg_{t.neo4j.lower()}_iri"
            self._write(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{q(t.neo4j)}) "
                        "REQUIRE n.iri IS UNIQUE")

    def load(self, nodes: list[Node], edges: list[Edge], docs: list[dict[str, Any]],
             batch_size: int = 500, progress: Callable[[int], None] | None = None,
             source: str = "kg") -> LoadSummary:
        """Mirror the graph: MERGE everything, marked as written by `source` (the store), then
        remove what carries that mark and the store no longer has. Properties come from the
        ontology's mapping table; `progress(n)` hears of each batch."""
        m, voc = mapping(), vocabulary()
        tick = progress or (lambda n: None)
        self.ensure_constraints()
        summary = LoadSummary()
        groups: dict[tuple[str, str | None], list[dict]] = defaultdict(list)
        for n in nodes:
            groups[(n.type, n.subtype)].append(node_row(n, m))
        by_rel: dict[tuple, list[Edge]] = defaultdict(list)
        for e in edges:
            by_rel[(e.subject, e.predicate, e.object, e.title or "")].append(e)
        rel_groups: dict[str, list[dict]] = defaultdict(list)
        for (s, p, o, title), es in sorted(by_rel.items()):
            rel_groups[p].append(rel_row((s, p, o, title), es, m))
        label_of = {n.iri: voc.entity_types[n.type].neo4j for n in nodes}
        for (etype, sub), rows in sorted(groups.items(), key=lambda kv: (kv[0][0],
                                                                        kv[0][1] or "")):
            cypher = node_cypher(etype, sub)
            for batch in _batches(rows, batch_size):
                summary.add(self._write(cypher, rows=batch, src=source))
                tick(len(batch))
        doc_rows = [doc_row(d, m) for d in docs]
        for batch in _batches(doc_rows, batch_size):
            summary.add(self._write(doc_cypher(), rows=batch, src=source))
            tick(len(batch))
        for label, rows in sorted(_mention_rows(doc_rows, label_of).items()):
            for batch in _batches(rows, batch_size):
                summary.add(self._write(mention_cypher(label), rows=batch, src=source))
        for (pred, sl, ol), rows in sorted(_by_labels(rel_groups, label_of).items()):
            cypher = rel_cypher(pred, sl, ol)
            for batch in _batches(rows, batch_size):
                summary.add(self._write(cypher, rows=batch, src=source))
                tick(len(batch))
        keys = [r["key"] for rows in rel_groups.values() for r in rows] + \
            [d["iri"] + " " + m for d in doc_rows for m in d["mentions"]]
        iris = [n.iri for n in nodes] + [d["iri"] for d in docs]
        self._remove_stale(summary, source, keys, iris)
        summary.nodes, summary.relationships = self.counts()
        return summary

    def _remove_stale(self, summary: LoadSummary, source: str, keys: list[str],
                      iris: list[str]) -> None:
        """Withdraw this store's mark from what it no longer has; delete what then carries no
        kg store's mark. Nothing without kg's mark is ever matched."""
        for var, pattern, known in (("r", "()-[r]->()", "r.kg_key IN $keys"),
                                    ("n", "(n)", "n.iri IN $iris")):
            stale = (f"MATCH {pattern} WHERE $src IN coalesce({var}.{KG_MARK}, []) "
                     f"AND NOT {known}")
            self._write(f"{stale} SET {var}.{KG_MARK} = "
                        f"[x IN {var}.{KG_MARK} WHERE x <> $src]", src=source, keys=keys,
                        iris=iris)
            delete = "DELETE r" if var == "r" else "DETACH DELETE n"
            summary.add(self._write(f"MATCH {pattern} WHERE {var}.{KG_MARK} = [] {delete}"))

    def total_rows(self, nodes: list[Node], edges: list[Edge], docs: list[dict]) -> int:
        """How many rows `load` writes (for a progress bar)."""
        return len(nodes) + len(docs) + len({e.key for e in edges})

    def load_from(self, store: Any, batch_size: int = 500,
                  progress: Callable[[int], None] | None = None) -> LoadSummary:
        nodes, edges, docs = store.read_graph()
        if not docs:
            raise StoreError("the embedded store is empty: run 'kg build PATH' first")
        return self.load(nodes, edges, docs, batch_size=batch_size, progress=progress,
                         source=store_source(store))

    # ------------------------------------------------------------------ reading
    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run in a READ session: the server itself refuses any write."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [dict(r) for r in tx.run(cypher, **(params or {}))]

        return self._in_read(work)

    def check_plan(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        """EXPLAIN the query (nothing runs) and refuse it if the plan reads files or URLs
        (LoadCSV) or calls a procedure outside ALLOWED_PROCEDURES."""
        def work(tx: neo4j.ManagedTransaction) -> Any:
            return tx.run("EXPLAIN " + cypher, **(params or {})).consume().plan

        plan = self._in_read(work, notifications_min_severity="OFF")
        for op in _operators(plan or {}):
            kind = str(op.get("operatorType", "")).split("@", 1)[0]
            if kind.startswith("LoadCSV"):
                raise CypherRefused("refused: LOAD CSV reads files and URLs; ad-hoc queries "
                                    "only read the graph")
            if kind.startswith(REFUSED_OPERATORS):
                raise CypherRefused(f"refused: {kind} is an administration command; ad-hoc "
                                    "queries only read the graph")
            if kind in PROCEDURE_OPERATORS:
                name = _procedure_name(op)
                if name not in ALLOWED_PROCEDURES:
                    raise CypherRefused(
                        f"refused: procedure {name or '?'} is not allowed in ad-hoc queries "
                        f"(allowed: {', '.join(sorted(ALLOWED_PROCEDURES))})")

    def read_bounded(self, cypher: str, params: dict[str, Any] | None,
                     limits: Limits) -> Answer:
        """Run in a read transaction with a server-side timeout, fetching at most
        limits.limit + 1 rows in pages, so memory stays bounded whatever the query matches."""
        out = Answer(cols=[], limit=limits.limit)
        try:
            with self.driver.session(database=self.database,
                                     default_access_mode=neo4j.READ_ACCESS,
                                     fetch_size=min(limits.limit + 1, 1000)) as s:
                with s.begin_transaction(timeout=limits.timeout) as tx:
                    result = tx.run(cypher, **(params or {}))
                    out.cols = list(result.keys())
                    for record in result:
                        if len(out.rows) >= limits.limit:
                            out.truncated = True
                            break
                        out.rows.append(dict(record))
                    tx.rollback()
        except nx.Neo4jError as exc:
            raise self._read_error(exc, limits) from None
        except Exception as exc:
            raise self._translate(exc) from None
        return out

    def _read_error(self, exc: nx.Neo4jError, limits: Limits | None = None) -> KgError:
        code = exc.code or ""
        if limits is not None and ("TransactionTimedOut" in code or "Terminated" in code):
            return limits.timeout_error()
        if "ForbiddenDueToTransactionType" in code or "AccessMode" in code or \
                "read access mode" in (exc.message or "").lower() or "Forbidden" in code:
            return ReadOnlyViolation("refused: queries are read-only (the server rejected "
                                     "a write in a read transaction)")
        if "Syntax" in code:
            return KgError(f"Cypher syntax error: {(exc.message or '').splitlines()[0]}")
        return self._translate(exc)

    def _in_read(self, work: Any, **config: Any) -> Any:
        try:
            with self.driver.session(database=self.database,
                                     default_access_mode=neo4j.READ_ACCESS, **config) as s:
                return s.execute_read(work)
        except nx.Neo4jError as exc:
            raise self._read_error(exc) from None
        except Exception as exc:
            raise self._translate(exc) from None

    def entity_names(self) -> list[tuple[str, str, list[str]]]:
        """Entities kg wrote (never a user's own nodes, never documents), each once; sector
        alternative labels come from the ontology's SKOS scheme, as the store has them."""
        rows = self.read(f"MATCH (n) WHERE n.{KG_MARK} IS NOT NULL AND n.name IS NOT NULL "
                         f"AND NOT n:{q(vocabulary().document.neo4j)} "
                         "RETURN DISTINCT n.iri AS e, n.name AS name, "
                         "coalesce(n.aliases, []) AS aliases")
        alts = {str(c.iri): list(c.alts) for c in vocabulary().sectors}
        return [(r["e"], r["name"], list(r["aliases"]) + alts.get(r["e"], [])) for r in rows]

    def run_saved(self, query: Any, values: dict[str, Any],
                  limits: Limits | None = None) -> Answer:
        res = self.read_bounded(query.cypher, values, limits or Limits())
        res.cols = res.cols or query.cypher_columns
        return res

    def read_graph(self) -> tuple[list[Node], list[Edge], list[dict[str, Any]]]:
        """The loaded graph in the embedded store's shape, through the same mapping table, so
        readers need not care which backend they read (one Edge per piece of evidence)."""
        voc = vocabulary()
        m = mapping()
        doc_label = voc.document.neo4j
        type_of = {t.neo4j: j for j, t in voc.entity_types.items()}
        sub_of = {t.neo4j: j for j, t in voc.subtypes.items()}
        pred_of = {t.neo4j: j for j, t in voc.predicates.items()}
        nodes = []
        for r in self.read(f"MATCH (n) WHERE n.{KG_MARK} IS NOT NULL AND NOT n:" + q(doc_label) +
                           " RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props "
                           "ORDER BY iri"):
            etype = next((type_of[x] for x in r["labels"] if x in type_of), None)
            if etype is None:
                continue
            props = r["props"]
            values: dict[str, Any] = {
                c.attr: (set(props.get(c.neo4j) or []) if c.many else props.get(c.neo4j))
                for c in m.entity}
            nodes.append(Node(iri=r["iri"], type=etype,
                              subtype=next((sub_of[x] for x in r["labels"] if x in sub_of), None),
                              **values))
        edges = []
        listed = [c for c in m.statement if c.neo4j_list]
        for r in self.read(f"MATCH (s)-[r]->(o) WHERE r.{KG_MARK} IS NOT NULL AND type(r) IN $types "
                           "RETURN s.iri AS s, type(r) AS t, o.iri AS o, properties(r) AS props "
                           "ORDER BY r.kg_key", {"types": list(pred_of)}):
            props = r["props"]
            lists = [props.get(c.neo4j_list) or [] for c in listed]
            title = props.get(m.column("title").neo4j)
            for items in zip(*lists, strict=True):
                fields: dict[str, Any] = {c.attr: c.from_list_item(v)
                                          for c, v in zip(listed, items, strict=True)}
                edges.append(Edge(subject=r["s"], predicate=pred_of[r["t"]], object=r["o"],
                                  title=title, **fields))
        edges.sort(key=lambda e: (e.subject, e.predicate, e.object, e.title or "", e.doc,
                                  -1 if e.sentence is None else e.sentence, e.evidence))
        docs = []
        for r in self.read(f"MATCH (d:{q(doc_label)}) WHERE d.{KG_MARK} IS NOT NULL "
                           f"OPTIONAL MATCH (d)-[:{q(voc.mentions.neo4j)}]->(e) "
                           "WITH d, e ORDER BY e.iri "
                           "RETURN d.iri AS iri, properties(d) AS props, collect(e.iri) AS mentions "
                           "ORDER BY iri"):
            docs.append({"iri": r["iri"], **{c.attr: r["props"].get(c.neo4j) for c in m.document},
                         "mentions": list(r["mentions"])})
        return nodes, edges, docs

    def counts(self) -> tuple[int, int]:
        """Nodes and relationships kg wrote (from any store)."""
        n = self.read(f"MATCH (n) WHERE n.{KG_MARK} IS NOT NULL RETURN count(n) AS n")[0]["n"]
        r = self.read(f"MATCH ()-[r]->() WHERE r.{KG_MARK} IS NOT NULL "
                      "RETURN count(r) AS n")[0]["n"]
        return n, r


def store_source(store: Any) -> str:
    """The mark a store's loads carry: its resolved path, the same on every load."""
    return str(Path(store.path).resolve())


def _operators(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = [plan]
    while stack:
        op = stack.pop()
        yield op
        stack.extend(op.get("children") or [])


def _procedure_name(op: dict[str, Any]) -> str:
    """The procedure an operator calls, from the plan's own description of it."""
    args = op.get("args") or {}
    details = str(args.get("Details") or args.get("Signature") or "")
    m = re.match(r"\s*([\w.]+)\s*\(", details)
    return m.group(1) if m else ""


def node_props(n: Node, m: Mapping) -> dict[str, Any]:
    props = {}
    for c in m.entity:
        v = getattr(n, c.attr)
        props[c.neo4j] = sorted(v or ()) if c.many else v
    return {k: v for k, v in props.items() if v is not None}


def relationship_props(es: list[Edge], title: str, m: Mapping) -> dict[str, Any]:
    """One relationship per fact: each statement attribute becomes a list, aligned by
    position; the fact's own confidence is the highest of its evidence."""
    props: dict[str, Any] = {m.column("title").neo4j: title or None,
                             m.column("confidence").neo4j: max(float(e.confidence) for e in es)}
    for c in m.statement:
        if c.neo4j_list:
            props[c.neo4j_list] = [c.missing() if getattr(e, c.attr) is None
                                   else getattr(e, c.attr) for e in es]
    return {k: v for k, v in props.items() if v is not None}


def document_props(d: dict[str, Any], m: Mapping) -> dict[str, Any]:
    return {c.neo4j: d.get(c.attr) for c in m.document if d.get(c.attr) is not None}


# The rows and statements a load writes, as functions: `kg load neo4j` sends them in batches
# of $rows, the Spark job (kg.spark.to_neo4j) one row per connector event; the same MERGE keys.
ROWS = "UNWIND $rows AS row "


def keep_mark(v: str) -> str:
    """`SET v = row.props` replaces every property: keep the marks of the stores that wrote
    it, adding $src."""
    return (f"WITH {v}, row, coalesce({v}.{KG_MARK}, []) AS was SET {v} = row.props, "
            f"{v}.{KG_MARK} = CASE WHEN $src IN was THEN was ELSE was + $src END")


def node_row(n: Node, m: Mapping) -> dict[str, Any]:
    return {"iri": n.iri, "props": node_props(n, m)}


def rel_row(key: tuple[str, str, str, str], es: list[Edge], m: Mapping) -> dict[str, Any]:
    """One relationship per (subject, predicate, object, title), its evidence in the order
    given (the store's: title, document, sentence, evidence)."""
    return {"s": key[0], "o": key[2], "key": rel_key(key),
            "props": relationship_props(es, key[3], m)}


def doc_row(d: dict[str, Any], m: Mapping) -> dict[str, Any]:
    return {"iri": d["iri"], "props": {**document_props(d, m), "name": d.get("slug")},
            "mentions": d.get("mentions", [])}


def node_cypher(etype: str, sub: str | None) -> str:
    voc = vocabulary()
    labels = q(voc.entity_types[etype].neo4j)
    extra = f" SET n:{q(voc.subtypes[sub].neo4j)}" if sub else ""
    return f"{ROWS}MERGE (n:{labels} {{iri: row.iri}}) {keep_mark('n')}, n.iri = row.iri{extra}"


def doc_cypher() -> str:
    doc_label = q(vocabulary().document.neo4j)
    return f"{ROWS}MERGE (d:{doc_label} {{iri: row.iri}}) {keep_mark('d')}, d.iri = row.iri"


def mention_cypher(label: str) -> str:
    """A document's MENTIONS of entities with `label` (rows {d, m}): MATCHed by label so the
    unique constraints' indexes are used (no AllNodesScan)."""
    voc = vocabulary()
    doc_label = q(voc.document.neo4j)
    mentions = q(voc.mentions.neo4j)
    return (f"{ROWS}MATCH (d:{doc_label} {{iri: row.d}}) "
            f"MATCH (e:{q(label)} {{iri: row.m}}) WHERE e.{KG_MARK} IS NOT NULL "
            f"MERGE (d)-[r:{mentions}]->(e) SET r.kg_key = row.d + ' ' + row.m, "
            f"r.{KG_MARK} = CASE WHEN $src IN coalesce(r.{KG_MARK}, []) "
            f"THEN r.{KG_MARK} ELSE coalesce(r.{KG_MARK}, []) + $src END")


def rel_cypher(pred: str, subject_label: str, object_label: str) -> str:
    """Relationships of `pred` between nodes of the two labels (rows {s, o, key, props})."""
    rtype = q(vocabulary().predicates[pred].neo4j)
    return (f"{ROWS}MATCH (s:{q(subject_label)} {{iri: row.s}}) "
            f"MATCH (o:{q(object_label)} {{iri: row.o}}) "
            f"WHERE s.{KG_MARK} IS NOT NULL AND o.{KG_MARK} IS NOT NULL "
            f"MERGE (s)-[r:{rtype} {{kg_key: row.key}}]->(o) "
            f"{keep_mark('r')}, r.kg_key = row.key")


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), max(1, size)):
        yield rows[i:i + size]
