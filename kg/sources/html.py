"""Saved web pages through trafilatura: the article's main text without navigation, ads and
footers, and the page's own metadata (title, publication date, canonical URL, site name)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.sources.dates import iso_date
from kg.sources.document import Document, with_title

if TYPE_CHECKING:
    from kg.sources.registry import Problems

logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its per-page notes are not ours
logging.getLogger("htmldate").setLevel(logging.ERROR)


def read_html(path: Path, problems: Problems) -> Document:
    import trafilatura

    from kg.sources.files import slug_of
    from kg.sources.registry import read_bytes

    data = read_bytes(path)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: binary file (NUL bytes), skipped")
    try:
        page = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                           include_tables=False)
        if page is None or isinstance(page, dict) or not (page.text or "").strip():
            page = trafilatura.bare_extraction(data, with_metadata=True, favor_recall=True,
                                               include_comments=False, include_tables=False)
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise many types
        raise InputError(f"{path}: not a readable HTML page ({type(exc).__name__})") from None
    if page is None or isinstance(page, dict) or not (page.text or "").strip():
        raise InputError(f"{path}: no article text found in the page")
    title = (page.title or "").strip() or None
    return Document(slug=slug_of(path), text=with_title(title, page.text or ""),
                    source=str(path),
                    url=page.url or None, title=title, published=iso_date(page.date),
                    site=page.sitename or page.hostname or None, format="html",
                    where=str(path))
