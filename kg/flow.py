"""kg build: text files -> records -> resolved graph -> embedded store, streamed end to end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.backends.rdf.integrity import record_log
from kg.backends.rdf.store import EmbeddedStore
from kg.errors import InputError
from kg.record.schema import Record
from kg.resolve.resolver import Resolver
from kg.sources.files import Source, discover, read_text


@dataclass
class BuildResult:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    store: str | None = None


def read_sources(paths: list[Path], report: Callable[[str], None],
                 result: BuildResult, tick: Callable[[], None] = lambda: None
                 ) -> Iterator[tuple[str, str]]:
    """Yield (slug, text); a file that cannot be read is reported once and skipped."""
    for src in discover(paths):
        if src.problem is not None:
            report(f"{'Warning' if src.warning else 'Error'}: {src.problem}")
            if not src.warning:
                result.failed.append(str(src.path))
            tick()
            continue
        try:
            text = read_text(src.path, warn=report)
        except InputError as exc:
            report(f"Error: {exc}")
            result.failed.append(str(src.path))
            tick()
            continue
        yield src.slug, text
        tick()


def prepare(model: str | None) -> None:
    """Load the spaCy pipeline before anything is written: a build that cannot extract
    (the model is missing) fails before it creates a store."""
    from loaders.pipeline import load_pipeline

    load_pipeline(model)


def extract_records(paths: list[Path], model: str | None, report: Callable[[str], None],
                    result: BuildResult, tick: Callable[[], None] = lambda: None,
                    batch_size: int = 16) -> Iterator[Record]:
    from loaders.pipeline import extract_texts

    def failed(slug: str, message: str) -> None:
        report(f"Error: {slug}: {message}")
        result.failed.append(slug)

    yield from extract_texts(read_sources(paths, report, result, tick), model=model,
                             batch_size=batch_size, on_error=failed)


def count_sources(paths: list[Path]) -> list[Source]:
    return discover(paths)


def build_store(records: Iterable[Record], store: EmbeddedStore, *, reset: bool,
                result: BuildResult, batch_quads: int = 20_000) -> BuildResult:
    """Resolve and stage every record, publish them at once, and keep the published records
    in the store (`records.jsonl`, what `kg store rebuild` rebuilds from)."""
    with record_log(store.path, reset) as kept, \
            store.build(reset=reset, batch_quads=batch_quads) as b:
        resolver = Resolver([] if reset else store.known_nodes())
        for rec in records:
            graph = resolver.resolve(rec)
            b.stage(graph)
            kept.add(rec)
            result.documents += 1
            result.entities += len(graph.nodes)
            result.relations += len(graph.edges)
    return result
