"""The extraction record of the spec (section 3) as typed dataclasses, read and written as JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from ontology.vocab import vocabulary


@dataclass
class Entity:
    id: str
    type: str
    name: str
    subtype: str | None = None
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    status: str | None = None
    date: str | None = None
    why: list[str] = field(default_factory=list)  # resolution notes: each merge says why

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.subtype:
            out["subtype"] = self.subtype
        out["name"] = self.name
        if self.aliases:
            out["aliases"] = list(self.aliases)
        for k in ("kind", "status", "date"):
            if getattr(self, k):
                out[k] = getattr(self, k)
        if self.why:
            out["resolution"] = list(self.why)
        return out


@dataclass
class Relation:
    subject: str
    predicate: str
    object: str
    evidence: str = ""
    confidence: float = 1.0
    title: str | None = None
    sentence: int | None = None
    start: int | None = None
    end: int | None = None
    rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.subject, "predicate": self.predicate,
                               "object": self.object}
        if self.title:
            out["title"] = self.title
        out["evidence"] = self.evidence
        out["confidence"] = round(float(self.confidence), 3)
        for k in ("sentence", "start", "end", "rule"):
            if getattr(self, k) is not None:
                out[k] = getattr(self, k)
        return out


DOCUMENT_KEYS = ("url", "title", "published", "site", "source")
META_KEYS = ("sha256", "headline", "chars", "extractor", *DOCUMENT_KEYS)


@dataclass
class Record:
    doc: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sha256: str | None = None
    headline: str | None = None
    chars: int | None = None
    extractor: str | None = None
    # what the input says about the document (web page metadata, dump fields, feed entry)
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 publication date
    site: str | None = None
    source: str | None = None  # the file it was read from

    def entity(self, eid: str) -> Entity:
        for e in self.entities:
            if e.id == eid:
                return e
        raise KeyError(eid)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }
        meta = {k: getattr(self, k) for k in META_KEYS if getattr(self, k) is not None}
        if meta:
            out["meta"] = meta
        return out

    @classmethod
    def from_json(cls, data: Any, where: str = "record") -> Record:
        """Parse and check a record; anything off raises InputError naming `where`."""
        voc = vocabulary()
        if not isinstance(data, dict):
            raise InputError(f"{where}: a record must be a JSON object")
        doc = data.get("doc")
        if not isinstance(doc, str) or not doc.strip():
            raise InputError(f"{where}: 'doc' must be a non-empty string")
        ents_raw, rels_raw = data.get("entities", []), data.get("relations", [])
        if not isinstance(ents_raw, list) or not isinstance(rels_raw, list):
            raise InputError(f"{where}: 'entities' and 'relations' must be lists")
        entities: list[Entity] = []
        seen: set[str] = set()
        for i, e in enumerate(ents_raw):
            if not isinstance(e, dict):
                raise InputError(f"{where}: entity {i} is not an object")
            eid, etype, name = e.get("id"), e.get("type"), e.get("name")
            if not isinstance(eid, str) or not eid or eid in seen:
                raise InputError(f"{where}: entity {i} has a missing or duplicate 'id'")
            if etype not in voc.entity_types:
                raise InputError(f"{where}: entity {eid!r} has unknown type {etype!r}")
            if not isinstance(name, str) or not name.strip():
                raise InputError(f"{where}: entity {eid!r} has no name")
            sub = e.get("subtype")
            if sub is not None and sub not in voc.subtypes:
                raise InputError(f"{where}: entity {eid!r} has unknown subtype {sub!r}")
            aliases = e.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise InputError(f"{where}: entity {eid!r} has aliases that are not strings")
            attrs: dict[str, Any] = {k: e.get(k) for k in ("kind", "status", "date")}
            for k, v in attrs.items():
                if v is not None and not isinstance(v, str):
                    raise InputError(f"{where}: entity {eid!r} has a non-string {k!r}")
            seen.add(eid)
            entities.append(Entity(id=eid, type=etype, name=name, subtype=sub,
                                   aliases=list(aliases), **attrs))
        relations: list[Relation] = []
        for i, r in enumerate(rels_raw):
            if not isinstance(r, dict):
                raise InputError(f"{where}: relation {i} is not an object")
            s, p, o = r.get("subject"), r.get("predicate"), r.get("object")
            if p not in voc.predicates:
                raise InputError(f"{where}: relation {i} has unknown predicate {p!r}")
            if s not in seen or o not in seen:
                raise InputError(f"{where}: relation {i} points at an unknown entity id")
            conf = r.get("confidence", 1.0)
            if not isinstance(conf, int | float) or isinstance(conf, bool) or not 0 <= conf <= 1:
                raise InputError(f"{where}: relation {i} has a confidence outside [0, 1]")
            ev = r.get("evidence", "")
            title = r.get("title")
            if not isinstance(ev, str) or (title is not None and not isinstance(title, str)):
                raise InputError(f"{where}: relation {i} has a non-string evidence or title")
            ints = {k: r.get(k) for k in ("sentence", "start", "end")}
            if any(v is not None and (not isinstance(v, int) or isinstance(v, bool))
                   for v in ints.values()):
                raise InputError(f"{where}: relation {i} has non-integer offsets")
            rule = r.get("rule")
            relations.append(Relation(subject=s, predicate=p, object=o, evidence=ev,
                                      confidence=float(conf), title=title,
                                      rule=rule if isinstance(rule, str) else None, **ints))
        meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
        for k in DOCUMENT_KEYS:
            if meta.get(k) is not None and not isinstance(meta[k], str):
                raise InputError(f"{where}: meta {k!r} must be a string")
        return cls(doc=doc, entities=entities, relations=relations,
                   sha256=meta.get("sha256"), headline=meta.get("headline"),
                   chars=meta.get("chars"), extractor=meta.get("extractor"),
                   **{k: meta.get(k) for k in DOCUMENT_KEYS})


def write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n


def read_jsonl(path: Path) -> Iterator[Record]:
    """Yield records; a malformed line raises InputError naming file and line."""
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
                yield Record.from_json(data, where=f"{path}:{lineno}")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from None
