"""Which inputs of a build the store already holds as they are, so the build need not read
them again: building a 20,000-document archive again after adding ten articles should cost
ten extractions, not 20,010.

A document is unchanged when the store holds its identity with the same fingerprint: the
digest of its text, what its source said about it (file, URL, title, publication date, site:
the publication date changes what the extractor reads) and the extractor and model that read
it (`kgo:extractedWith`; a new kg or another model reads everything again). Anything else, or
a stored document from before kg kept the extractor, is read and replaced as before.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from kg.record.schema import DOCUMENT_KEYS
from kg.sources.identity import identity

if TYPE_CHECKING:
    from kg.sources.document import Document

Fingerprint = tuple[str, ...]


def _fingerprint(sha256: str, extractor: str, fields: dict[str, Any]) -> Fingerprint:
    return (sha256, extractor, *(str(fields.get(k) or "") for k in DOCUMENT_KEYS))


class Unchanged:
    """The stored documents' fingerprints; `holds(doc)` says the store has `doc` as read."""

    def __init__(self, rows: list[dict[str, Any]], extractor: str) -> None:
        self.extractor = extractor
        self.stored: dict[str, Fingerprint] = {}
        for row in rows:
            if not row.get("sha256") or row.get("extractor") != extractor:
                continue
            slug = str(row.get("slug") or str(row["iri"]).rsplit("/", 1)[-1])
            self.stored[identity(slug)] = _fingerprint(str(row["sha256"]), extractor, row)

    def holds(self, doc: Document) -> bool:
        held = self.stored.get(identity(doc.slug))
        if held is None:
            return False
        digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        return held == _fingerprint(digest, self.extractor, doc.metadata())

    def __len__(self) -> int:
        return len(self.stored)
