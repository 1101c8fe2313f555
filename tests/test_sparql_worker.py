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
