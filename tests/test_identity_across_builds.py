"""Document identity across builds into one store: the store knows each stored document's
source, so a later build of the same file updates it, and another file that takes its name is
an error naming both, never a silent overwrite (unless `--replace`). Real files, a real store,
the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import invoke

FIRST = "Merrow University and Quorra Bank signed a cooperation agreement on finance.\n"
SECOND = "Talbot University and Larkspur Robotics Company signed an agreement on robotics.\n"
THIRD = "Ormsby Steel Company and Vantrel Institute signed a memorandum on energy.\n"
DOCS = """SELECT ?slug ?source WHERE { ?d a kgo:Document ; kgo:slug ?slug ;
  dcterms:source ?source } ORDER BY ?slug"""


def documents(runner, store: Path) -> dict[str, str]:
    rows = json.loads(invoke(runner, ["query", "sparql", DOCS, "--store", str(store),
                                      "--format", "json"]).output)
    return {r["slug"]: r["source"] for r in rows}


def parties(runner, store: Path) -> set[str]:
    rows = json.loads(invoke(runner, ["query", "run", "agreement-parties", "--store",
                                      str(store), "--format", "json"]).output)
    return {r["party"] for r in rows}


def two_news_files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "a").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "news.txt", tmp_path / "b" / "news.txt"
    a.write_text(FIRST)
    b.write_text(SECOND)
    return a, b


def test_another_file_with_a_stored_documents_name_is_an_error_and_the_batch_goes_on(
        runner, tmp_path):
    a, b = two_news_files(tmp_path)
    other = tmp_path / "b" / "other.txt"
    other.write_text(THIRD)
    store = tmp_path / "store"
    invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    r = invoke(runner, ["build", str(b), str(other), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1  # the spec: the command ran and a file could not be built
    (line,) = [ln for ln in r.stderr.splitlines() if "document identity" in ln]
    assert line.startswith(f"Error: {b}:") and str(a) in line and "--replace" in line
    assert "Built 1 document(s)" in r.stderr  # the other file of the batch is built
    assert documents(runner, store) == {"news": str(a), "other": str(other)}
    got = parties(runner, store)
    assert "Merrow University" in got and "Ormsby Steel Company" in got
    assert "Talbot University" not in got  # the stored document was not overwritten


def test_the_same_file_built_again_updates_its_document(runner, tmp_path, monkeypatch):
    a, _ = two_news_files(tmp_path)
    store = tmp_path / "store"
    invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    a.write_text(SECOND)  # the article was edited
    monkeypatch.chdir(a.parent)  # and is named another way: the same resolved file
    r = invoke(runner, ["build", "./news.txt", "--store", str(store), "-q"])
    assert "Error" not in r.stderr
    assert documents(runner, store) == {"news": str(a)}
    got = parties(runner, store)
    assert "Talbot University" in got and "Merrow University" not in got


def test_replace_lets_another_file_overwrite_the_stored_document(runner, tmp_path):
    a, b = two_news_files(tmp_path)
    store = tmp_path / "store"
    invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    r = invoke(runner, ["build", str(b), "--replace", "--store", str(store), "-q"])
    assert "Error" not in r.stderr
    assert documents(runner, store) == {"news": str(b)}
    got = parties(runner, store)
    assert "Talbot University" in got and "Merrow University" not in got
    # --reset starts over: the stored documents hold no names any more
    invoke(runner, ["build", str(a), "--reset", "--store", str(store), "-q"])
    assert documents(runner, store) == {"news": str(a)}


def test_a_dump_entry_is_the_same_document_when_its_dump_is_built_again(runner, tmp_path):
    dump = tmp_path / "wire.jsonl"
    dump.write_text(json.dumps({"id": "news", "url": "https://wire.example.org/1",
                                "text": FIRST}) + "\n")
    a, _ = two_news_files(tmp_path)
    store = tmp_path / "store"
    invoke(runner, ["build", str(dump), "--store", str(store), "-q"])
    invoke(runner, ["build", str(dump), "--store", str(store), "-q"])  # the dump again: fine
    r = invoke(runner, ["build", str(a), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1
    (line,) = [ln for ln in r.stderr.splitlines() if "document identity" in ln]
    assert str(a) in line and str(dump) in line
    assert documents(runner, store) == {"news": str(dump)}


def test_a_dump_entry_and_a_file_of_one_build_with_one_identity(runner, tmp_path):
    dump = tmp_path / "wire.jsonl"
    dump.write_text(json.dumps({"id": "news", "text": SECOND}) + "\n")
    a, _ = two_news_files(tmp_path)
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(a), str(dump), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1
    (line,) = [ln for ln in r.stderr.splitlines() if "document identity" in ln]
    assert str(dump) in line and str(a) in line and "in this build" in line
    assert documents(runner, store) == {"news": str(a)}


def test_a_copy_of_the_stored_text_elsewhere_is_the_same_document(runner, tmp_path):
    a, b = two_news_files(tmp_path)
    b.write_text(FIRST)  # the same article saved in a second folder
    store = tmp_path / "store"
    invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    r = invoke(runner, ["build", str(b), "--store", str(store), "-q"])
    assert "Error" not in r.stderr
    assert documents(runner, store) == {"news": str(b)}


def test_a_file_built_with_its_folder_and_later_alone_stays_one_document(runner, tmp_path):
    """Built with its folder, `in/a/news.txt` is `a/news` (its folder holds another
    news.txt); built alone later it would be `news`: the store knows the file and keeps its
    stored name, so the edited article replaces its document instead of adding a second."""
    a, b = two_news_files(tmp_path / "in")
    store = tmp_path / "store"
    invoke(runner, ["build", str(tmp_path / "in"), "--store", str(store), "-q"])
    assert documents(runner, store) == {"a/news": str(a), "b/news": str(b)}
    r = invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    assert "1 unchanged" in r.stderr and "Error" not in r.stderr
    a.write_text(THIRD)
    r = invoke(runner, ["build", str(a), "--store", str(store), "-q"])
    assert "Built 1 document(s)" in r.stderr and "Error" not in r.stderr
    assert documents(runner, store) == {"a/news": str(a), "b/news": str(b)}
    got = parties(runner, store)
    assert "Ormsby Steel Company" in got and "Merrow University" not in got
