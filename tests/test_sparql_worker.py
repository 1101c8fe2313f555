"""The SPARQL worker a store keeps for its questions (kg.query.sparql_worker): one process
answers every question of an open store, a question past its deadline kills it and the next
question gets a new one, a change of the store on disk replaces it, and closing the store
ends it. A fresh process (the CLI) forks its workers from the fork server
(kg.query.forkserver); a process with threads spawns them. Real stores, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from qstore import FIRST, MORE, build

import kg
from kg.query.limits import Limits, QueryTimeout

ROOT = Path(__file__).resolve().parent.parent
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(10)) + " }"
DOCS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kgo:Document }"


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    build(path, FIRST)
    return path


@pytest.fixture(autouse=True)
def no_kept_answers(monkeypatch):
    monkeypatch.setenv("KG_ANSWER_CACHE", "off")  # every question reaches the worker


def worker(st):
    return st.__dict__["_sparql_slot"].worker


def gone(pid: int, within: float = 10.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def docs(st) -> int:
    from kg.query.adhoc import sparql

    return sparql(st, DOCS).rows[0]["n"]


def test_one_worker_answers_every_question_of_a_store(store):
    with kg.open_backend("rdf", store=store) as st:
        a = kg.answer("agreement-parties", {}, st)
        pid = worker(st).pid
        b = kg.answer("partners-of", {"org": "Vornakel Company"}, st)
        c = kg.answer("agreement-parties", {}, st)
        assert worker(st).pid == pid and worker(st).alive
        assert len(a.rows) == 6 and c.rows == a.rows
        assert {r["partner"] for r in b.rows} == {"Ostrevin University", "Lumbrisk University"}
    assert gone(pid), "closing the store ends its worker"


def test_a_question_past_its_deadline_kills_the_worker_and_the_next_gets_a_new_one(store):
    from kg.query.adhoc import sparql

    with kg.open_backend("rdf", store=store) as st:
        assert docs(st) == 3
        pid = worker(st).pid
        t = time.monotonic()
        with pytest.raises(QueryTimeout, match="1 s time limit"):
            sparql(st, CROSS, Limits(timeout=1))
        assert time.monotonic() - t < 20
        assert gone(pid)
        assert docs(st) == 3 and worker(st).pid != pid
        # the row limit is kept per question, whatever the worker answered before
        res = sparql(st, "SELECT * WHERE { ?s ?p ?o }", Limits(limit=4))
        assert len(res.rows) == 4 and res.truncated


def test_an_error_answer_keeps_the_worker(store):
    from kg.errors import KgError
    from kg.query.adhoc import sparql

    with kg.open_backend("rdf", store=store) as st:
        assert docs(st) == 3
        pid = worker(st).pid
        with pytest.raises(KgError, match="syntax error"):
            sparql(st, "SELECT ?x WHERE { ?x ")
        assert docs(st) == 3 and worker(st).pid == pid


def test_the_worker_follows_the_store_when_it_changes(store):
    with kg.open_backend("rdf", store=store) as st:
        assert docs(st) == 3
        pid = worker(st).pid
        build(store, MORE)  # published while the reader is open
        assert docs(st) == 5, "a question sees the store as it is now"
        assert worker(st).pid != pid and gone(pid)


def test_threads_asking_at_once_each_get_their_own_answer(store):
    from concurrent.futures import ThreadPoolExecutor

    with kg.open_backend("rdf", store=store) as st:
        want = {org: kg.answer("partners-of", {"org": org}, st).rows
                for org in ("Vornakel Company", "Ostrevin University", "Lumbrisk University")}
        asks = [org for org in want for _ in range(4)]
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(lambda o: kg.answer("partners-of", {"org": o}, st).rows, asks))
        assert got == [want[o] for o in asks]


SCRIPT = """
import json, os, sys, threading, time
os.environ["KG_ANSWER_CACHE"] = "off"
if sys.argv[2] == "thread":
    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
import kg
from kg.query.adhoc import sparql
from kg.query.limits import Limits, QueryTimeout
out = {}
with kg.open_backend("rdf", store=sys.argv[1]) as st:
    out["rows"] = kg.answer("agreement-parties", {}, st).rows
    w = st._sparql_slot.worker
    out["first"] = [w.how, w.pid]
    try:
        sparql(st, sys.argv[3], Limits(timeout=1))
    except QueryTimeout:
        out["timeout"] = True
    out["again"] = kg.answer("agreement-parties", {}, st).rows == out["rows"]
    w = st._sparql_slot.worker
    out["second"] = [w.how, w.pid]
