"""A deterministic synthetic newsroom: thousands of distinct invented names (syllable
compounds, never a real or corpus name), as extraction records (for build and query
benchmarks, so the store path is measured without spaCy) and as article texts (for the
extraction benchmark)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from kg.record.schema import Entity, Record, Relation

SYLLABLES = ["bra", "cel", "dor", "fen", "gal", "hur", "isk", "jom", "kav", "lun", "mor",
             "nex", "opal", "pry", "quor", "rin", "sul", "tav", "ulm", "vex", "wyn", "xan",
             "yor", "zel", "ast", "bel", "cor", "dun", "eth", "fal"]
HEADS = {"University": "University", "Company": "Company", "ResearchInstitute": "Institute",
         "GovernmentBody": "Agency"}
TITLES = ["CEO", "Rector", "Director", "Vice President", "Chairman"]
SECTORS = ["health", "education", "energy", "robotics", "agriculture", "logistics",
           "telecommunications", "finance"]


def invented(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


class World:
    """Pools of institutions and people sized to the corpus: names recur across documents
    (so resolution and the merged graph have shared facts to handle) but thousands differ."""

    def __init__(self, documents: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        n_inst, n_people = max(20, documents // 2), max(20, documents // 2)
        names: set[str] = set()
        self.institutions: list[tuple[str, str]] = []
        while len(self.institutions) < n_inst:
            sub = rng.choice(sorted(HEADS))
            name = f"{invented(rng, 3)} {HEADS[sub]}"
            if name not in names:
                names.add(name)
                self.institutions.append((name, sub))
        self.people: list[str] = []
        while len(self.people) < n_people:
            name = f"{invented(rng)} {invented(rng, 3)}"
            if name not in names:
                names.add(name)
                self.people.append(name)
        # after the pools above, so they stay what they were
        self.places = sorted({f"{invented(rng, 2)}ville" for _ in range(max(10, documents // 50))})


def records(documents: int, seed: int = 7) -> Iterator[Record]:
    world = World(documents, seed)
    for i in range(documents):
        rng = random.Random(seed * 1_000_003 + i)
        (a, sa), (b, sb) = rng.sample(world.institutions, 2)
        person, title = rng.choice(world.people), rng.choice(TITLES)
        sector = rng.choice(SECTORS)
        agreement = f"{a}–{b} cooperation agreement"
        s1 = f"{a} and {b} signed a cooperation agreement on {sector} on 2 May 2025."
        s2 = f"{person}, {title} of {a}, said the deal would last five years."
        ents = [Entity("e1", "Institution", a, subtype=sa), Entity("e2", "Institution", b, subtype=sb),
                Entity("e3", "Person", person), Entity("e4", "Sector", sector),
                Entity("e5", "Agreement", agreement, kind="cooperation agreement",
                       status="signed", date="2025-05-02")]
        rels = [Relation("e1", "PARTY_TO", "e5", s1, 0.9, sentence=0),
                Relation("e2", "PARTY_TO", "e5", s1, 0.9, sentence=0),
                Relation("e5", "COVERS_SECTOR", "e4", s1, 0.8, sentence=0),
                Relation("e3", "HOLDS_POSITION", "e1", s2, 0.85, title=title, sentence=1)]
        if rng.random() < 0.3:
            c, sc = rng.choice(world.institutions)
            if c not in (a, b):
                ents.append(Entity("e6", "Institution", c, subtype=sc))
                rels.append(Relation("e6", "PARTNER_OF", "e1", s2, 0.7, sentence=1))
        # drawn after the facts above, so those stay what they were before these were added
        if rng.random() < 0.4:  # where the first party is
            ents.append(Entity("e7", "Location", rng.choice(world.places)))
            rels.append(Relation("e1", "LOCATED_IN", "e7", s2, 0.75, sentence=1))
        if rng.random() < 0.15:  # a unit of the first party
            ents.append(Entity("e8", "Institution", f"{a.rsplit(' ', 1)[0]} Laboratory",
                               subtype="ResearchInstitute"))
            rels.append(Relation("e8", "PART_OF", "e1", s2, 0.75, sentence=1))
        if rng.random() < 0.1:  # a joint centre the agreement sets up
            ents.append(Entity("e9", "Institution", f"{a.rsplit(' ', 1)[0]}–"
                               f"{b.rsplit(' ', 1)[0]} Joint Centre", subtype="Other"))
            rels.append(Relation("e5", "ESTABLISHES", "e9", s1, 0.8, sentence=0))
        yield Record(doc=f"synth-{i:06d}", entities=ents, relations=rels,
                     headline=f"{a} and {b} cooperate", chars=len(s1) + len(s2) + 1)


def texts(documents: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """Article texts in the shape of the records above (a few paragraphs each)."""
    world = World(documents, seed)
    for i in range(documents):
        rng = random.Random(seed * 7_000_003 + i)
        paras = []
        for _ in range(4):
            (a, _), (b, _) = rng.sample(world.institutions, 2)
            person, title = rng.choice(world.people), rng.choice(TITLES)
            paras.append(f"{a} and {b} signed a cooperation agreement on {rng.choice(SECTORS)} "
                         f"on {rng.randint(1, 28)} May 2025. {person}, {title} of {a}, said the "
                         f"partnership would train engineers and fund joint laboratories over "
                         f"the next five years.")
        yield f"synth-{i:06d}", "\n\n".join(paras) + "\n"
