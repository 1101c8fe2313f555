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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ontology.vocab import slugify

if TYPE_CHECKING:
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
