"""Neo4j backend: the resolved graph as labelled nodes and typed relationships, written with
batched UNWIND ... CREATE (rows the database lacks) or MERGE (changed rows) in managed write
transactions (retried on transient errors), read in read-access sessions. Labels and types
come from the ontology and are backquoted; values are always bound parameters.

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
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from kg.backends.mapping import Mapping, mapping
from kg.backends.neo4j.plan import HASH, Diff, Group, Present, diff, load_digest, row_hash
from kg.backends.neo4j.tuning import BATCH_SIZE
from kg.errors import BackendUnavailable, KgError, ReadOnlyViolation, StoreError
from kg.query.limits import Answer, Limits
from kg.resolve.graph import Edge, Node
from ontology.vocab import fold, vocabulary


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
KEYS = "kg_keys"  # an entity's folded name and aliases: what saved questions look names up by
NAME_KEY = "kg_name_key"  # its folded name alone (a string, so a range index can serve it)
# One node per database recording the last complete load (no kg_stores: never a kg element,
# never listed, counted or removed as one): which store, the digest of what it wrote, the
# element counts after it, and the token of the load that last started.
LOAD_STATE = "KgLoadState"
STATE_SOURCE, STATE_DIGEST, STATE_COUNTS = "kg_source", "kg_digest", "kg_counts"
STATE_NODES, STATE_RELS, STATE_TOKEN = "kg_nodes", "kg_relationships", "kg_token"
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


def _rel_types() -> list[str]:
    """The relationship types kg writes: the ontology's predicates and MENTIONS."""
    voc = vocabulary()
    return [t.neo4j for t in voc.predicates.values()] + [voc.mentions.neo4j]


def open_reader(uri: str = "bolt://localhost:7687", user: str = "neo4j",
                password: str | None = None, database: str = "neo4j") -> Neo4jStore:
    """The registry's factory (reads run in read-access sessions)."""
    return Neo4jStore(uri, user, password, database)


