"""One input document as the readers hand it on: its text plus what its source says about it
(URL, title, publication date, site, the file it came from). The extractor reads the text; the
metadata travels into the record, both stores and `kg why`, and the publication date gives
agreement dates without a year their year."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    slug: str
    text: str
    source: str | None = None  # the file it was read from (a dump or a feed holds many)
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD)
    site: str | None = None
    format: str = "text"
    where: str = field(default="", repr=False)  # file[:line] for messages

    def metadata(self) -> dict[str, str]:
        """The record's document fields that are set (spec section 3, `meta`)."""
        out = {k: getattr(self, k) for k in ("url", "title", "published", "site", "source")}
        return {k: v for k, v in out.items() if v}


def with_title(title: str | None, text: str) -> str:
    """The text as the extractor should read it: the title first, as the headline, unless the
    body already starts with it."""
    body = text.strip()
    if title and not body.startswith(title.strip()):
        return f"{title.strip()}\n\n{body}"
    return body
