"""Extraction inside an executor: `loaders.pipeline.extract_texts` over one partition.

The pipeline is cached per process (`load_pipeline`), and PySpark reuses its Python workers,
so each executor process loads spaCy once, not once per partition or document."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace

from kg.sources.document import Document
from kg.spark.inputs import Item, Order

Out = tuple[Order, str, str]  # (order, "rec" | "err", record JSON | message)


def extract_partition(items: Iterable[Item], model: str | None, batch_size: int) -> Iterator[Out]:
    """Records (as spec JSON lines) and error lines for one partition, keyed by order.

    Each document goes through the pipeline under a token unique in the partition, so two
    documents with the same name never mix up, then gets its name back."""
    from loaders.pipeline import extract_texts

    pending: dict[str, tuple[Order, str]] = {}
    errors: list[Out] = []

    def texts() -> Iterator[Document]:
        for n, (order, doc, document, error) in enumerate(items):
            if error is not None or document is None:
                errors.append((order, "err", error or f"{doc}: unreadable"))
                continue
            pending[str(n)] = (order, doc)
            yield replace(document, slug=str(n))

    def failed(token: str, message: str) -> None:
        order, doc = pending.pop(token, ((), token))
        errors.append((order, "err", f"Error: {doc}: {message}"))

    for rec in extract_texts(texts(), model=model, batch_size=batch_size, on_error=failed):
        order, doc = pending.pop(rec.doc)
        rec.doc = doc
        yield from _drain(errors)
        yield order, "rec", json.dumps(rec.to_json(), ensure_ascii=False)
    yield from _drain(errors)


def _drain(errors: list[Out]) -> Iterator[Out]:
    while errors:
        yield errors.pop(0)
