"""Prepare the answers of the whole-graph questions (no entity parameter: listings and
aggregates) at the store's current generation, so that their first ask after a build is read
from the kept answers (milliseconds) instead of computed (seconds at tens of thousands of
documents). Opt-in (`kg query warm`), never part of a build: a build's cost stays
proportional to the documents it adds, and warming costs the sum of those questions' cold
times whatever was added."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kg.query.limits import Limits, QueryTimeout


@dataclass
class Warmed:
    name: str
    rows: int
    seconds: float
    kept: bool  # False: the question passed the time limit, or the store changed meanwhile


def whole_graph_questions() -> list[str]:
    """The saved questions a user can ask without naming an entity."""
    from kg.query.saved import catalogue

    return [n for n, q in sorted(catalogue().items()) if not q.entity_params]


def warm(store: Path | str | None = None, limits: Limits | None = None,
         names: list[str] | None = None) -> list[Warmed]:
    """Answer each question (its default parameters, the default row limit unless `limits`
    says otherwise) and keep the answer both ways `kg query run` looks it up: by the IRIs
    asked about and by the words typed. A question past the time limit is reported, not
    kept; nothing is kept when the answer cache is off or the folder cannot take it."""
    from kg.backends import open_backend
    from kg.backends.rdf.paths import default_store_path
    from kg.query import answer_cache as kept
    from kg.query import saved

    limits = limits or Limits()
    store = Path(store) if store is not None else default_store_path()
    out: list[Warmed] = []
    with open_backend("rdf", store=store) as backend:
        for name in names or whole_graph_questions():
            q = saved.get(name)
            gen = kept.generation(store) if kept.enabled() else None
            t = time.perf_counter()
            try:
                res = saved.answer(q, backend, {}, limits)  # kept by the IRIs asked about
            except QueryTimeout:
                out.append(Warmed(name, 0, time.perf_counter() - t, False))
                continue
            seconds = time.perf_counter() - t
            same = gen is not None and kept.generation(store) == gen
            if gen is not None and same:
                key = kept.AnswerCache.key(gen, "asked:" + q.sparql, saved.coerce(q, {}),
                                           limits.limit)
                kept.AnswerCache(store).put(key, res)
            out.append(Warmed(name, len(res.rows), seconds, same))
    return out
