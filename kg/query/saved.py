"""Saved questions: a .rq and a .cypher file per name in queries, each with a small header
(title, description, typed parameters with defaults, example). Parameters are always bound:
entity names become IRIs by looking them up (name or alias, diacritic-insensitive), then go to
Cypher as $params and to SPARQL as substitutions. An entity parameter never has a default (a
question about a demo entity the user did not name answers nothing they asked), and a name
that matches no entity is an error listing the nearest names, never an empty answer."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from kg.backends import GraphBackend
from kg.errors import KgError, UsageError
from kg.query.limits import Answer, Limits

PARAM_TYPES = ("entity", "string", "int", "float")
PARAM_RE = re.compile(r"^\s*(\w+)\s*:\s*(" + "|".join(PARAM_TYPES) + r")\s*(?:=\s*(.*?))?\s*$")
NEAREST = 3


class NoEntityMatch(KgError):
    """An entity parameter names nothing in the graph (exit 1, with the nearest names)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None


@dataclass
class SavedQuery:
    name: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    example: str = ""
    sparql: str = ""
    cypher: str = ""

    @property
    def entity_params(self) -> list[str]:
        return [p.name for p in self.params if p.type == "entity"]

    @property
    def sparql_columns(self) -> list[str]:
        """The SELECT's variables, without the bound entity parameters."""
        head = self.sparql.split("WHERE", 1)[0]
        head = re.sub(r"\(.*?AS\s+\?(\w+)\)", r"?\1", head, flags=re.S)
        drop = set(self.entity_params)
        return [c for c in re.findall(r"\?(\w+)", head) if c not in drop]

    @property
    def cypher_columns(self) -> list[str]:
        ret = self.cypher.rsplit("RETURN", 1)[-1].split("ORDER BY")[0]
        return re.findall(r"AS\s+(\w+)", ret)


def _parse(text: str, comment: str) -> tuple[dict[str, Any], str]:
    header: dict[str, Any] = {"params": []}
    body: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith(comment) and not body:
            key, _, value = s[len(comment):].strip().partition(":")
            key = key.strip().lower()
            if key == "param":
                m = PARAM_RE.match(value)
                if not m:
                    raise ValueError(f"bad param line: {line!r}")
                header["params"].append(Param(m.group(1), m.group(2), m.group(3)))
            else:
                header[key] = value.strip()
        else:
            body.append(line)
    return header, "\n".join(body).strip() + "\n"


@cache
def catalogue() -> dict[str, SavedQuery]:
    root = files("queries")
    out: dict[str, SavedQuery] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        name, _, ext = entry.name.rpartition(".")
        if ext not in {"rq", "cypher"}:
            continue
        comment = "#" if ext == "rq" else "//"
        header, body = _parse(entry.read_text(encoding="utf-8"), comment)
        q = out.setdefault(name, SavedQuery(name=name))
        q.title = q.title or header.get("title", "")
        q.description = q.description or header.get("description", "")
        if ext == "rq":
            q.sparql, q.params = body, header["params"]
            q.example = header.get("example", q.example)
        else:
            q.cypher = body
            q.example = q.example or header.get("example", "")
    return out


def get(name: str) -> SavedQuery:
    cat = catalogue()
    if name not in cat:
        raise UsageError(f"Unknown query {name!r}. Available: {', '.join(sorted(cat))}")
    return cat[name]


def coerce(q: SavedQuery, given: dict[str, str]) -> dict[str, Any]:
    """Check names and types of parameters; fill defaults. Raises UsageError (exit 2)."""
    known = {p.name: p for p in q.params}
    for k in given:
        if k not in known:
            raise UsageError(f"query {q.name!r} has no parameter {k!r}"
                             f" (parameters: {', '.join(known) or 'none'})")
    out: dict[str, Any] = {}
    for p in q.params:
        raw = given.get(p.name, None if p.type == "entity" else p.default)
        if raw is None or raw == "":
            raise UsageError(f"query {q.name!r} needs parameter {p.name!r} ({p.type}): "
                             f"-p {p.name}=VALUE")
        if p.type == "int":
            try:
                out[p.name] = int(raw)
            except ValueError:
                raise UsageError(f"parameter {p.name!r} must be an integer, not {raw!r}") \
                    from None
        elif p.type == "float":
            try:
                out[p.name] = float(raw)
            except ValueError:
                raise UsageError(f"parameter {p.name!r} must be a number, not {raw!r}") from None
        else:
            out[p.name] = raw
    return out


