"""Small real stores for the query-speed tests: invented institutions signing invented
agreements, built through kg's own resolve-and-publish path (no spaCy needed)."""

from __future__ import annotations

from pathlib import Path

from kg.backends.rdf.store import EmbeddedStore
from kg.flow import BuildResult, build_store
from kg.record.schema import Entity, Record, Relation


def deal(doc: str, a: str, b: str, sector: str = "robotics") -> Record:
    """One article: institutions `a` and `b` sign an agreement covering `sector`."""
    agreement = f"{a}–{b} cooperation agreement"
    s = f"{a} and {b} signed a cooperation agreement on {sector} on 3 March 2025."
    ents = [Entity("e1", "Institution", a, subtype="Company"),
            Entity("e2", "Institution", b, subtype="University"),
            Entity("e3", "Sector", sector),
            Entity("e4", "Agreement", agreement, kind="cooperation agreement", status="signed",
                   date="2025-03-03")]
    rels = [Relation("e1", "PARTY_TO", "e4", s, 0.9, sentence=0),
            Relation("e2", "PARTY_TO", "e4", s, 0.9, sentence=0),
            Relation("e4", "COVERS_SECTOR", "e3", s, 0.8, sentence=0)]
    return Record(doc=doc, entities=ents, relations=rels, headline=f"{a} and {b} cooperate",
                  chars=len(s))


FIRST = [deal("qs-1", "Vornakel Company", "Ostrevin University"),
         deal("qs-2", "Vornakel Company", "Lumbrisk University", "health"),
         deal("qs-3", "Taldomir Company", "Ostrevin University", "energy")]
MORE = [deal("qs-4", "Quenvaro Company", "Ostrevin University"),
        deal("qs-5", "Brastelune Company", "Lumbrisk University", "finance")]


def build(path: Path, records: list[Record], reset: bool = False) -> None:
    with EmbeddedStore(path) as st:
        build_store(records, st, reset=reset, result=BuildResult())
