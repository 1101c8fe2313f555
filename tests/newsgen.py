"""Invented news text of any length, for memory measurements (README figures and
tests/test_memory.py). Every name is made up from the parts below; the sentences are the
constructions of cooperation news (agreements, positions, places, sectors), in paragraphs
under headlines, so the extractor works on it as on a real, very long wire file."""

from __future__ import annotations

import random

_PLACES = ["Westmarch", "Lorvale", "Kestrel Bay", "Ambergate", "Norhaven", "Dunmere",
           "Silverton", "Calder Falls", "Brightwater", "Oakridge"]
_ROOTS = ["Harbour", "Ridge", "Meadow", "Granite", "Falcon", "Juniper", "Cobalt", "Lantern",
          "Willow", "Summit", "Orchid", "Beacon", "Thistle", "Marlow", "Quarry", "Vesper"]
_HEADS = ["University", "Institute of Technology", "Robotics Company", "Energy Corporation",
          "Bank", "Ministry of Industry", "Research Institute", "Telecom Group",
          "Medical College", "Steel Company"]
_GIVEN = ["Alma", "Boris", "Celia", "Dorian", "Edith", "Felix", "Greta", "Hugo", "Ines",
          "Jonas", "Kira", "Luther", "Mira", "Nestor", "Olga", "Pavel"]
_FAMILY = ["Brandt", "Castell", "Dorn", "Ellery", "Fairlie", "Gorman", "Halloway", "Ivers",
           "Jessop", "Kettle", "Lomax", "Mercer", "Norwood", "Ormsby", "Pruitt", "Quill"]
_TITLES = ["President", "Chief Executive Officer", "Vice Rector", "Director", "Chairman"]
_SECTORS = ["healthcare", "education", "renewable energy", "semiconductors", "agriculture",
            "cybersecurity", "smart cities", "logistics", "robotics", "finance"]


def _org(rng: random.Random) -> str:
    return f"{rng.choice(_ROOTS)} {rng.choice(_HEADS)}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def _paragraph(rng: random.Random) -> str:
    a, b = _org(rng), _org(rng)
    while b == a:
        b = _org(rng)
    p, t, s, place = _person(rng), rng.choice(_TITLES), rng.choice(_SECTORS), rng.choice(_PLACES)
    sentences = [
        f"{a} and {b} signed a cooperation agreement on {s} in {place} on Tuesday.",
        f"The agreement was signed by {p}, {t} of {a}, who said the two sides would "
        f"share laboratories and train staff.",
        f"{b}, a {place}-based company, plans to open a joint research centre next year.",
        f"Under the memorandum of understanding, {a} will also work with {b} on {s} "
        f"projects for public hospitals and schools.",
        f"{p} told reporters that the partnership was the first of its kind in {place}.",
    ]
    rng.shuffle(sentences)
    return " ".join(sentences[:rng.randint(3, 5)])


def news_text(chars: int, seed: int = 7) -> str:
    """About `chars` characters of invented news: a headline and 4 to 8 paragraphs per
    story, stories one after another."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        a, b = _org(rng), _org(rng)
        story = [f"{a} and {b} agree to cooperate on {rng.choice(_SECTORS)}", ""]
        for _ in range(rng.randint(4, 8)):
            story += [_paragraph(rng), ""]
        block = "\n".join(story) + "\n"
        out.append(block)
        size += len(block)
    return "".join(out)[:chars]


if __name__ == "__main__":
    import sys

    sys.stdout.write(news_text(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000))