class Neo4jStore:
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str = "neo4j"):
        self.uri, self.user, self.database = safe_uri(uri), user, database
        self._unique: set[str] | None = None  # relationship types with a kg_key constraint
        self._fallback: dict[str, str] = {}  # a CREATE statement -> its MERGE twin
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

    def _write_groups(self, statements: list[tuple[str, dict[str, Any], int]],
                      tx_rows: int, tick: Callable[[int], None]) -> list[Any]:
        """Run the statements in as few managed transactions as keep each within `tx_rows`
        rows (the small groups, a few sectors or people, share a commit; one transaction
        for the whole load would hold every change in the server's heap). A transient
        failure retries the whole transaction: every statement is idempotent."""
        out: list[Any] = []
        group: list[tuple[str, dict[str, Any], int]] = []
        size = 0

        def flush() -> None:
            def work(tx: neo4j.ManagedTransaction, plain: bool) -> list[Any]:
                return [tx.run(self._fallback.get(c, c) if plain else c, **p).consume().counters
                        for c, p, _ in group]

            try:
                with self.driver.session(database=self.database) as s:
                    try:
                        out.extend(s.execute_write(work, False))
                    except nx.ConstraintError:
                        # a CREATE met a row written since `present` read (a concurrent
                        # load): the transaction rolled back whole, so run it again as
                        # MERGE (which locks what it matches; once more if a racing
                        # CREATE still got in between)
                        for attempt in range(3):
                            try:
                                out.extend(s.execute_write(work, True))
                                break
                            except nx.ConstraintError:
                                if attempt == 2:
                                    raise
            except Exception as exc:
                raise self._translate(exc) from None
            tick(sum(n for _, _, n in group))

        for st in statements:
            if group and size + len(st[1].get("rows", ())) > tx_rows:
                flush()
                group, size = [], 0
            group.append(st)
            size += len(st[1].get("rows", ()))
        if group:
            flush()
        return out

    def ensure_constraints(self) -> None:
        """The unique constraints on iri (their indexes serve every MERGE and MATCH), on each
        kg relationship type's kg_key (so a CREATE of a fact or mention another load wrote
        meanwhile is refused, not duplicated) and the folded-name indexes of entity
        look-up; only the missing ones are created, so a reload spends no schema
        transactions. A kg_key constraint the data refuses (duplicates written before it
        existed) is left out: that type is then written with MERGE only."""
        voc = vocabulary()
        have = {r["name"] for r in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        have |= {r["name"] for r in self.read("SHOW INDEXES YIELD name RETURN name")}
        for t in [*voc.entity_types.values(), voc.document]:
            name = f"kg_{t.neo4j.lower()}_iri"
            if name not in have:
                self._write(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{q(t.neo4j)}) "
                            "REQUIRE n.iri IS UNIQUE")
        if "kg_load_state_key" not in have:  # one record per database, even when loads race
            self._write(f"CREATE CONSTRAINT kg_load_state_key IF NOT EXISTS FOR (m:{q(LOAD_STATE)}) "
                        "REQUIRE m.kg_key IS UNIQUE")
        for t in voc.entity_types.values():  # entity look-up by folded name (entity_names)
            name = f"kg_{t.neo4j.lower()}_name_key"
            if name not in have:
                self._write(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{q(t.neo4j)}) "
                            f"ON (n.{NAME_KEY})")
        for rtype in _rel_types():
            name = f"kg_{rtype.lower()}_key"
            if name not in have:
                try:
                    with self.driver.session(database=self.database) as s:
                        s.run(f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                              f"FOR ()-[r:{q(rtype)}]-() REQUIRE r.kg_key IS UNIQUE").consume()
                except nx.ClientError:  # duplicate keys already there: MERGE only
                    pass
                except Exception as exc:
                    raise self._translate(exc) from None
        self._unique = None

    def _unique_types(self) -> set[str]:
        """The relationship types whose kg_key is guarded by a uniqueness constraint (read
        once per store object; ensure_constraints resets it)."""
        if self._unique is None:
            rows = self.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                             "WHERE type = 'RELATIONSHIP_UNIQUENESS' "
                             "AND properties = ['kg_key'] RETURN labelsOrTypes AS t")
            self._unique = {t for r in rows for t in r["t"]} & set(_rel_types())
        return self._unique

    def present(self, source: str) -> tuple[dict[str, Present], dict[tuple[str, str], Present]]:
        """What kg elements the database holds, by key, with their hash and marks: one label
        scan per node label and one type scan per relationship type kg writes (never an
        AllNodesScan; nodes without kg's mark are filtered out, never returned)."""
        voc = vocabulary()
        labels = [t.neo4j for t in voc.entity_types.values()] + [voc.document.neo4j]
        types = [t.neo4j for t in voc.predicates.values()] + [voc.mentions.neo4j]

        def work(tx: neo4j.ManagedTransaction) -> tuple[dict, dict]:
            # one record per label or type holding a list of small lists: a record costs
            # the driver far more than a list item (collect() of a bare null would drop it)
            nodes: dict[str, Present] = {}
            rels: dict[tuple[str, str], Present] = {}
            for label in labels:
                r = tx.run(f"MATCH (n:{q(label)}) WHERE n.{KG_MARK} IS NOT NULL "
                           f"RETURN collect([n.iri, n.{HASH}, $src IN n.{KG_MARK}, "
                           f"size(n.{KG_MARK})]) AS rows", src=source).single()
                for k, h, mine, marks in (r["rows"] if r else []):
                    nodes.setdefault(k, Present(h, mine, marks, label))
            for rtype in types:
                r = tx.run(f"MATCH ()-[r:{q(rtype)}]->() WHERE r.{KG_MARK} IS NOT NULL "
                           f"RETURN collect([r.kg_key, r.{HASH}, $src IN r.{KG_MARK}, "
                           f"size(r.{KG_MARK}), elementId(r)]) AS rows", src=source).single()
                for k, h, mine, marks, eid in (r["rows"] if r else []):
                    rels[(rtype, k)] = Present(h, mine, marks, id=eid)
            return nodes, rels

        return self._in_read(work)

    def load(self, nodes: list[Node], edges: list[Edge], docs: list[dict[str, Any]],
             batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
             source: str = "kg") -> LoadSummary:
        """Mirror the graph: CREATE what is new and MERGE what changed, marked as written by
        `source` (the store), then remove what carries that mark and the store no longer
        has. Properties come from the ontology's mapping table; every node and fact carries
        a content hash, so rows the database already holds unchanged (and marked by this
        store) are not sent again, and when this store's last complete load wrote exactly
        these rows and nothing has changed the element counts since, nothing is read back.
        `batch_size` is the rows per write transaction (small
        statements share one); `progress(n)` hears of each committed transaction."""
        tick = progress or (lambda n: None)
        self.ensure_constraints()
        groups = self._groups(nodes, edges, docs)
        digest = load_digest(groups, source)
        token = secrets.token_hex(8)
        last, counts = self._load_state()
        if last.get(STATE_SOURCE) == source and last.get(STATE_DIGEST) == digest \
                and last.get(STATE_COUNTS) == counts:
            # this store's last complete load wrote exactly these rows, nothing has written
            # since (every load clears the digest before its first write) and no kg label or
            # type has gained or lost an element: nothing to send, no keys to read back
            tick(sum(len(g.rows) for g in groups if g.counted))
            return LoadSummary(nodes=last[STATE_NODES], relationships=last[STATE_RELS])
        self.forget_last_load(token)
        summary = LoadSummary()
        todo = diff(groups, *self.present(source))
        self._fallback = {g.cypher: g.fallback for g in todo.groups if g.fallback}
        tick(todo.skipped)
        statements = [(g.cypher, {"rows": batch, "src": source},
                       len(batch) if g.counted else 0)
                      for g in todo.groups for batch in _batches(g.rows, batch_size)]
        for counters in self._write_groups(statements, batch_size, tick):
            summary.add(counters)
        for counters in self._write_groups(self._stale_statements(source, todo, batch_size),
                                           batch_size, lambda n: None):
            summary.add(counters)
        summary.nodes, summary.relationships = todo.nodes_after, todo.relationships_after
        # the digest is kept only if no other load started meanwhile (its token is still
        # ours); else it stays cleared and the next load compares keys again
        self._write(f"MATCH (m:{q(LOAD_STATE)} {{kg_key: 'last-load'}}) "
                    f"WITH m, m.{STATE_TOKEN} = $token AS ours "
                    f"SET m.{STATE_SOURCE} = CASE WHEN ours THEN $src END, "
                    f"m.{STATE_DIGEST} = CASE WHEN ours THEN $digest END, "
                    f"m.{STATE_COUNTS} = $counts, m.{STATE_NODES} = $nodes, "
                    f"m.{STATE_RELS} = $rels",
                    token=token, src=source, digest=digest, counts=self._load_state()[1],
                    nodes=summary.nodes, rels=summary.relationships)
        return summary

    def forget_last_load(self, token: str | None = None) -> None:
        """Clear the last load's digest before writing anything (an interrupted or other
        writer's load must never let the next reload skip its comparison); every writer
        of kg's elements calls this first (the loader, the Spark job)."""
        self._write(f"MERGE (m:{q(LOAD_STATE)} {{kg_key: 'last-load'}}) SET m.{STATE_TOKEN} = $token, "
                    f"m.{STATE_SOURCE} = null, m.{STATE_DIGEST} = null",
                    token=token or secrets.token_hex(8))

    def _load_state(self) -> tuple[dict[str, Any], list[int]]:
        """The last load's record (LOAD_STATE; empty if none or cleared) and the element
        count of every kg label and relationship type, in one read transaction. The counts
        come from the server's count store (no scan): a node or relationship added or
        removed by anyone since that load shows up as a different list."""
        voc = vocabulary()
        labels = [t.neo4j for t in voc.entity_types.values()] + [voc.document.neo4j]

        def work(tx: neo4j.ManagedTransaction) -> tuple[dict[str, Any], list[int]]:
            r = tx.run(f"MATCH (m:{q(LOAD_STATE)} {{kg_key: 'last-load'}}) "
                       "RETURN properties(m) AS p LIMIT 1").single()
            counts = [_count(tx, f"MATCH (n:{q(x)}) RETURN count(n) AS c") for x in labels]
            counts += [_count(tx, f"MATCH ()-[r:{q(x)}]->() RETURN count(r) AS c")
                       for x in _rel_types()]
            return (dict(r["p"]) if r else {}), counts

        return self._in_read(work, notifications_min_severity="OFF")

    def _groups(self, nodes: list[Node], edges: list[Edge], docs: list[dict[str, Any]]
                ) -> list[Group]:
        """Every row of the load, grouped by statement (the Cypher the Spark writer shares),
        in write order: nodes, documents, mentions, facts. Each node and fact row's props
        carry its content hash (kg_hash), also listed in the group's `hashes`; each group
        names its CREATE twin for rows the database lacks (relationship types only when
        their kg_key uniqueness constraint exists, so a duplicate CREATE is refused). Built
        once per load with no per-row copies: on a no-op reload this is most of the time."""
        m, voc = mapping(), vocabulary()
        unique = self._unique_types()
        out: list[Group] = []
        by_type: dict[tuple[str, str | None], tuple[list[dict], list[str | None]]] = \
            defaultdict(lambda: ([], []))
        for n in nodes:
            props = node_props(n, m)
            name_key = fold(n.name)
            props[KEYS] = sorted({name_key, *map(fold, n.aliases)} - {""})
            props[NAME_KEY] = name_key
            rows, hashes = by_type[(n.type, n.subtype)]
            h = props[HASH] = row_hash((n.type, n.subtype), props)
            rows.append({"iri": n.iri, "props": props})
            hashes.append(h)
        for (etype, sub), (rows, hashes) in sorted(by_type.items(),
                                                   key=lambda kv: (kv[0][0], kv[0][1] or "")):
            out.append(Group("node", voc.entity_types[etype].neo4j, node_cypher(etype, sub),
                             rows, hashes=hashes, create=node_create_cypher(etype, sub)))
        doc_rows: list[dict[str, Any]] = []
        doc_hashes: list[str | None] = []
        for d in docs:
            props = {**document_props(d, m), "name": d.get("slug")}
            h = props[HASH] = row_hash(("document",), props)
            doc_rows.append({"iri": d["iri"], "props": props})
            doc_hashes.append(h)
        out.append(Group("node", voc.document.neo4j, doc_cypher(), doc_rows,
                         hashes=doc_hashes, create=doc_create_cypher()))
        label_of = {n.iri: voc.entity_types[n.type].neo4j for n in nodes}
        mentions = voc.mentions.neo4j
        by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
        for d in docs:
            iri = d["iri"]
            for e in d.get("mentions", []):
                if e in label_of:
                    by_label[label_of[e]].append({"d": iri, "m": e, "key": iri + " " + e})
        for label, rows in sorted(by_label.items()):
            out.append(Group("rel", mentions, mention_cypher(label), rows, counted=False,
                             create=mention_create_cypher(label) if mentions in unique
                             else None))
        by_rel: dict[tuple, list[Edge]] = defaultdict(list)
        for e in edges:
            by_rel[(e.subject, e.predicate, e.object, e.title or "")].append(e)
        rel_groups: dict[tuple[str, str, str], tuple[list[dict], list[str | None]]] = \
            defaultdict(lambda: ([], []))
        for key, es in sorted(by_rel.items()):
            s_label, o_label = label_of.get(key[0]), label_of.get(key[2])
            if s_label is None or o_label is None:
                continue
            row = rel_row(key, es, m)
            h = row["props"][HASH] = row_hash((key[1],), row["props"])
            rows, hashes = rel_groups[(key[1], s_label, o_label)]
            rows.append(row)
            hashes.append(h)
        for (pred, sl, ol), (rows, hashes) in sorted(rel_groups.items()):
            rtype = voc.predicates[pred].neo4j
            out.append(Group("rel", rtype, rel_cypher(pred, sl, ol), rows, hashes=hashes,
                             create=rel_create_cypher(pred, sl, ol) if rtype in unique
                             else None))
        return out

    def _stale_statements(self, source: str, todo: Diff, batch_size: int
                          ) -> list[tuple[str, dict[str, Any], int]]:
        """Withdraw this store's mark from what it no longer has and delete what then carries
        no kg store's mark, in the same statement (an interrupted load leaves no unmarked
        leftovers; older ones are found by `present` and removed here). Only the stale keys
        are sent, found by element id or through the iri constraints' indexes; nothing
        without kg's mark is ever matched."""
        drop = f"[x IN coalesce({{v}}.{KG_MARK}, []) WHERE x <> $src]"
        statements = []
        for rtype, rows in sorted(todo.stale_rels.items()):
            cypher = (f"UNWIND $rows AS row MATCH ()-[r:{q(rtype)}]->() "
                      f"WHERE elementId(r) = row.id AND r.kg_key = row.key "
                      f"AND r.{KG_MARK} IS NOT NULL SET r.{KG_MARK} = {drop.format(v='r')} "
                      f"WITH r WHERE r.{KG_MARK} = [] DELETE r")
            statements += [(cypher, {"rows": b, "src": source}, 0)
                           for b in _batches(rows, batch_size)]
        for label, iris in sorted(todo.stale_nodes.items()):
            cypher = (f"UNWIND $rows AS iri MATCH (n:{q(label)} {{iri: iri}}) "
                      f"WHERE n.{KG_MARK} IS NOT NULL SET n.{KG_MARK} = {drop.format(v='n')} "
                      f"WITH n WHERE n.{KG_MARK} = [] DETACH DELETE n")
            statements += [(cypher, {"rows": b, "src": source}, 0)
                           for b in _batches(iris, batch_size)]
        return statements

    def total_rows(self, nodes: list[Node], edges: list[Edge], docs: list[dict]) -> int:
        """How many rows `load` writes (for a progress bar)."""
        return len(nodes) + len(docs) + len({e.key for e in edges})

    def load_from(self, store: Any, batch_size: int = BATCH_SIZE,
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

    def entity_names(self, value: str | None = None) -> list[tuple[str, str, list[str]]]:
        """Entities kg wrote (never a user's own nodes, never documents), each once; sector
        alternative labels come from the ontology's SKOS scheme, as the store has them.
        Given a value, only the entities whose name (kg_name_key, indexed) or else alias
        (kg_keys) folds to the same key, as the loader stored them: a saved question then
        reads a handful of rows, not every name (1.5 s of each question's time at 5,000
        documents). A graph written without these keys (the Spark writer) finds nothing
        this way, and the caller falls back to every name."""
        voc = vocabulary()
        alts = {str(c.iri): list(c.alts) for c in voc.sectors}
        if value is not None:
            key = fold(value)
            if not key:
                return []
            # names first, through the kg_name_key indexes: when any name matches, no alias
            # can win (match_entity prefers names), so the aliases' scan is skipped
            rows = self.read(self._by_key(f"n.{NAME_KEY} = $key"), {"key": key})
            if not rows:
                also = sorted(i for i, a in alts.items() if key in {fold(x) for x in a})
                rows = self.read(self._by_key(f"($key IN n.{KEYS} OR n.iri IN $also)"),
                                 {"key": key, "also": also})
            return [(r["e"], r["name"], list(r["aliases"]) + alts.get(r["e"], []))
                    for r in rows]
        rows = self.read(f"MATCH (n) WHERE n.{KG_MARK} IS NOT NULL AND n.name IS NOT NULL "
                         f"AND NOT n:{q(voc.document.neo4j)} "
                         "RETURN DISTINCT n.iri AS e, n.name AS name, "
                         "coalesce(n.aliases, []) AS aliases")
        return [(r["e"], r["name"], list(r["aliases"]) + alts.get(r["e"], [])) for r in rows]

    @staticmethod
    def _by_key(condition: str) -> str:
        """Entities kg wrote matching `condition`, one labelled MATCH per entity type."""
        return " UNION ".join(
            f"MATCH (n:{q(t.neo4j)}) WHERE n.{KG_MARK} IS NOT NULL AND {condition} "
            "RETURN n.iri AS e, n.name AS name, coalesce(n.aliases, []) AS aliases"
            for t in vocabulary().entity_types.values())

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
    position; the fact's own confidence is the highest of its evidence. (The evidence is
    read once per edge as a tuple and transposed: per-attribute comprehensions were the
    largest share of building a load's rows.)"""
    title_key, conf_key, listed, get = _statement_columns(m)
    props: dict[str, Any] = {title_key: title} if title else {}
    props[conf_key] = max(float(e.confidence) for e in es)
    for (_, key, missing), col in zip(listed, zip(*map(get, es), strict=True), strict=True):
        props[key] = list(col) if None not in col else \
            [missing if v is None else v for v in col]
    return props


_COLUMNS: dict[int, tuple[Mapping, tuple]] = {}


def _statement_columns(m: Mapping) -> tuple[str, str, tuple[tuple[str, str, Any], ...],
                                            Callable[[Edge], tuple]]:
    """The title and confidence property names, the listed statement columns (attribute,
    list property, stand-in for None) and a getter of an edge's listed values as a tuple,
    looked up once per mapping rather than per fact (by identity: hashing the frozen
    mapping costs more than the look-up it saves)."""
    hit = _COLUMNS.get(id(m))
    if hit is None or hit[0] is not m:
        listed = tuple((c.attr, c.neo4j_list, c.missing()) for c in m.statement if c.neo4j_list)
        attrs = [a for a, _, _ in listed]
        get = attrgetter(*attrs) if len(attrs) > 1 else (lambda e: (getattr(e, attrs[0]),))
        hit = _COLUMNS[id(m)] = (m, (m.column("title").neo4j, m.column("confidence").neo4j,
                                     listed, get))
    return hit[1]


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


def _create_map(keys: list[str], **fixed: str) -> str:
    """A new element's whole property map, written in its CREATE: each of `keys` (the
    mapping table's property names, plus kg's own) read from row.props by name (a key the
    row lacks reads as null, which CREATE does not store, as `SET v = row.props` would not),
    then the `fixed` ones. Why not `SET v = row.props` after the CREATE: a map of unknown
    keys set next to another SET is a read/set conflict, and the planner puts an Eager
    between them (it buffered every row of the batch: EXPLAIN showed `Eager` in each node
    CREATE); a literal map has none."""
    items = [f"{q(k)}: row.props.{q(k)}" for k in keys] + [f"{k}: {v}" for k, v in fixed.items()]
    return "{" + ", ".join(items) + "}"


def node_keys(m: Mapping) -> list[str]:
    """Every property a node row's props may hold (node_props and the loader's keys)."""
    return [c.neo4j for c in m.entity] + [KEYS, NAME_KEY, HASH]


def doc_keys(m: Mapping) -> list[str]:
    """Every property a document row's props may hold (document_props, name, hash)."""
    return [c.neo4j for c in m.document] + ["name", HASH]


def rel_keys(m: Mapping) -> list[str]:
    """Every property a fact row's props may hold (relationship_props and its hash)."""
    title_key, conf_key, listed, _ = _statement_columns(m)
    return [title_key, conf_key, *(key for _, key, _ in listed), HASH]


def node_create_cypher(etype: str, sub: str | None) -> str:
    """node_cypher's twin for rows the database does not hold: CREATE, no look-up; the iri
    constraint refuses a duplicate (then node_cypher takes the same rows)."""
    voc = vocabulary()
    labels = q(voc.entity_types[etype].neo4j) + (f":{q(voc.subtypes[sub].neo4j)}" if sub else "")
    props = _create_map(node_keys(mapping()), iri="row.iri", **{KG_MARK: "[$src]"})
    return f"{ROWS}CREATE (n:{labels} {props})"


def doc_create_cypher() -> str:
    props = _create_map(doc_keys(mapping()), iri="row.iri", **{KG_MARK: "[$src]"})
    return f"{ROWS}CREATE (d:{q(vocabulary().document.neo4j)} {props})"


def mention_create_cypher(label: str) -> str:
    """mention_cypher's twin for (document, entity) pairs the database does not link: both
    ends by label and key, then CREATE (the kg_key constraint refuses a duplicate)."""
    voc = vocabulary()
    return (f"{ROWS}MATCH (d:{q(voc.document.neo4j)} {{iri: row.d}}) "
            f"MATCH (e:{q(label)} {{iri: row.m}}) WHERE e.{KG_MARK} IS NOT NULL "
            f"CREATE (d)-[:{q(voc.mentions.neo4j)} {{kg_key: row.key, {KG_MARK}: [$src]}}]->(e)")


def _both_ends(subject_label: str, object_label: str) -> str:
    """A fact's two kg nodes, each by label and key (index seeks), as `s` and `o`."""
    return (f"{ROWS}MATCH (s:{q(subject_label)} {{iri: row.s}}) "
            f"MATCH (o:{q(object_label)} {{iri: row.o}}) "
            f"WHERE s.{KG_MARK} IS NOT NULL AND o.{KG_MARK} IS NOT NULL ")


def rel_create_cypher(pred: str, subject_label: str, object_label: str) -> str:
    """rel_cypher's twin for facts the database does not hold."""
    rtype = q(vocabulary().predicates[pred].neo4j)
    return (f"{_both_ends(subject_label, object_label)}"
            f"CREATE (s)-[r:{rtype} "
            f"{_create_map(rel_keys(mapping()), kg_key='row.key', **{KG_MARK: '[$src]'})}]->(o)")


def rel_cypher(pred: str, subject_label: str, object_label: str) -> str:
    """Relationships of `pred` between nodes of the two labels (rows {s, o, key, props})."""
    rtype = q(vocabulary().predicates[pred].neo4j)
    return (f"{_both_ends(subject_label, object_label)}"
            f"MERGE (s)-[r:{rtype} {{kg_key: row.key}}]->(o) "
            f"{keep_mark('r')}, r.kg_key = row.key")


T = TypeVar("T")


def _batches(rows: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(rows), max(1, size)):
        yield rows[i:i + size]


def _count(tx: neo4j.ManagedTransaction, cypher: str) -> int:
    row = tx.run(cypher).single()
    return int(row["c"]) if row is not None else 0