def match_entity(value: str, candidates: list[tuple[str, str, list[str]]]) -> str | None:
    """Pick the IRI whose name (first) or alias equals the value, ignoring case, diacritics
    and punctuation; the most-named candidate wins ties, deterministically."""
    from ontology.vocab import fold  # here: a kept answer is served without the ontology

    key = fold(value)
    if not key:
        return None
    by_name = sorted(iri for iri, name, _ in candidates if fold(name) == key)
    if by_name:
        return by_name[0]
    by_alias = sorted(iri for iri, _, aliases in candidates if key in {fold(a) for a in aliases})
    return by_alias[0] if by_alias else None


def nearest_names(value: str, candidates: list[tuple[str, str, list[str]]],
                  n: int = NEAREST) -> list[str]:
    """The known names and aliases closest to what the user typed (difflib on folded
    names)."""
    from ontology.vocab import fold

    by_key: dict[str, str] = {}
    for _, name, aliases in sorted(candidates, key=lambda c: c[1]):
        for label in (name, *sorted(aliases)):
            by_key.setdefault(fold(label), label)
    close = difflib.get_close_matches(fold(value), list(by_key), n=n, cutoff=0.0)
    return [by_key[k] for k in close]


def resolve_entities(q: SavedQuery, values: dict[str, Any],
                     candidates: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    out = dict(values)
    for p in q.params:
        if p.type == "entity":
            iri = match_entity(str(values[p.name]), candidates)
            if iri is None:
                near = nearest_names(str(values[p.name]), candidates)
                raise NoEntityMatch(f"no entity matches {str(values[p.name])!r} (parameter "
                                    f"{p.name!r}); nearest: {', '.join(near) or 'none'}")
            out[p.name] = iri
    return out


def entity_names_for(backend: GraphBackend, wanted: list[Any]) -> list[tuple[str, str, list[str]]]:
    """The candidates for these names: the embedded store looks them up in its name index
    (entity_names(value)); other backends list every name."""
    if backend.name in ("rdf", "neo4j"):  # both look a value up (a name index, kg_keys)
        return [c for v in wanted for c in backend.entity_names(str(v))]  # type: ignore[call-arg]
    return backend.entity_names() if wanted else []


def answer(q: SavedQuery, backend: GraphBackend, given: dict[str, str],
           limits: Limits | None = None) -> Answer:
    """Coerce the given parameters, look entity names up in this backend, run the question
    within the limits (default time and row limit). Unpacks as (cols, rows)."""
    values = coerce(q, given)
    names = entity_names_for(backend, [values[n] for n in q.entity_params])
    try:
        values = resolve_entities(q, values, names)
    except NoEntityMatch:  # the nearest names need every name: read them only for the error
        values = resolve_entities(q, values, backend.entity_names())
    return backend.run_saved(q, values, limits or Limits())


def answer_at(name: str, given: dict[str, str], store: Path | str | None,
              limits: Limits | None = None) -> Answer:
    """`answer` on the embedded store at `store` (the default one if None), as `kg query run`
    asks it: a question asked before with the same words at the store's current generation is
    read back from its kept answer without opening the store or loading its code (a few
    milliseconds instead of the store's imports and open); otherwise the store is opened,
    the question answered, and the answer also kept under the words asked."""
    from kg.query import answer_cache as kept

    q = get(name)
    limits = limits or Limits()
    values = coerce(q, given)
    if store is None:
        from kg.backends.rdf.paths import default_store_path

        store = default_store_path()
    gen = kept.generation(store) if kept.enabled() else None
    cache = kept.AnswerCache(store)
    key = kept.AnswerCache.key(gen, "asked:" + q.sparql, values, limits.limit) if gen else ""
    if key:
        hit = cache.get(key)
        if hit is not None:
            return hit
    from kg.backends import open_backend

    with open_backend("rdf", store=store) as backend:  # opened after `gen` was read
        res = answer(q, backend, given, limits)
    if key and kept.generation(store) == gen:
        cache.put(key, res)
    return res
