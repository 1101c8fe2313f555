"""Cross-document resolution: one IRI per real entity, whatever document names it.

Within a document the extractor has already merged surface forms; here each record's entities
are matched against every name and alias already known (in the store or earlier in this
build), by type and by the scorer's name key (no case, diacritics or punctuation)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from kg.record.schema import DOCUMENT_KEYS, Record
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import fold, slugify, vocabulary


class Resolver:
    def __init__(self, known: Iterable[Node] = ()) -> None:
        voc = vocabulary()
        self._voc = voc
        self._by_key: dict[tuple[str, str], str] = {}  # (type, name key) -> IRI
        self._nodes: dict[str, Node] = {}
        self._sector_iris = {}
        for s in voc.sectors:
            for label in (s.pref, *s.alts):
                self._sector_iris[fold(label)] = (str(s.iri), s.pref)
        for n in known:
            self._remember(n)

    def _remember(self, node: Node) -> None:
        self._nodes.setdefault(node.iri, node)
        for name in (node.name, *node.aliases):
            k = fold(name)
            if k:
                self._by_key.setdefault((node.type, k), node.iri)

    def _mint(self, etype: str, name: str) -> str:
        base = self._voc.id_base + self._voc.entity_types[etype].local.lower() + "/"
        iri = base + slugify(name)
        n = 2
        while iri in self._nodes and fold(self._nodes[iri].name) != fold(name):
            iri = f"{base}{slugify(name)}-{n}"
            n += 1
        return iri

    def doc_iri(self, slug: str) -> str:
        return self._voc.doc_base + slugify(slug) if slug else self._voc.doc_base + "x"

    def resolve(self, record: Record, extractor: str | None = None) -> DocGraph:
        """Turn one record into a DocGraph with stable IRIs; explains each merge in `why`."""
        doc_iri = self.doc_iri(record.doc)
        local: dict[str, Node] = {}
        agreements = []
        for e in record.entities:
            if e.type == "Agreement":
                agreements.append(e)
                continue
            node = self._resolve_entity(e.type, e.name, e.aliases, e.subtype)
            if node is None:
                continue
            local[e.id] = _doc_copy(node, [e.name, *e.aliases])
        for e in agreements:
            parties = sorted(
                local[r.subject].iri for r in record.relations
                if r.predicate == "PARTY_TO" and r.object == e.id and r.subject in local
            )
            raw = "\x1f".join([*parties, e.kind or "", e.date or ""]) if parties else \
                "\x1f".join([doc_iri, e.name])
            iri = self._voc.id_base + "agreement/" + hashlib.sha256(raw.encode()).hexdigest()[:16]
            node = self._nodes.setdefault(iri, Node(iri=iri, type="Agreement", name=e.name))
            copy = _doc_copy(node, [e.name, *e.aliases])
            copy.kind, copy.status, copy.date = e.kind, e.status, e.date
            local[e.id] = copy

        graph = DocGraph(slug=record.doc, iri=doc_iri, sha256=record.sha256,
                         headline=record.headline, chars=record.chars,
                         meta={k: getattr(record, k) for k in DOCUMENT_KEYS
                               if getattr(record, k)})
        seen_nodes: dict[str, Node] = {}
        for n in local.values():
            if n.iri in seen_nodes:
                seen_nodes[n.iri].aliases |= n.aliases
            else:
                seen_nodes[n.iri] = n
        graph.nodes = list(seen_nodes.values())
        seen_edges: set[tuple] = set()
        for r in record.relations:
            if r.subject not in local or r.object not in local:
                continue
            edge = Edge(subject=local[r.subject].iri, predicate=r.predicate,
                        object=local[r.object].iri, doc=doc_iri, evidence=r.evidence,
                        confidence=r.confidence, title=r.title, sentence=r.sentence,
                        start=r.start, end=r.end, extractor=extractor or record.extractor)
            if edge.subject == edge.object:
                continue
            k = (*edge.key, edge.sentence, edge.evidence)
            if k not in seen_edges:
                seen_edges.add(k)
                graph.edges.append(edge)
        return graph

    def _resolve_entity(self, etype: str, name: str, aliases: list[str],
                        subtype: str | None) -> Node | None:
        if etype == "Sector":
            hit = self._sector_iris.get(fold(name))
            if hit is None:
                for a in aliases:
                    hit = self._sector_iris.get(fold(a))
                    if hit:
                        break
            if hit is None:
                return None  # not a concept of the scheme: nothing to link it to
            iri, pref = hit
            node = self._nodes.get(iri) or Node(iri=iri, type="Sector", name=pref)
            self._nodes[iri] = node
            return node
        keys = [k for k in (fold(x) for x in [name, *aliases]) if k]
        found: str | None = None
        for k in keys:  # the canonical name first, then aliases
            found = self._by_key.get((etype, k))
            if found:
                break
        if found is None:
            found = self._mint(etype, name)
            self._nodes[found] = Node(iri=found, type=etype, name=name, subtype=subtype)
        node = self._nodes[found]
        node.aliases |= {a for a in [name, *aliases] if a and a != node.name}
        if node.subtype is None and subtype:
            node.subtype = subtype
        self._remember(node)
        return node


def _doc_copy(node: Node, forms: list[str]) -> Node:
    """The node as this document states it: global IRI, name and subtype, but only the
    aliases this document uses, so rebuilding one document never rewrites another's."""
    return Node(iri=node.iri, type=node.type, name=node.name, subtype=node.subtype,
                aliases={f for f in forms if f and f != node.name})
