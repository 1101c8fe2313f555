"""Cross-document resolution as a distributed step, equal to `Resolver` run in build order.

The single-machine resolver reads documents in order and matches each mention by its
resolution keys (type, folded name or alias) against every key seen so far. Its outcome for a
mention depends only on earlier mentions that share a key with it, transitively: on the
mention's connected component in the graph mention -- key. So:

1. components: min-label propagation over mention -- key edges (a few rounds: alias chains
   are short), grouped by the resolution keys;
2. per component, the resolver itself replays the component's mentions in document order,
   minting placeholders instead of IRIs;
3. mints: only mints whose slugs share a root (`slug_root`) can compete for `name`, `name-2`...;
   each root's mints get their IRIs in document order (`mint_iri`);
4. per document: placeholders replaced, sectors looked up, agreement IRIs computed; an
   agreement's name is its first document's (grouped by IRI); then `assemble` builds the
   DocGraph exactly as `Resolver.resolve` does. A document built twice: the last one wins, as
   in the store.

Nothing depends on partitioning: every choice is by document order (a dense index from the
sorted input order) and mention position, never by arrival."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.record.schema import Record
from kg.resolve.graph import DocGraph, Node
from kg.resolve.resolver import (
    Resolver,
    agreement_iri,
    agreement_parties,
    assemble,
    doc_copy,
    doc_iri,
    mint_iri,
    resolution_keys,
    sector_node,
    slug_root,
)

MINT = "urn:kg:spark:mint:"
SKIP = ("Agreement", "Sector")

Oid = tuple[int, int]  # (document index, entity position in its record)


def mentions(n: int, rec: Record) -> Iterator[tuple[Oid, tuple]]:
    for idx, e in enumerate(rec.entities):
        if e.type in SKIP:
            continue
        keys = [(e.type, k) for k in resolution_keys(e.name, e.aliases)]
        yield (n, idx), (e.type, e.name, list(e.aliases), e.subtype, keys)


def components(occ: Any, partitions: int, max_rounds: int = 50) -> Any:
    """(oid, component label): the smallest oid reachable through shared keys."""
    edges = occ.flatMap(lambda kv: [(kv[0], key) for key in kv[1][4]]).persist()
    by_key = edges.map(lambda kv: (kv[1], kv[0])).persist()
    labels = occ.map(lambda kv: (kv[0], kv[0])).persist()
    for _ in range(max_rounds):
        key_label = edges.join(labels, partitions).map(lambda kv: kv[1]) \
            .reduceByKey(min, partitions)
        pushed = key_label.join(by_key, partitions).map(lambda kv: (kv[1][1], kv[1][0]))
        new = labels.union(pushed).reduceByKey(min, partitions).persist()
        changed = new.join(labels, partitions).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if not changed:
            break
    edges.unpersist()
    by_key.unpersist()
    return labels


def replay(items: Iterable[tuple[Oid, tuple]]) -> Iterator[tuple[str, tuple]]:
    """The resolver over one component, in document order. Yields ("use", oid, placeholder,
    name, subtype) per mention and ("mint", ...) per new entity."""
    current: list[Oid] = [(0, 0)]
    minted: list[tuple] = []

    def mint(etype: str, name: str) -> str:
        token = f"{MINT}{current[0][0]}:{current[0][1]}"
        minted.append((etype, name, current[0], token))
        return token

    resolver = Resolver(mint=mint)
    for oid, (etype, name, aliases, subtype, _keys) in sorted(items):
        current[0] = oid
        node = resolver.resolve_entity(etype, name, aliases, subtype)
        assert node is not None  # only sectors may resolve to nothing, and they are skipped
        while minted:
            yield "mint", minted.pop()
        yield "use", (node.iri, (oid, node.name, node.subtype))


def settle(items: Iterable[tuple[Oid, str, str, str]]) -> Iterator[tuple[str, str]]:
    """(placeholder, IRI) for the mints of one (type, slug root), in document order."""
    taken: set[str] = set()
    for _oid, etype, name, token in sorted(items):
        iri = mint_iri(etype, name, taken.__contains__)
        taken.add(iri)
        yield token, iri


def doc_local(rec: Record, found: dict[int, tuple[str, str, str | None]]) -> dict[str, Node]:
    """The record's entities (agreements aside) as this document states them."""
    local: dict[str, Node] = {}
    for idx, e in enumerate(rec.entities):
        if e.type == "Agreement":
            continue
        if e.type == "Sector":
            node = sector_node(e.name, e.aliases)
        elif idx in found:
            iri, name, subtype = found[idx]
            node = Node(iri=iri, type=e.type, name=name, subtype=subtype)
        else:
            node = None
        if node is not None:
            local[e.id] = doc_copy(node, [e.name, *e.aliases])
    return local