print(json.dumps(out))
"""


@pytest.mark.parametrize("mode", ["fresh", "thread"])
def test_a_fresh_process_forks_its_workers_one_with_threads_spawns(store, mode):
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), str(store), mode, CROSS],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    how = "fork" if mode == "fresh" else "spawn"
    assert out["first"][0] == how and out["second"][0] == how
    assert out["timeout"] and out["again"] and len(out["rows"]) == 6
    assert out["first"][1] != out["second"][1]
    assert gone(out["first"][1]) and gone(out["second"][1])


def test_the_cli_answers_the_same_through_a_forked_worker(runner, store):
    from conftest import invoke

    want = json.loads(invoke(runner, ["query", "run", "agreement-sectors", "--store",
                                      str(store), "--format", "json"]).stdout)
    r = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "query", "run",
                        "agreement-sectors", "--store", str(store), "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout) == want and r.stderr == ""
    r = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "query",
                        "sparql", CROSS, "--store", str(store), "--timeout", "1"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "1 s time limit" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------- sorting outside

def _bound(st, name: str, given: dict[str, str]):
    import pyoxigraph as ox

    from kg.query import saved

    q = saved.get(name)
    values = saved.resolve_entities(q, saved.coerce(q, given), saved.entity_names_for(
        st, [given[n] for n in q.entity_params]))
    return q, {k: ox.NamedNode(v) if k in q.entity_params else v for k, v in values.items()}


def _both(st, text: str, bindings, limit: int = 10_000):
    """The answer with oxigraph's ORDER BY, then with the worker's sort."""
    from kg.query.sparql_worker import request_for, worker_for

    lim = Limits(limit=limit)
    return [worker_for(st).ask(request_for(st, text, bindings, lim, sort_outside=outside), lim)
            for outside in (False, True)]


def _examples():
    import shlex

    from kg.query import saved

    for name, q in sorted(saved.catalogue().items()):
        words = shlex.split(q.example)
        pairs = [w for i, w in enumerate(words) if i and words[i - 1] == "-p"]
        yield name, dict(p.split("=", 1) for p in pairs)


@pytest.mark.parametrize("name,given", list(_examples()), ids=[n for n, _ in _examples()])
def test_sorting_outside_oxigraph_gives_the_same_rows(built_store, name, given):
    with kg.open_backend("rdf", store=built_store) as st:
        q, bindings = _bound(st, name, given)
        for limit in (10_000, 3, 1):  # the row limit cuts the same rows, and says so
            inside, outside = _both(st, q.sparql, bindings, limit)
            assert (outside.cols, outside.rows, outside.truncated) == \
                (inside.cols, inside.rows, inside.truncated)


def _sorted_by_worker(text: str, limit: int = 100):
    """The worker's sort of `text` on an in-memory oxigraph store, and oxigraph's own ORDER BY
    of the same text: (whether the worker sorted, its rows, oxigraph's rows)."""
    import pyoxigraph as ox

    from kg.backends.rdf.store import to_python
    from kg.query.sparql_worker import _send_sorted, split_order

    ox_store = ox.Store()
    unsorted, order = split_order(text)
    sent: list[dict] = []

    class Collect:
        def __call__(self, msg):
            sent.append(msg)

        def flush(self):
            pass

    used = _send_sorted(ox_store.query(unsorted), {"order": order, "limit": limit,
                                                   "bindings": {}}, Collect())
    rows = [r for m in sent if "rows" in m for r in m["rows"]]
    res = ox_store.query(text)
    names = [v.value for v in res.variables]
    theirs = [[to_python(sol[c]) for c in names] for sol in res][:limit]
    return used, rows, theirs


def test_sorting_outside_keeps_sparql_order_for_mixed_values():
    # unbound first, IRIs before literals, strings by code point (capitals before small
    # letters, accented after), numbers by value, DESC reversed
    values = ('(UNDEF 2) (<urn:x:b> 10) ("b" 1) ("a" 3) (<urn:x:a> 10) ("a" 2.5) ("É" 7) '
              '("e" 7) ("a" 1) ("B" 4) ("Z" 4) ("z" 4) ("ä" 4) ("a" 3)')
    text = f"SELECT ?k ?n WHERE {{ VALUES (?k ?n) {{ {values} }} }} ORDER BY ?k DESC(?n)"
    used, ours, theirs = _sorted_by_worker(text)
    assert used and ours == theirs and len(ours) == 14
    assert [r[0] for r in ours][:6] == [None, "urn:x:a", "urn:x:b", "B", "Z", "a"]
    for limit in (1, 5):
        assert _sorted_by_worker(text, limit)[1] == theirs[:limit]
    # strings and numbers in one column (an order SPARQL leaves open): not the worker's
    mixed = 'SELECT ?k WHERE { VALUES ?k { "b" 2 "a" 10 } } ORDER BY ?k'
    assert _sorted_by_worker(mixed)[0] is False
    lang = 'SELECT ?k WHERE { VALUES ?k { "b"@en "a"@en } } ORDER BY ?k'
    assert _sorted_by_worker(lang)[0] is False


def test_a_listing_the_worker_cannot_sort_still_answers_in_order(store):
    text = 'SELECT ?k WHERE { VALUES ?k { "b" 2 "a" 10 } } ORDER BY ?k'
    with kg.open_backend("rdf", store=store) as st:
        inside, outside = _both(st, text, None)
        assert outside.rows == inside.rows and len(inside.rows) == 4
