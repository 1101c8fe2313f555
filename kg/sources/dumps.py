"""Article dumps (exports of news APIs and scrapers): JSON Lines or CSV, one article per line
or row. Field names differ between exporters, so each role (id, url, title, date, text, site)
is looked up under the name `--field ROLE=NAME` gives, else under its own name and common
synonyms. A bad line (not JSON, no text, too long) is named by file and line and skipped;
the rest of the dump is read. The file is streamed, so a dump may be far larger than one
article's limit; each article's text is held to that limit."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.sources.dates import iso_date
from kg.sources.document import Document, with_title
from kg.sources.files import max_bytes, open_text, slug_of
from ontology.vocab import slugify

if TYPE_CHECKING:
    from kg.sources.registry import Problems, ReadOptions

SYNONYMS = {
    "id": ("id", "doc", "guid", "uuid", "article_id"),
    "url": ("url", "link", "href", "canonical_url"),
    "title": ("title", "headline", "name"),
    "date": ("date", "published", "published_at", "pubDate", "datePublished", "publish_date"),
    "text": ("text", "body", "content", "article", "maintext"),
    "site": ("site", "source", "sitename", "publisher", "domain"),
}


def _pick(row: dict[str, Any], role: str, opts: ReadOptions) -> Any:
    if role in opts.fields:
        return row.get(opts.fields[role])
    for name in SYNONYMS[role]:
        if row.get(name) not in (None, ""):
            return row[name]
    return None


def article_document(path: Path, lineno: int, row: dict[str, Any], opts: ReadOptions,
              problems: Problems, fmt: str) -> Document | None:
    where = f"{path}:{lineno}"
    text = _pick(row, "text", opts)
    if not isinstance(text, str) or not text.strip():
        if "entities" in row and "doc" in row:
            problems.bad(f"{where}: an extraction record (kg extract output), not an article")
            return None
        looked = repr(opts.fields["text"]) if "text" in opts.fields else \
            "/".join(SYNONYMS["text"]) + " (or --field text=NAME)"
        problems.bad(f"{where}: no article text in field {looked}")
        return None
    if len(text.encode("utf-8", errors="replace")) > max_bytes():
        problems.bad(f"{where}: the article text is over the {max_bytes()}-byte limit "
                     "(KG_MAX_BYTES)")
        return None
    if "\x00" in text:
        problems.bad(f"{where}: the article text has NUL bytes, skipped")
        return None
    ident = _pick(row, "id", opts)
    slug = slugify(str(ident)) if ident not in (None, "") else f"{slug_of(path)}-{lineno}"
    raw_date = _pick(row, "date", opts)
    published = iso_date(raw_date)
    if raw_date not in (None, "") and published is None:
        problems.warn(f"{where}: date {str(raw_date)[:40]!r} not understood; read without one")
    title = _str(_pick(row, "title", opts))
    return Document(slug=slug, text=with_title(title, text), source=str(path),
                    url=_str(_pick(row, "url", opts)), title=title, published=published,
                    site=_str(_pick(row, "site", opts)), format=fmt, where=where)


def _str(v: Any) -> str | None:
    return str(v).strip() or None if v not in (None, "") else None


def read_jsonl_dump(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    fh = open_text(path, "utf-8")  # a FIFO or device is refused, never waited on
    seen = 0
    with fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                line = fh.readline(max_bytes() * 2)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}:{lineno}: not UTF-8 (byte {exc.start} of the "
                                 "line); the rest of the dump is not read") from None
            if not line:
                break
            if not line.endswith("\n") and len(line) >= max_bytes() * 2:
                problems.bad(f"{path}:{lineno}: line over the {max_bytes()}-byte limit")
                while line and not line.endswith("\n"):  # skip the rest of the line
                    line = fh.readline(max_bytes())
                continue
            if not line.strip():
                continue
            seen += 1
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.bad(f"{path}:{lineno}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                problems.bad(f"{path}:{lineno}: not a JSON object")
                continue
            doc = article_document(path, lineno, row, opts, problems, "jsonl")
            if doc is not None:
                yield doc
    if not seen:
        raise InputError(f"{path}: empty file")


def read_csv_dump(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    fh = open_text(path, "utf-8-sig")  # a FIFO or device is refused, never waited on
    csv.field_size_limit(min(sys.maxsize, max_bytes() * 2))
    seen = 0
    with fh:
        reader = csv.DictReader(fh)
        try:
            header = reader.fieldnames
            if not header:
                raise InputError(f"{path}: empty file")
            wanted = opts.fields.get("text")
            if wanted and wanted not in header:
                raise InputError(f"{path}: no column {wanted!r} (columns: "
                                 f"{', '.join(header)[:200]})")
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.bad(f"{path}:{reader.line_num}: not a CSV row ({exc})")
                    continue
                seen += 1
                if None in row:  # more cells than the header has columns
                    problems.bad(f"{path}:{reader.line_num}: {len(header) + len(row[None])} "
                                 f"cells for {len(header)} columns")
                    continue
                doc = article_document(path, reader.line_num, row, opts, problems, "csv")
                if doc is not None:
                    yield doc
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{reader.line_num + 1}: not UTF-8 (byte {exc.start}); "
                             "the rest of the dump is not read") from None
    if not seen:
        raise InputError(f"{path}: no rows")
