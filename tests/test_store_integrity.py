"""The store: kg writes only into its own folders, keeps the records it published, and a
damaged store (truncated .sst, empty CURRENT) is one line from every command and can be
rebuilt. Writing failures (a full device, a missing folder, an uncreatable lock file) are
one line and leave nothing half-written. Every store here is real and really damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_inputs_safety import unprivileged

from conftest import EXAMPLES, invoke

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def nquads(runner, store: Path) -> list[str]:
    out = invoke(runner, ["export", "--format", "nq", "--store", str(store)]).stdout
    return sorted(line for line in out.splitlines() if line.strip())


def kept(store: Path) -> list[str]:
    lines = (store / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(ln)["doc"] for ln in lines if ln.strip()]


def one_error_line(r) -> str:
    assert "Traceback" not in (r.stderr or "") and "Traceback" not in r.stdout
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# --------------------------------------------------------------------------- whose folder

def test_a_folder_that_is_no_kg_store_is_refused_and_left_alone(runner, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "000001.log").write_text("my shell history\n")
    (folder / "OPTIONS-000007").write_text("my settings\n")
    (folder / "notes.txt").write_text("my notes\n")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    r = invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(folder),
                        "-q"], ok=False)
    assert r.exit_code == 1
    line = one_error_line(r)
    assert str(folder) in line and "not a kg store" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    r = invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "-q"],
               env={"KG_STORE": str(folder)}, ok=False)
    assert r.exit_code == 1 and "not a kg store" in r.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_store_is_marked_and_an_unmarked_store_of_an_earlier_kg_is_adopted(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(store), "-q"])
    marker = json.loads((store / "kg-store.json").read_text())
    assert marker == {"format": "kg-store", "version": 1}
    (store / "kg-store.json").unlink()  # as a store written before the marker existed
    invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(store), "-q"])
    assert (store / "kg-store.json").exists()


# --------------------------------------------------------------------------- kept records

def test_the_store_keeps_the_records_it_published(runner, tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ("fintech-bank.txt", "vnu-education-ai.txt"):
        shutil.copy(EXAMPLES / name, docs / name)
    store = tmp_path / "store"
    invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    assert kept(store) == ["fintech-bank", "vnu-education-ai"]
    extracted = [json.loads(ln) for ln in invoke(runner, ["extract", str(docs)]).stdout
                 .splitlines()]
    stored = [json.loads(ln) for ln in (store / "records.jsonl").read_text().splitlines()]
    assert stored == extracted
    # building one document again replaces its record, the other stays
    invoke(runner, ["build", str(docs / "fintech-bank.txt"), "--store", str(store), "-q"])
    assert sorted(kept(store)) == ["fintech-bank", "vnu-education-ai"]
    # --reset keeps only what this build published
    invoke(runner, ["build", str(docs / "vnu-education-ai.txt"), "--store", str(store), "--reset",
                    "-q"])
    assert kept(store) == ["vnu-education-ai"]
    assert not [p for p in store.iterdir() if p.name.startswith(".records")]


# --------------------------------------------------------------------------- damage

def damage_sst(store: Path) -> None:
    for sst in store.glob("*.sst"):
        with sst.open("r+b") as fh:
            fh.truncate(max(1, sst.stat().st_size // 3))


def damage_current(store: Path) -> None:
    (store / "CURRENT").write_bytes(b"")


@pytest.mark.parametrize("damage", [damage_sst, damage_current])
def test_a_damaged_store_is_one_line_everywhere_and_is_rebuilt(runner, built_store, tmp_path,
                                                               damage):
    store = tmp_path / "store"
    shutil.copytree(built_store, store, ignore=shutil.ignore_patterns("LOCK"))
    assert (store / "records.jsonl").exists()
    if damage is damage_sst:
        assert list(store.glob("*.sst")), "the build left no .sst file to damage"
    before = nquads(runner, store)
    damage(store)
    commands = [["stats"], ["export", "--format", "nq"], ["validate"],
                ["query", "run", "partners-of", "-p", "org=VNU"], ["why", "VNU"],
                ["query", "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
                ["build", str(EXAMPLES / "fintech-bank.txt"), "-q"]]
    for args in commands:
        r = invoke(runner, [*args, "--store", str(store)], ok=False)
        assert r.exit_code == 1, (args, r.stderr)
        line = one_error_line(r)
        assert "is damaged" in line and "kg store rebuild" in line, (args, line)
    r = invoke(runner, ["store", "check", "--store", str(store)], ok=False)
    assert r.exit_code == 1 and "DAMAGED" in r.stdout and "kg store rebuild" in r.stdout
    r = invoke(runner, ["store", "rebuild", "--store", str(store)])
    assert "Rebuilt 11 document(s)" in r.stderr
    assert nquads(runner, store) == before
    r = invoke(runner, ["store", "check", "--store", str(store)])
    assert r.stdout.startswith(f"store {store}: ok")
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("store.damaged-")]
    assert len(aside) == 1  # the damaged folder is the user's to delete


# --------------------------------------------------------------------------- failed writes

def test_export_to_a_full_device_a_missing_folder_or_a_folder_is_one_line(runner, built_store,
                                                                          tmp_path):
    args = ["export", "--format", "nt", "--store", str(built_store)]
    for target, words in ((Path("/dev/full"), "No space left on device"),
                          (tmp_path / "missing" / "g.nt", "no such folder"),
                          (tmp_path, "is a folder")):
        r = invoke(runner, [*args, "-o", str(target)], ok=False)
        assert r.exit_code == 1 and words in one_error_line(r)
    assert not list(tmp_path.rglob("*.part")) and not list(Path("/dev").glob("*.part"))
    with open("/dev/full", "wb") as full:  # stdout on a full disk
        p = subprocess.run([*KG, *args], stdout=full, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 1 and "No space left on device" in p.stderr
    assert "Traceback" not in p.stderr


def test_export_to_an_unwritable_place_and_an_uncreatable_lock_are_one_line(built_store,
                                                                            tmp_path):
    base = tmp_path / "ro"
    base.mkdir()
    store = base / "store"
    shutil.copytree(built_store, store, ignore=shutil.ignore_patterns("LOCK"))
    base.chmod(0o555)  # nothing can be created beside the store: not its lock, not an export
    try:
        cmd = [*unprivileged(), *KG]
        r = subprocess.run([*cmd, "export", "--store", str(store), "-o", str(base / "g.ttl")],
                           capture_output=True, text=True)
        assert r.returncode == 1 and "cannot write: Permission denied" in r.stderr
        assert "Traceback" not in r.stderr
        r = subprocess.run([*cmd, "build", str(EXAMPLES / "fintech-bank.txt"), "--store",
                            str(store), "-q"], capture_output=True, text=True)
        assert r.returncode == 1 and "cannot create the lock file" in r.stderr
        assert "Traceback" not in r.stderr
        assert not [p for p in base.iterdir() if p.name != "store"]
    finally:
        base.chmod(0o755)


def test_a_build_without_its_model_leaves_no_store(runner, tmp_path):
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(store),
                        "--model", "does-not-exist"], ok=False)
    assert r.exit_code == 2 and "'does-not-exist' is not installed" in r.stderr
    assert not store.exists()
    assert os.listdir(tmp_path) == []
