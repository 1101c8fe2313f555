"""Cross-document resolution: one IRI per real entity, whatever document names it.

Within a document the extractor has already merged surface forms; here each record's entities
are matched against every name and alias already known (in the store or earlier in this
build), by type and by the scorer's name key (no case, diacritics or punctuation)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import cache

from kg.record.schema import DOCUMENT_KEYS, Record
from kg.resolve.graph import DocGraph, Edge, Node
from ontology.vocab import fold, slugify, vocabulary


def entity_base(etype: str) -> str:
    """The IRI prefix minted entities of a type share (`.../institution/`)."""
    voc = vocabulary()
    return voc.id_base + voc.entity_types[etype].local.lower() + "/"


def mint_iri(etype: str, name: str, taken: Callable[[str], bool]) -> str:
    """The readable IRI for a new entity: its slug, then `-2`, `-3`... while `taken(iri)`.

    Only mints whose slugs share `slug_root` can ever compete for an IRI, which is what lets
    a distributed build settle them group by group."""
    base = entity_base(etype)
    iri = base + slugify(name)
    n = 2
    while taken(iri):
        iri = f"{base}{slugify(name)}-{n}"
        n += 1
    return iri


def slug_root(name: str) -> str:
    """The slug without any trailing `-N` counters: mints of one root may collide."""
    return re.sub(r"(-[0-9]+)+$", "", slugify(name)) or slugify(name)


def doc_iri(slug: str) -> str:
    voc = vocabulary()
    return voc.doc_base + slugify(slug) if slug else voc.doc_base + "x"


def resolution_keys(name: str, aliases: Iterable[str]) -> list[str]:
    """The name keys an entity is matched by: its canonical name first, then its aliases."""
    return [k for k in (fold(x) for x in [name, *aliases]) if k]


def agreement_iri(party_iris: list[str], kind: str | None, date: str | None, doc: str,
                  name: str) -> str:
    """An agreement is its parties, kind and date; one with no resolved party stays in its
    document."""
    parties = sorted(party_iris)
    raw = "\x1f".join([*parties, kind or "", date or ""]) if parties else \
        "\x1f".join([doc, name])
    return vocabulary().id_base + "agreement/" + hashlib.sha256(raw.encode()).hexdigest()[:16]


def agreement_parties(record: Record, agreement_id: str, local: dict[str, Node]) -> list[str]:
    return [local[r.subject].iri for r in record.relations
            if r.predicate == "PARTY_TO" and r.object == agreement_id and r.subject in local]


def sector_node(name: str, aliases: Iterable[str]) -> Node | None:
    """The scheme's concept a sector mention names (by label or alias), or None."""
    index = _sector_index()
    for label in (name, *aliases):
        hit = index.get(fold(label))
        if hit:
            return Node(iri=hit[0], type="Sector", name=hit[1])
    return None


@cache
def _sector_index() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for s in vocabulary().sectors:
        for label in (s.pref, *s.alts):
            out[fold(label)] = (str(s.iri), s.pref)
    return out


def assemble(record: Record, iri: str, local: dict[str, Node],
             extractor: str | None = None) -> DocGraph:
    """One document's graph from its entities' resolved nodes (`local`: record entity id ->
    the node as this document states it): nodes merged by IRI, edges deduplicated."""
    graph = DocGraph(slug=record.doc, iri=iri, sha256=record.sha256,
                     headline=record.headline, chars=record.chars, extractor=record.extractor,
                     meta={k: getattr(record, k) for k in DOCUMENT_KEYS if getattr(record, k)})
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
                    object=local[r.object].iri, doc=iri, evidence=r.evidence,
                    confidence=r.confidence, title=r.title, sentence=r.sentence,
                    start=r.start, end=r.end, extractor=extractor or record.extractor)
        if edge.subject == edge.object:
            continue
        k = (*edge.key, edge.sentence, edge.evidence)
        if k not in seen_edges:
            seen_edges.add(k)
            graph.edges.append(edge)
    return graph


class Resolver:
    def __init__(self, known: Iterable[Node] = (),
                 mint: Callable[[str, str], str] | None = None) -> None:
        """`mint(type, name)` may replace the readable-IRI minting (a distributed build
        mints placeholders first and settles collisions afterwards)."""
        voc = vocabulary()
        self._voc = voc
        self._mint_hook = mint
        self._by_key: dict[tuple[str, str], str] = {}  # (type, name key) -> IRI
        self._nodes: dict[str, Node] = {}
        for n in known:
            self._remember(n)

    def _remember(self, node: Node) -> None:
        self._nodes.setdefault(node.iri, node)
        for name in (node.name, *node.aliases):
            k = fold(name)
            if k:
                self._by_key.setdefault((node.type, k), node.iri)

    def _mint(self, etype: str, name: str) -> str:
        if self._mint_hook is not None:
            return self._mint_hook(etype, name)
        return mint_iri(etype, name, lambda iri: iri in self._nodes and
                        fold(self._nodes[iri].name) != fold(name))

    def doc_iri(self, slug: str) -> str:
        return doc_iri(slug)

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
            local[e.id] = doc_copy(node, [e.name, *e.aliases])
        for e in agreements:
            iri = agreement_iri(agreement_parties(record, e.id, local), e.kind, e.date,
                                doc_iri, e.name)
            node = self._nodes.setdefault(iri, Node(iri=iri, type="Agreement", name=e.name))
            copy = doc_copy(node, [e.name, *e.aliases])
            copy.kind, copy.status, copy.date = e.kind, e.status, e.date
            local[e.id] = copy
        return assemble(record, doc_iri, local, extractor)

    def resolve_entity(self, etype: str, name: str, aliases: list[str],
                       subtype: str | None) -> Node | None:
        """The global node one mention resolves to (minted if new); None for a sector the
        scheme lacks. Agreements are not resolved here (see `resolve`)."""
        return self._resolve_entity(etype, name, aliases, subtype)

    def _resolve_entity(self, etype: str, name: str, aliases: list[str],
                        subtype: str | None) -> Node | None:
        if etype == "Sector":
            hit = sector_node(name, aliases)
            if hit is None:
                return None  # not a concept of the scheme: nothing to link it to
            return self._nodes.setdefault(hit.iri, hit)
        keys = resolution_keys(name, aliases)
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


def doc_copy(node: Node, forms: list[str]) -> Node:
    """The node as this document states it: global IRI, name and subtype, but only the
    aliases this document uses, so rebuilding one document never rewrites another's."""
    return Node(iri=node.iri, type=node.type, name=node.name, subtype=node.subtype,
                aliases={f for f in forms if f and f != node.name})
