"""Document identity: every input of one run gets a `doc` that no other input shares.

The rule (README, "What happens when… two files have the same name"):

* `doc` is the file name without its extension (the spec's rule), whenever no other input of
  the run has the same identity. Identity is the document IRI, i.e. the slug of `doc`
  (`Energy Deal` and `energy-deal` are one identity).
* Inputs inside a folder named on the command line that share an identity are told apart by
  their path inside that folder, without the extension: `sub1/news`, `sub2/news`. The same
  files give the same `doc` on every run.
* If that still leaves two inputs with one identity (`Energy Deal.txt` and `energy_deal.txt`
  side by side, or two files named directly), the first (in command-line and sorted order) is
  read and each later one is an error naming both files: never an overwrite.

Across builds (README, "What happens when… a later build brings another file with a stored
document's name") the store knows each stored document's source: its file (`dcterms:source`,
an absolute path), URL and text digest. A document built again from the same source -- the
same file, a dump's entry with the same URL, or the very same text -- replaces the stored one
(an edited article is updated); a document from another source that takes a stored identity
is an error naming both, and is skipped, unless the build says `--replace`. `Claims` holds
that rule for one build. A file the store holds is also known by its path: built again under
another name (alone instead of with its folder) it keeps its stored `doc`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ontology.vocab import slugify

if TYPE_CHECKING:
    from kg.sources.document import Document
    from kg.sources.files import Source


def identity(doc: str) -> str:
    """What makes two documents one: the slug of their `doc` (their IRI's last segment)."""
    return slugify(doc)


def assign_identities(sources: list[Source]) -> list[Source]:
    readable = [s for s in sources if s.problem is None]
    by_id: dict[str, list[Source]] = {}
    for s in readable:
        by_id.setdefault(identity(s.slug), []).append(s)
    for group in by_id.values():
        if len(group) > 1:
            for s in group:
                if s.rel:
                    s.slug = s.rel.rsplit(".", 1)[0] if "." in s.rel.rsplit("/", 1)[-1] \
                        else s.rel
    taken: dict[str, Source] = {}
    for s in readable:
        key = identity(s.slug)
        first = taken.get(key)
        if first is None:
            taken[key] = s
            continue
        s.problem = (f"{s.path}: same document identity {s.slug!r} as {first.path} "
                     "(names differing only in case, spaces or punctuation are one "
                     "document): skipped, rename one of them")
    return sources


@dataclass(frozen=True)
class Holder:
    """Where the document holding an identity came from: its file and URL, and whether it is
    the store's (an earlier build) or this build's."""

    source: str | None
    url: str | None = None
    stored: bool = False
    sha256: str | None = None  # of the text as read (the record's meta.sha256)

    def same_source(self, other: Holder) -> bool:
        """One source: the same file (resolved, so `./a.txt` and `a.txt` are one), the same
        URL, or the very same text (a copy of the file elsewhere). A stored document without
        any of these (an earlier kg recorded none) cannot be told apart, and is replaced as
        before."""
        if self.source is None and self.url is None and self.sha256 is None:
            return True
        if self.sha256 and self.sha256 == other.sha256:
            return True
        if self.source and other.source and _resolved(self.source) == _resolved(other.source):
            return True
        return bool(self.url and other.url and self.url == other.url)

    def describe(self) -> str:
        return self.source or self.url or "?"


def _resolved(path: str) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a loop of links: compare as written
        return Path(path)


class Claims:
    """The identities one build may write: the store's documents (unless the build starts
    over), then each document of the build as it is read. `admit` says why a document may not
    take its identity (another source holds it), or None."""

    def __init__(self, stored: dict[str, Holder] | None = None, replace: bool = False,
                 names: dict[str, str] | None = None) -> None:
        self.held: dict[str, Holder] = dict(stored or {})
        self.replace = replace
        # stored file (resolved) -> the `doc` it was stored as, for files that are one document
        self.names: dict[Path, str] = {}
        for source, doc in (names or {}).items():
            self.names[_resolved(source)] = doc

    def stored_name(self, doc: Document) -> str:
        """The `doc` the store holds this file as, whatever this run named it: a file built
        with its folder (`sub1/news`) and later alone (`news`) stays one document."""
        if not doc.source:
            return doc.slug
        return self.names.get(_resolved(doc.source), doc.slug)

    def admit(self, doc: Document) -> str | None:
        key = identity(doc.slug)
        new = Holder(doc.source, doc.url,
                     sha256=hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
        held = self.held.get(key)
        if held is None or held.same_source(new) or (held.stored and self.replace):
            self.held[key] = new
            return None
        where = doc.where or doc.source or doc.slug
        if held.stored:
            return (f"{where}: document identity {doc.slug!r} is already the stored document "
                    f"read from {held.describe()}: skipped (rename one of them, or build "
                    "with --replace to overwrite the stored one)")
        return (f"{where}: same document identity {doc.slug!r} as {held.describe()} in this "
                "build: skipped, rename one of them")
