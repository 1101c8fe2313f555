"""RSS and Atom files through feedparser: one document per entry, with the entry's link,
title, publication date and the feed's title as the site. An entry's text is its full
content when the feed carries it, else its summary, with the markup taken out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from kg.errors import InputError
from kg.sources.dates import iso_date
from kg.sources.document import Document, with_title
from kg.sources.files import max_bytes, slug_of
from ontology.vocab import slugify

if TYPE_CHECKING:
    from kg.sources.registry import Problems

FEED_LIMIT_FACTOR = 20  # a feed holds many articles: 20 articles' worth


def _plain(html: str) -> str:
    """Entry markup to text: paragraphs and line breaks become new lines."""
    import lxml.html

    if "<" not in html:
        return html
    try:
        tree = lxml.html.fromstring(f"<div>{html}</div>")
    except Exception:  # noqa: BLE001 - lxml parser errors: keep the raw text
        return html
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for p in tree.iter("p", "div", "li", "h1", "h2", "h3"):
        p.tail = "\n" + (p.tail or "")
    return "\n".join(ln.strip() for ln in tree.text_content().splitlines() if ln.strip())


def _entry_slug(path: Path, n: int, link: str | None, ident: str | None) -> str:
    for raw in (link, ident):
        if raw:
            tail = [p for p in urlparse(raw).path.split("/") if p]
            if tail:
                return f"{slug_of(path)}-{slugify(tail[-1].rsplit('.', 1)[0])}"
    return f"{slug_of(path)}-{n}"


def read_feed(path: Path, problems: Problems) -> Iterator[Document]:
    import feedparser

    from kg.sources.registry import read_bytes

    data = read_bytes(path, limit=max_bytes() * FEED_LIMIT_FACTOR)
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        why = f" ({type(feed.bozo_exception).__name__}: {feed.bozo_exception})" if feed.bozo \
            else ""
        raise InputError(f"{path}: no feed entries found (not RSS or Atom?){why[:160]}")
    site = (feed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(feed.entries, 1):
        where = f"{path}: entry {n}" + (f" (line {entry.get('lineno')})"
                                         if entry.get("lineno") else "")
        content = entry.get("content") or []
        body = max((c.get("value", "") for c in content), key=len, default="") or \
            entry.get("summary", "")
        text = _plain(body).strip()
        title = (entry.get("title") or "").strip() or None
        if not text and not title:
            problems.bad(f"{where}: no text and no title")
            continue
        if len(text.encode("utf-8")) > max_bytes():
            problems.bad(f"{where}: the entry text is over the {max_bytes()}-byte limit")
            continue
        link = entry.get("link") or None
        published = iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        yield Document(slug=_entry_slug(path, n, link, entry.get("id")),
                       text=with_title(title, text), source=str(path), url=link, title=title,
                       published=published, site=site, format="feed", where=where)
