"""kg build: input files (text, web pages, dumps, feeds) -> records -> resolved graph ->
embedded store, streamed end to end."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.backends.rdf.integrity import record_log
from kg.backends.rdf.store import EmbeddedStore
from kg.errors import InputError
from kg.record.schema import Record
from kg.resolve.resolver import Resolver
from kg.sources.document import Document
from kg.sources.files import Source, discover, slug_of
from kg.sources.identity import Claims, Holder, identity
from kg.sources.registry import Problems, Reader, ReadOptions, read_documents, suffixes
from kg.sources.unchanged import Unchanged


@dataclass
class BuildResult:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    unchanged: int = 0  # inputs the store already held as they are: not read again
    store: str | None = None


@dataclass(frozen=True)
class Inputs:
    """How inputs are read: a format for every file (`--input-format`) or by ending, and the
    field names of article dumps."""

    format: Reader | None = None
    options: ReadOptions = field(default_factory=ReadOptions)


def inputs_from(fmt: str | None, fields: tuple[str, ...] | list[str] = ()) -> Inputs:
    """`--input-format NAME` and `--field ROLE=NAME` as Inputs (unknown names: UsageError)."""
    from kg.sources.registry import get

    return Inputs(format=get(fmt) if fmt else None, options=ReadOptions.parse(fields))


def read_sources(paths: list[Path], report: Callable[[str], None],
                 result: BuildResult, tick: Callable[[], None] = lambda: None,
                 inputs: Inputs | None = None, claims: Claims | None = None,
                 unchanged: Unchanged | None = None) -> Iterator[Document]:
    """Yield documents; a file that cannot be read, or a bad entry of a dump or feed, is
    reported once and skipped, and the rest goes on. A document's `source` is its file's
    absolute path (what later builds compare identities by); with `claims` (a build), a
    document whose identity another source holds is reported and skipped; one that
    `unchanged` says the store holds as it is, is counted and not read again."""
    inputs = inputs or Inputs()

    def bad(message: str) -> None:
        report(message)
        result.failed.append(message.split(": ", 1)[0])

    problems = Problems(warn=report, bad=bad)
    for src in discover(paths, suffixes(inputs.format)):
        if src.problem is not None:
            report(f"{'Warning' if src.warning else 'Error'}: {src.problem}")
            if not src.warning:
                result.failed.append(str(src.path))
            tick()
            continue
        try:
            for doc in read_documents(src.path, inputs.format, inputs.options, problems):
                # a file that is one document takes the identity discover() gave it
                # (unique across folders); a dump's or feed's entries keep their own ids
                one = doc.slug == slug_of(src.path)
                if one and src.slug:
                    doc.slug = src.slug
                if doc.source:
                    doc.source = os.path.abspath(doc.source)
                if one and claims is not None:
                    doc.slug = claims.stored_name(doc)
                problem = claims.admit(doc) if claims is not None else None
                if problem is not None:
                    report(f"Error: {problem}")
                    result.failed.append(doc.where or str(src.path))
                    continue
                if unchanged is not None and unchanged.holds(doc):
                    result.unchanged += 1
                    continue
                yield doc
        except InputError as exc:
            report(f"Error: {exc}")
            result.failed.append(str(src.path))
        tick()


def prepare(model: str | None) -> str:
    """Load the spaCy pipeline before anything is written: a build that cannot extract
    (the model is missing) fails before it creates a store. Returns the extractor's name
    and version, what tells a stored document read by another extractor."""
    from loaders.pipeline import extractor_id, load_pipeline

    return extractor_id(load_pipeline(model))


def extract_records(paths: list[Path], model: str | None, report: Callable[[str], None],
                    result: BuildResult, tick: Callable[[], None] = lambda: None,
                    batch_size: int = 16, inputs: Inputs | None = None,
                    jobs: int = 1, claims: Claims | None = None,
                    unchanged: Unchanged | None = None) -> Iterator[Record]:
    from loaders.parallel import extract_parallel

    def failed(slug: str, message: str) -> None:
        report(f"Error: {slug}: {message}")
        result.failed.append(slug)

    yield from extract_parallel(read_sources(paths, report, result, tick, inputs, claims,
                                                 unchanged),
                                model=model, jobs=jobs, batch_size=batch_size,
                                on_error=failed)


def claims_of(rows: list[dict[str, Any]], *, replace: bool) -> Claims:
    """The identities the store's documents (`document_rows`; none when the build starts
    over) hold, with the sources they were read from; `replace` lets another source
    overwrite them."""
    stored = {identity(_doc(d)): Holder(d.get("source"), d.get("url"), stored=True,
                                        sha256=d.get("sha256")) for d in rows}
    per_source: dict[str, list[str]] = {}
    for d in rows:
        if d.get("source"):
            per_source.setdefault(str(d["source"]), []).append(_doc(d))
    # a dump or a feed holds many documents: only a file stored as one is known by its path
    names = {src: docs[0] for src, docs in per_source.items() if len(docs) == 1}
    return Claims(stored, replace=replace, names=names)


def _doc(row: dict[str, Any]) -> str:
    return str(row.get("slug") or row["iri"].rsplit("/", 1)[-1])




def count_sources(paths: list[Path], inputs: Inputs | None = None) -> list[Source]:
    return discover(paths, suffixes((inputs or Inputs()).format))


def build_store(records: Iterable[Record], store: EmbeddedStore, *, reset: bool,
                result: BuildResult, batch_quads: int = 20_000) -> BuildResult:
    """Resolve and stage every record, publish them at once, and keep the published records
    in the store (`records.jsonl`, what `kg store rebuild` rebuilds from)."""
    with record_log(store.path, reset) as kept, \
            store.build(reset=reset, batch_quads=batch_quads) as b:
        resolver: Resolver | None = None  # read the store's entities only if a record comes
        for rec in records:
            if resolver is None:
                resolver = Resolver([] if reset else store.known_nodes())
            graph = resolver.resolve(rec)
            b.stage(graph)
            kept.add(rec)
            result.documents += 1
            result.entities += len(graph.nodes)
            result.relations += len(graph.edges)
        resolver = None  # its names are not needed to publish: free them first
    return result
