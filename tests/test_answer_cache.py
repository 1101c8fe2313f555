"""Kept answers of saved questions (kg.query.answer_cache): served until the store changes,
never after; a publish, a reset and a rebuild each change the generation. The cache lives in
the store folder but never changes the graph, and a folder that cannot take it (read-only,
not kg's) answers the same without one. Real stores, real files, the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from qstore import FIRST, MORE, build
from test_inputs_safety import unprivileged

import kg
from conftest import invoke
from kg.query import answer_cache
from kg.query.answer_cache import FOLDER, AnswerCache, generation
from kg.query.limits import Answer

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def ask(runner, store, name, *params, limit=None, env=None):
    args = ["query", "run", name, "--store", str(store), "--format", "json"]
    for p in params:
        args += ["-p", p]
    if limit:
        args += ["--limit", str(limit)]
    r = invoke(runner, args, env=env)
    return json.loads(r.stdout), r.stderr


def entries(store):
    folder = store / FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    build(path, FIRST)
    return path


def pairs(rows):
    return {(r["agreement"], r["party"]) for r in rows}


def test_kept_answer_is_served_until_a_build_changes_the_store(runner, store):
    rows, _ = ask(runner, store, "agreement-parties")
    assert len(rows) == 6 and ("Taldomir Company–Ostrevin University cooperation agreement",
                               "Taldomir Company") in pairs(rows)
    old = entries(store)
    assert len(old) == 2  # by the IRIs asked about, and by the words the user typed
    # the next ask reads the kept answer, not the graph: a marked entry comes back as it is
    for entry in old:
        kept = json.loads(entry.read_text(encoding="utf-8"))
        kept["rows"] = [{"agreement": "kept", "party": "kept"}]
        entry.write_text(json.dumps(kept), encoding="utf-8")
    assert ask(runner, store, "agreement-parties")[0] == [{"agreement": "kept", "party": "kept"}]
    with kg.open_backend("rdf", store=store) as st:  # the library's own path reads it too
        assert kg.answer("agreement-parties", {}, st).rows == [{"agreement": "kept",
                                                               "party": "kept"}]

    build(store, MORE)  # a publish: a new generation, the kept answer is never served again
    rows, _ = ask(runner, store, "agreement-parties")
    assert len(rows) == 10
    assert ("Quenvaro Company–Ostrevin University cooperation agreement",
            "Quenvaro Company") in pairs(rows)
    assert not any(e.exists() for e in old), "older generations go at the next write"
    assert ask(runner, store, "agreement-parties")[0] == rows

    build(store, MORE[:1], reset=True)  # a reset
    rows, _ = ask(runner, store, "agreement-parties")
    assert pairs(rows) == {("Quenvaro Company–Ostrevin University cooperation agreement", p)
                           for p in ("Quenvaro Company", "Ostrevin University")}


def test_rebuild_and_import_change_the_generation(runner, store, tmp_path):
    before, _ = ask(runner, store, "agreement-parties")
    gen = generation(store)
    invoke(runner, ["store", "rebuild", "--store", str(store)])
    assert generation(store) != gen and not entries(store)  # a fresh folder: nothing kept
    assert ask(runner, store, "agreement-parties")[0] == before

    other = tmp_path / "other"
    build(other, MORE)
    nq = tmp_path / "more.nq"
    invoke(runner, ["export", "--format", "nq", "--store", str(other), "-o", str(nq)])
    gen = generation(store)
    invoke(runner, ["import", str(nq), "--store", str(store)])
    assert generation(store) != gen
    rows, _ = ask(runner, store, "agreement-parties")
    assert ("Brastelune Company–Lumbrisk University cooperation agreement",
            "Brastelune Company") in pairs(rows) and len(rows) == 10


def test_parameters_and_limit_are_part_of_the_key(runner, store):
    a, _ = ask(runner, store, "partners-of", "org=Vornakel Company")
    b, _ = ask(runner, store, "partners-of", "org=Ostrevin University")
    assert a != b and len(entries(store)) == 4
    # other words for the same entity: the IRI's answer is read back, and kept for the words
    assert ask(runner, store, "partners-of", "org=vornakel company")[0] == a
    assert len(entries(store)) == 5
    full, _ = ask(runner, store, "agreement-parties")
    for _ in range(2):  # computed, then kept: the truncation note comes back with it
        rows, err = ask(runner, store, "agreement-parties", limit=2)
        assert rows == full[:2] and "truncated to the first 2 rows" in err
    assert len(entries(store)) == 9


def test_asking_leaves_the_graph_as_it_was(runner, store):
    def nquads():
        out = invoke(runner, ["export", "--format", "nq", "--store", str(store)]).stdout
        return sorted(out.splitlines())

    graph, gen = nquads(), generation(store)
    for name, params in (("agreement-parties", []), ("most-connected", []),
                         ("partners-of", ["org=Vornakel Company"]), ("agreement-sectors", [])):
        ask(runner, store, name, *params)
        ask(runner, store, name, *params)
    assert generation(store) == gen and nquads() == graph
    assert len(entries(store)) == 8


def test_a_damaged_entry_is_computed_again(runner, store):
    rows, _ = ask(runner, store, "agreement-sectors")
    both = entries(store)
    for junk in (b"", b"{not json", b'{"cols": ["agreement"], "rows": [["a"]]}'):
        for entry in both:
            entry.write_bytes(junk)
        assert ask(runner, store, "agreement-sectors")[0] == rows
    assert [json.loads(e.read_text(encoding="utf-8"))["rows"] for e in both] == [rows, rows]


def test_a_kept_answer_is_read_without_opening_the_store(runner, store):
    code = ("import sys\nfrom kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in ('pyoxigraph', 'rdflib') if m in sys.modules),"
            " file=sys.stderr)")
    args = ["query", "run", "partners-of", "-p", "org=Ostrevin University", "--store",
            str(store), "--format", "json"]
    runs = [subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and len(json.loads(runs[0].stdout)) == 2
    assert runs[0].stderr.strip() == "['pyoxigraph', 'rdflib']"
    assert runs[1].stderr.strip() == "[]"


def test_switched_off_by_the_environment(runner, store):
    rows, _ = ask(runner, store, "agreement-parties", env={"KG_ANSWER_CACHE": "off"})
    assert len(rows) == 6 and not (store / FOLDER).exists()


def test_a_store_without_kg_marker_gets_no_cache_folder(runner, store, tmp_path):
    (store / "kg-store.json").unlink()  # as an earlier kg left its stores
    rows, _ = ask(runner, store, "agreement-parties")
    assert len(rows) == 6 and not (store / FOLDER).exists()
    build(store, MORE)  # still kg's to write: no foreign folder inside
    assert len(ask(runner, store, "agreement-parties")[0]) == 10


def test_a_read_only_store_answers_without_a_cache(runner, store, tmp_path):
    expected, _ = ask(runner, store, "agreement-parties")
    shutil.rmtree(store / FOLDER)
    os.chmod(store, 0o555)
    try:
        for _ in range(2):
            r = subprocess.run([*unprivileged(), *KG, "query", "run", "agreement-parties",
                                "--store", str(store), "--format", "json"],
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0 and r.stderr == "", r.stderr
            assert json.loads(r.stdout) == expected
        assert not (store / FOLDER).exists()
    finally:
        os.chmod(store, 0o755)


def _answer(n: int) -> Answer:
    return Answer(cols=["x"], rows=[{"x": n}], limit=10)


def test_the_cache_is_bounded_oldest_first(store, monkeypatch):
    monkeypatch.setattr(answer_cache, "MAX_ENTRIES", 3)
    cache = AnswerCache(store)
    gen = generation(store)
    keys = [AnswerCache.key(gen, f"SELECT {n}", {}, 10) for n in range(5)]
    for n, key in enumerate(keys):
        cache.put(key, _answer(n))
        os.utime(cache.folder / f"{key}.json", ns=(n * 10**9, n * 10**9))  # an order for sure
    cache.put(keys[4], _answer(4))
    assert [cache.get(k) is not None for k in keys] == [False, False, True, True, True]
    assert cache.get(keys[3]).rows == [{"x": 3}]
    monkeypatch.setattr(answer_cache, "MAX_BYTES", 1)
    cache.put(keys[4], _answer(4))
    assert [p.name for p in entries(store)] == [f"{keys[4]}.json"]  # the newest always stays
    other = AnswerCache.key("0" * 20, "SELECT 9", {}, 10)
    cache.put(other, _answer(9))
    assert [p.name for p in entries(store)] == [f"{other}.json"]  # another generation's
    assert not list((store / FOLDER).glob(".*"))  # no temporary files left


def test_warm_keeps_every_whole_graph_answer_for_the_next_ask(runner, store):
    """`kg query warm` answers each question that names no entity and keeps it both ways
    `kg query run` looks it up; the next ask is read back (a marked entry comes back), and
    a build makes them stale like any kept answer."""
    from kg.query.warm import whole_graph_questions

    names = whole_graph_questions()
    assert {"agreement-parties", "shared-sectors", "most-connected"} <= set(names)
    assert not any(n in names for n in ("partners-of", "institutions-in-sector"))
    out = invoke(runner, ["query", "warm", "--store", str(store)]).stdout.splitlines()
    assert [line.split("\t")[0] for line in out] == names
    assert all(line.endswith("\tkept") for line in out)
    assert len(entries(store)) == 2 * len(names)
    fresh, _ = ask(runner, store, "agreement-parties", env={"KG_ANSWER_CACHE": "off"})
    assert ask(runner, store, "agreement-parties")[0] == fresh and len(fresh) == 6

    for entry in entries(store):  # mark them: the next ask must come from them
        kept = json.loads(entry.read_text(encoding="utf-8"))
        if kept["cols"] == ["agreement", "party"]:
            kept["rows"] = [{"agreement": "warmed", "party": "warmed"}]
            entry.write_text(json.dumps(kept), encoding="utf-8")
    assert ask(runner, store, "agreement-parties")[0] == [{"agreement": "warmed",
                                                           "party": "warmed"}]
    build(store, MORE)
    rows, _ = ask(runner, store, "agreement-parties")
    assert len(rows) == 10
