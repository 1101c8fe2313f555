"""Input formats: one registry by name, with aliases and one get(), like the export formats
(`kg.backends.rdf.export`). A reader turns one file into documents: a text file or a saved page
into one, an article dump or a feed into one per entry. Whole-file problems raise InputError;
a bad entry is reported through `Problems.bad` (file and line named) and the rest is read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, UsageError
from kg.sources.document import Document

FIELDS = ("id", "url", "title", "date", "text", "site")


@dataclass
class Problems:
    """Where readers report: `warn` for what is read anyway, `bad` for an entry left out."""

    warn: Callable[[str], None] = lambda msg: None
    bad: Callable[[str], None] = lambda msg: None


@dataclass(frozen=True)
class ReadOptions:
    """Field names of article dumps: the record's role (id, url, title, date, text, site) ->
    the dump's column or key; roles left out use their own name (and common synonyms)."""

    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, pairs: tuple[str, ...] | list[str]) -> ReadOptions:
        fields: dict[str, str] = {}
        for p in pairs:
            role, sep, name = p.partition("=")
            role, name = role.strip().lower(), name.strip()
            if not sep or not name:
                raise UsageError(f"--field {p!r}: expected ROLE=NAME, e.g. text=body")
            if role not in FIELDS:
                raise UsageError(f"--field {p!r}: unknown role {role!r}. Available: "
                                 f"{', '.join(FIELDS)}")
            fields[role] = name
        return cls(fields)


ReadFn = Callable[[Path, ReadOptions, Problems], Iterator[Document]]


@dataclass(frozen=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]  # what a folder's files are recognised by
    read: ReadFn
    description: str
    forced_suffixes: tuple[str, ...] = ()  # also taken from folders under --input-format


def _text(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    from kg.sources.files import read_text, slug_of

    yield Document(slug=slug_of(path), text=read_text(path, warn=problems.warn),
                   source=str(path), format="text", where=str(path))


def _html(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    from kg.sources.html import read_html

    yield read_html(path, problems)


def _jsonl(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    from kg.sources.dumps import read_jsonl_dump

    yield from read_jsonl_dump(path, opts, problems)


def _csv(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    from kg.sources.dumps import read_csv_dump

    yield from read_csv_dump(path, opts, problems)


def _feed(path: Path, opts: ReadOptions, problems: Problems) -> Iterator[Document]:
    from kg.sources.feeds import read_feed

    yield from read_feed(path, problems)


READERS: dict[str, Reader] = {r.name: r for r in [
    Reader("text", (".txt", ".md", ".text", ""), _text, "plain text, one article per file"),
    Reader("html", (".html", ".htm", ".xhtml"), _html,
           "a saved web page: main text (no navigation or ads), title, date, URL, site"),
    Reader("jsonl", (".jsonl", ".ndjson"), _jsonl,
           "an article dump, one JSON object per line (fields: id, url, title, date, text)"),
    Reader("csv", (".csv",), _csv, "an article dump, one row per article (same fields)"),
    Reader("feed", (".rss", ".atom"), _feed, "an RSS or Atom feed, one document per entry",
           forced_suffixes=(".xml",)),
]}
ALIASES = {"txt": "text", "htm": "html", "ndjson": "jsonl", "rss": "feed", "atom": "feed"}


def get(name: str) -> Reader:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in READERS:
        raise UsageError(f"Unknown input format {name!r}. Available: {', '.join(READERS)}")
    return READERS[key]


def suffixes(forced: Reader | None = None) -> set[str]:
    """File endings a folder's files are taken by."""
    if forced is not None:
        return {*forced.suffixes, *forced.forced_suffixes}
    return {s for r in READERS.values() for s in r.suffixes}


def reader_for(path: Path, forced: Reader | None = None) -> Reader:
    if forced is not None:
        return forced
    suffix = path.suffix.lower()
    for r in READERS.values():
        if suffix in r.suffixes:
            return r
    return READERS["text"]  # named directly with an unknown ending: read as text, as before


def read_documents(path: Path, forced: Reader | None = None, opts: ReadOptions | None = None,
                   problems: Problems | None = None) -> Iterator[Document]:
    yield from reader_for(path, forced).read(path, opts or ReadOptions(), problems or Problems())


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A file's bytes with the text reader's refusals (not a regular file, vanished,
    unreadable, too big) plus empty files."""
    from kg.sources import files

    data = files.read_bytes(path, limit)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    return data
