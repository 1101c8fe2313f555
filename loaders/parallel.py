"""Extraction in N worker processes, with the records in input order whatever N.

The parent loads the pipeline and the place index once and forks the workers, so each starts
warm (no model load, no index build). Documents go out in chunks through a bounded window
(at most two chunks per worker in flight), so memory stays flat on any corpus, and results are
yielded in submission order: the output equals a one-process run, record for record."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from kg.record.schema import Record
from kg.sources.document import Document

_MODEL: str | None = None


def _work(args: tuple[list[tuple[str, str]], int]) -> tuple[list[Record], list[tuple[str, str]]]:
    from loaders.pipeline import extract_texts

    items, batch_size = args
    errors: list[tuple[str, str]] = []
    records = list(extract_texts(items, model=_MODEL, batch_size=batch_size,
                                 on_error=lambda slug, msg: errors.append((slug, msg))))
    return records, errors


def extract_parallel(items: Iterable[tuple[str, str] | Document], *, model: str | None, jobs: int,
                     batch_size: int = 16,
                     on_error: Callable[[str, str], None] | None = None,
                     chunk: int | None = None) -> Iterator[Record]:
    """Like loaders.pipeline.extract_texts, in `jobs` processes (0: one per CPU)."""
    from loaders.pipeline import extract_texts, load_pipeline
    from loaders.places import place_index

    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        yield from extract_texts(items, model=model, batch_size=batch_size, on_error=on_error)
        return
    global _MODEL
    _MODEL = model
    load_pipeline(model)  # warm in the parent: the forked workers inherit it
    place_index()
    size = chunk or max(4, batch_size)
    it = iter(items)
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        pending: deque[Any] = deque()

        def submit() -> bool:
            part = list(islice(it, size))
            if part:
                pending.append(pool.apply_async(_work, ((part, batch_size),)))
            return bool(part)

        for _ in range(2 * jobs):
            if not submit():
                break
        while pending:
            records, errors = pending.popleft().get()
            submit()
            for slug, msg in errors:
                if on_error is None:
                    raise RuntimeError(f"{slug}: {msg}")
                on_error(slug, msg)
            yield from records
