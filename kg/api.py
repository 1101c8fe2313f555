"""The public Python API: what the CLI does, as library calls (the CLI only adds options,
progress and exit codes). Everything here raises kg.errors types, never exits.

    import kg
    result = kg.build(["examples/corpus"], store=".kg/store")
    with kg.open_backend("rdf", store=".kg/store") as g:
        cols, rows = kg.answer("partners-of", {"org": "VNU"}, g)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.backends import GraphBackend, open_backend
from kg.backends.neo4j.tuning import BATCH_SIZE as NEO4J_BATCH
from kg.errors import KgError, StoreError
from kg.flow import (
    BuildResult,
    build_store,
    claims_of,
    count_sources,
    extract_records,
    inputs_from,
    prepare,
)
from kg.query.limits import Answer, Limits
from kg.record.evaluate import Report
from kg.record.schema import Record
from kg.sources.unchanged import Unchanged

__all__ = ["BuildResult", "GraphBackend", "answer", "build", "evaluate_dir", "export_rdf",
           "extract", "extract_texts", "load_neo4j", "open_backend"]

Reporter = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def extract_texts(items: Iterable[tuple[str, str]], model: str | None = None,
                  batch_size: int = 16,
                  on_error: Callable[[str, str], None] | None = None) -> Iterator[Record]:
    """(doc id, text) pairs -> extraction records (spec section 3), in input order."""
    from loaders.pipeline import extract_texts as run

    return run(items, model=model, batch_size=batch_size, on_error=on_error)


def _existing(paths: Iterable[str | Path], report: Reporter, result: BuildResult) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.exists() or p.is_symlink():
            out.append(p)
        else:
            report(f"Error: {p}: no such file or folder")
            result.failed.append(str(p))
    return out


def extract(paths: Iterable[str | Path], *, model: str | None = None, batch_size: int = 16,
            report: Reporter = _quiet, tick: Callable[[], None] = lambda: None,
            input_format: str | None = None, fields: Iterable[str] = (), jobs: int = 1
            ) -> tuple[Iterator[Record], BuildResult]:
    """Records for the files and folders given, streamed; `result` fills in as they flow
    (unreadable inputs and bad entries of dumps and feeds are reported and counted in
    result.failed, the rest goes on). Files are read by their ending (text, html, jsonl,
    csv, feed) or all as `input_format`; `fields` maps dump columns: ["text=body"]."""
    inputs = inputs_from(input_format, list(fields))
    result = BuildResult()
    found = _existing(paths, report, result)
    return extract_records(found, model, report, result, tick=tick, batch_size=batch_size,
                           inputs=inputs, jobs=jobs), result


def build(paths: Iterable[str | Path], *, store: str | Path | None = None,
          model: str | None = None, reset: bool = False, batch_size: int = 16,
          report: Reporter = _quiet, progress: Callable[[int], Callable[[], None]] | None = None,
          input_format: str | None = None, fields: Iterable[str] = (),
          jobs: int = 1, replace: bool = False, force: bool = False) -> BuildResult:
    """Extract, resolve across documents and publish to the embedded store at once.

    `progress(total)` may return a tick callable (the CLI passes a progress bar);
    `input_format` and `fields` as for `extract`. A document whose identity a stored
    document from another source holds is an error (in result.failed), unless `replace`."""
    from kg.backends.rdf.store import EmbeddedStore

    inputs = inputs_from(input_format, list(fields))
    result = BuildResult()
    found = _existing(paths, report, result)
    extractor = prepare(model)  # a missing model fails before a store is created
    with EmbeddedStore(store, create=True) as st:
        tick = progress(len(count_sources(found, inputs))) if progress else (lambda: None)
        stored = [] if reset else st.document_rows()
        records = extract_records(found, model, report, result, tick=tick, batch_size=batch_size,
                                  inputs=inputs, jobs=jobs,
                                  claims=claims_of(stored, replace=replace),
                                  unchanged=None if force else Unchanged(stored, extractor))
        build_store(records, st, reset=reset, result=result)
        result.store = str(st.path)
    return result


def answer(name: str, params: dict[str, str], backend: GraphBackend,
           limits: Limits | None = None) -> Answer:
    """A saved question by name on an open backend; entity names match names and aliases.
    Bounded by `limits` (default 30 s, 10,000 rows); unpacks as (cols, rows)."""
    from kg.query import saved

    return saved.answer(saved.get(name), backend, params, limits)


def export_rdf(fmt: str, out: IO[bytes] | str | Path, *, store: str | Path | None = None) -> None:
    """The whole graph as RDF. To a path, the file appears whole or not at all."""
    from kg.backends.rdf import export as formats
    from kg.backends.rdf.store import open_reader

    f = formats.get(fmt)
    if not isinstance(out, str | Path):
        with open_reader(store) as st:
            try:
                st.dump(out, f.oxigraph, quads=f.quads)
                out.flush()
            except OSError as exc:  # a full disk, a closed pipe
                raise KgError(f"cannot write the export: {exc.strerror or exc}") from None
        return
    target = Path(out)
    if target.is_dir():
        raise KgError(f"{target}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise KgError(f"{target}: no such folder {target.parent}")
    if target.exists() and not target.is_file():  # a device or a FIFO: write to it as is
        with open_reader(store) as st:
            try:
                with target.open("wb") as fh:
                    st.dump(fh, f.oxigraph, quads=f.quads)
            except OSError as exc:
                raise KgError(f"{target}: cannot write: {exc.strerror or exc}") from None
        return
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    with open_reader(store) as st:
        try:
            with tmp.open("wb") as fh:
                st.dump(fh, f.oxigraph, quads=f.quads)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise KgError(f"{target}: cannot write: {exc.strerror or exc}") from None


def load_neo4j(*, store: str | Path | None = None, uri: str = "bolt://localhost:7687",
               user: str = "neo4j", password: str | None = None, database: str = "neo4j",
               batch_size: int = NEO4J_BATCH,
               progress: Callable[[int], Callable[[int], None]] | None = None) -> Any:
    """Mirror the embedded store into Neo4j; returns the load summary. `progress(total)` may
    return a callable that hears how many rows each batch wrote. Only what this store wrote
    is touched (see kg.backends.neo4j.store)."""
    from kg.backends.neo4j.store import Neo4jStore, store_source
    from kg.backends.rdf.store import open_reader

    with open_reader(store) as st:
        parts = st.read_graph()
        source = store_source(st)  # kg's mark on what this store's loads write
    if not parts[2]:
        raise StoreError("the embedded store is empty: run 'kg build PATH' first")
    with Neo4jStore(uri, user, password, database) as neo:
        tick = progress(neo.total_rows(*parts)) if progress else None
        return neo.load(*parts, batch_size=batch_size, progress=tick, source=source)


def evaluate_dir(gold_dir: str | Path, *, system: str | Path | None = None,
                 model: str | None = None, report: Reporter = _quiet) -> Report:
    """Score records against a folder of *.gold.json (spec section 5), extracting the gold
    texts when no system file is given. Failed documents are in report.failed_docs."""
    from kg.record.evaluate import evaluate, load_gold
    from kg.record.schema import read_jsonl
    from kg.sources.files import read_text

    gold_dir = Path(gold_dir)
    golds = load_gold(gold_dir)
    failed: list[str] = []
    if system is not None:
        records = [r.to_json() for r in read_jsonl(Path(system))]
    else:
        items = [(slug, read_text(gold_dir / g.get("text_file", f"{slug}.txt")))
                 for slug, g in golds.items()]

        def on_error(slug: str, msg: str) -> None:
            failed.append(f"{slug}: {msg}")
            report(f"Error: {slug}: {msg}")

        records = [r.to_json() for r in extract_texts(items, model=model, on_error=on_error)]
    rep = evaluate(golds, records)
    rep.failed_docs = failed
    return rep
