"""What a Neo4j load has to write, decided before it writes: the rows of each statement, a
content hash per row, and the difference from what the database already holds.

Why: a load that re-sends every row costs as much the second time as the first (issue 15
measured a no-op reload at 0.86x a load), and finding what is stale by scanning every node
and relationship against a list of every key grows with the square of the graph. Here one
read of (key, hash, marks) per label and per relationship type tells which rows are new or
changed (the only ones sent) and which this store wrote but no longer has (removed by key,
through the unique constraints' indexes or by element id), with no scan of the whole
database and no list membership over all keys."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

HASH = "kg_hash"  # the property holding a row's content hash (nodes and facts)


def row_hash(*parts: Any) -> str:
    """A stable digest of a row's labels and properties: equal rows, equal hashes, in every
    process. The text hashed is repr() of str, int, float, None, lists and dicts, which
    Python writes from content alone (dicts in insertion order: the loader builds every
    row's properties in the mapping table's order); never Python's randomised hash(). It is
    several times cheaper than JSON with sorted keys, which the no-op reload would feel."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:20]


LOADER_VERSION = "2"  # part of every load digest: a new row layout never matches an old one


def load_digest(groups: Iterable[Group], source: str) -> str:
    """One digest of everything a load would write for `source`: each statement and its
    rows' keys and content hashes, in order. Equal digests, equal loads: the loader keeps
    the last complete load's digest in the database (see store.LoadState), and a reload
    whose digest matches it (nothing written since, same element counts) reads no keys
    back at all."""
    d = hashlib.sha256(f"{LOADER_VERSION}\x1e{source}".encode())
    for g in groups:
        keys = [r["iri"] for r in g.rows] if g.kind == "node" else [r["key"] for r in g.rows]
        d.update("\x1e".join([g.cypher, "\x1f".join(keys),
                               "\x1f".join(h or "" for h in g.hashes)]).encode())
    return d.hexdigest()[:32]


@dataclass
class Present:
    """What the database holds for one key: its hash, whether this store's mark is on it,
    how many stores' marks it carries, and where to find it again: a node's label, a
    relationship's element id."""
    hash: str | None
    mine: bool
    marks: int
    label: str = ""
    id: str | None = None


@dataclass
class Group:
    """One write statement and its rows; `scope` is the label (nodes) or relationship type
    whose keys the rows carry, `kind` says which (node or rel). `hashes` are the rows'
    content hashes, in order (kept beside the rows, not in them: they are compared here and
    stored through the rows' props, never sent twice). `create` is the statement's CREATE
    twin for rows the database does not hold at all (no MERGE look-up, no read/set Eager);
    a group of such rows has the CREATE as `cypher` and the MERGE it replaced as
    `fallback`, which takes the same rows: a refused CREATE (a unique constraint: another
    load wrote the row after `present` read) is retried with it."""
    kind: str
    scope: str
    cypher: str
    rows: list[dict[str, Any]]
    counted: bool = True  # counted in the progress total (mentions are not)
    hashes: list[str | None] = field(default_factory=list)
    create: str | None = None
    fallback: str | None = None


@dataclass
class Diff:
    """The rows to send, the keys to withdraw this store's mark from, and the count of kg
    elements once the load is done (computed, not re-counted by another scan)."""
    groups: list[Group] = field(default_factory=list)
    stale_nodes: dict[str, list[str]] = field(default_factory=dict)  # label -> iris
    stale_rels: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # type -> rows
    skipped: int = 0  # counted rows already present and unchanged
    nodes_after: int = 0
    relationships_after: int = 0


def diff(groups: Iterable[Group], nodes_present: dict[str, Present],
         rels_present: dict[tuple[str, str], Present]) -> Diff:
    """Keep the rows that are new (for the CREATE twin), changed or not yet marked by this
    store (for the MERGE); list what this store marked and no longer has, and what carries
    no mark at all (an interrupted older load's leftovers)."""
    out = Diff()
    want_nodes: set[str] = set()
    want_rels: set[tuple[str, str]] = set()
    for g in groups:
        new, changed = [], []
        hashes = g.hashes or [None] * len(g.rows)
        node = g.kind == "node"
        present = nodes_present if node else rels_present
        for row, h in zip(g.rows, hashes, strict=True):
            k: Any = row["iri"] if node else (g.scope, row["key"])
            (want_nodes if node else want_rels).add(k)
            had = present.get(k)
            if had is None:
                new.append(row)
            elif not had.mine or had.hash != h:
                changed.append(row)
            elif g.counted:
                out.skipped += 1
        if new and g.create:
            out.groups.append(Group(g.kind, g.scope, g.create, new, g.counted, fallback=g.cypher))
        else:
            changed = new + changed
        if changed:
            out.groups.append(Group(g.kind, g.scope, g.cypher, changed, g.counted))
    gone_nodes = gone_rels = 0
    for iri, p in nodes_present.items():
        if iri not in want_nodes and (p.mine or p.marks == 0):
            out.stale_nodes.setdefault(p.label, []).append(iri)
            gone_nodes += p.marks <= 1
    for (rtype, k), p in rels_present.items():
        if (rtype, k) not in want_rels and (p.mine or p.marks == 0):
            out.stale_rels.setdefault(rtype, []).append({"id": p.id or "", "key": k})
            gone_rels += p.marks <= 1
    out.nodes_after = len(want_nodes | set(nodes_present)) - gone_nodes
    out.relationships_after = len(want_rels | set(rels_present)) - gone_rels
    return out