def agreement_requests(n: int, rec: Record, local: dict[str, Node]) -> Iterator[tuple]:
    """(agreement IRI, (n, position, name)) for each agreement the record states."""
    d = doc_iri(rec.doc)
    for idx, e in enumerate(rec.entities):
        if e.type == "Agreement":
            iri = agreement_iri(agreement_parties(rec, e.id, local), e.kind, e.date, d, e.name)
            yield iri, (n, idx, e.name)


def doc_graph(rec: Record, local: dict[str, Node],
              agreements: dict[int, tuple[str, str]]) -> DocGraph:
    for idx, e in enumerate(rec.entities):
        if e.type == "Agreement":
            iri, name = agreements[idx]
            copy = doc_copy(Node(iri=iri, type="Agreement", name=name), [e.name, *e.aliases])
            copy.kind, copy.status, copy.date = e.kind, e.status, e.date
            local[e.id] = copy
    return assemble(rec, doc_iri(rec.doc), local)


def resolve(records: Any, partitions: int) -> Any:
    """RDD of (document index, Record) -> RDD of (document index, DocGraph), last build of
    each document IRI only."""
    occ = records.flatMap(lambda kv: mentions(*kv)).persist()
    labels = components(occ, partitions)
    groups = occ.join(labels, partitions).map(lambda kv: (kv[1][1], (kv[0], kv[1][0]))) \
        .groupByKey(partitions)
    replayed = groups.flatMap(lambda kv: replay(kv[1])).persist()
    mints = replayed.filter(lambda t: t[0] == "mint").map(
        lambda t: ((t[1][0], slug_root(t[1][1])), (t[1][2], t[1][0], t[1][1], t[1][3])))
    settled = mints.groupByKey(partitions).flatMap(lambda kv: settle(kv[1]))
    uses = replayed.filter(lambda t: t[0] == "use").map(lambda t: t[1])
    found = uses.join(settled, partitions).map(
        lambda kv: (kv[1][0][0][0], (kv[1][0][0][1], kv[1][1], kv[1][0][1], kv[1][0][2]))) \
        .groupByKey(partitions).mapValues(lambda vs: {i: (iri, nm, sub) for i, iri, nm, sub in vs})
    staged = records.leftOuterJoin(found, partitions).mapValues(
        lambda v: (v[0], doc_local(v[0], v[1] or {}))).persist()
    requests = staged.flatMap(lambda kv: agreement_requests(kv[0], kv[1][0], kv[1][1]))
    first = requests.reduceByKey(min, partitions)
    named = requests.join(first, partitions).map(
        lambda kv: (kv[1][0][0], (kv[1][0][1], kv[0], kv[1][1][2]))) \
        .groupByKey(partitions).mapValues(lambda vs: {i: (iri, nm) for i, iri, nm in vs})
    graphs = staged.leftOuterJoin(named, partitions).map(
        lambda kv: (kv[0], doc_graph(kv[1][0][0], kv[1][0][1], kv[1][1] or {})))
    latest = graphs.map(lambda kv: (kv[1].iri, kv)).reduceByKey(
        lambda a, b: a if a[0] > b[0] else b, partitions).map(lambda kv: kv[1])
    return latest
