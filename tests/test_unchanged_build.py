"""A build reads only what changed: a document the store holds with the same text, the same
source fields and the same extractor is left alone, anything else is read again and replaced.
Real files, a real store, the real spaCy model, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import invoke

TEXTS = {
    "orchard": "Pellham University and Castova Bank signed a cooperation agreement on finance.\n",
    "harbour": "Wendle Institute and Arrowmere Shipping Company signed a memorandum on "
               "logistics.\n",
    "quarry": "Fennick Mining Company and Doralin University signed an agreement on energy.\n",
}
EXTRACTORS = """SELECT ?slug ?x WHERE { ?d a kgo:Document ; kgo:slug ?slug ;
  kgo:extractedWith ?x } ORDER BY ?slug"""


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text)
    return folder


def build(runner, *args: str, ok: bool = True):
    return invoke(runner, ["build", *args, "-q"], ok=ok)


def export(runner, store: Path) -> list[str]:
    out = invoke(runner, ["export", "--format", "nq", "--store", str(store)]).output
    return sorted(out.splitlines())


def parties(runner, store: Path) -> set[str]:
    rows = json.loads(invoke(runner, ["query", "run", "agreement-parties", "--store",
                                      str(store), "--format", "json"]).output)
    return {r["party"] for r in rows}


def test_building_the_same_inputs_again_reads_nothing_and_changes_nothing(runner, tmp_path):
    folder, store = corpus(tmp_path), tmp_path / "store"
    first = build(runner, str(folder), "--store", str(store))
    assert "Built 3 document(s)" in first.stderr
    before = export(runner, store)
    again = build(runner, str(folder), "--store", str(store))
    assert "Built 0 document(s)" in again.stderr and "3 unchanged, not read again" in again.stderr
    assert export(runner, store) == before
    rows = json.loads(invoke(runner, ["query", "sparql", EXTRACTORS, "--store", str(store),
                                      "--format", "json"]).output)
    assert [r["slug"] for r in rows] == ["harbour", "orchard", "quarry"]
    assert all(r["x"].startswith("kg ") for r in rows)  # kg's version and the model's


def test_an_edited_file_is_read_again_and_only_it(runner, tmp_path):
    folder, store = corpus(tmp_path), tmp_path / "store"
    build(runner, str(folder), "--store", str(store))
    (folder / "harbour.txt").write_text(
        "Wendle Institute and Brackwater Ports Company signed a memorandum on logistics.\n")
    r = build(runner, str(folder), "--store", str(store))
    assert "Built 1 document(s)" in r.stderr and "2 unchanged" in r.stderr
    got = parties(runner, store)
    assert "Brackwater Ports Company" in got and "Arrowmere Shipping Company" not in got
    assert {"Pellham University", "Fennick Mining Company"} <= got


def test_force_reads_everything_again(runner, tmp_path):
    folder, store = corpus(tmp_path), tmp_path / "store"
    build(runner, str(folder), "--store", str(store))
    before = export(runner, store)
    r = build(runner, str(folder), "--store", str(store), "--force")
    assert "Built 3 document(s)" in r.stderr and "unchanged" not in r.stderr
    assert export(runner, store) == before


def test_a_document_read_by_another_extractor_is_read_again(runner, tmp_path):
    """A store written by another kg or model (here: its extractor changed in the store
    itself, as an older kg would have left it) is read again for that document."""
    from kg.backends.rdf.store import PREFIXES, EmbeddedStore

    folder, store = corpus(tmp_path), tmp_path / "store"
    build(runner, str(folder), "--store", str(store))
    with EmbeddedStore(store) as st:
        st.update(PREFIXES + """DELETE { GRAPH ?d { ?d kgo:extractedWith ?x } ?d kgo:extractedWith ?x }
                     INSERT { GRAPH ?d { ?d kgo:extractedWith "kg 0.0 / another-model 1.0" }
                              ?d kgo:extractedWith "kg 0.0 / another-model 1.0" }
                     WHERE { GRAPH ?d { ?d kgo:slug "quarry" ; kgo:extractedWith ?x } }""")
    r = build(runner, str(folder), "--store", str(store))
    assert "Built 1 document(s)" in r.stderr and "2 unchanged" in r.stderr
    rows = json.loads(invoke(runner, ["query", "sparql", EXTRACTORS, "--store", str(store),
                                      "--format", "json"]).output)
    assert len({r["x"] for r in rows}) == 1 and "another-model" not in rows[0]["x"]


def test_a_dump_entry_whose_date_changed_is_read_again(runner, tmp_path):
    """Same text, another publication date: the date gives agreements their year, so the
    document is read again."""
    dump, store = tmp_path / "feed.jsonl", tmp_path / "store"

    def write(date: str) -> None:
        dump.write_text("".join(json.dumps({"id": name, "text": text, "date": date}) + "\n"
                                for name, text in TEXTS.items()))

    write("2031-03-04")
    build(runner, str(dump), "--store", str(store))
    assert "3 unchanged" in build(runner, str(dump), "--store", str(store)).stderr
    write("2032-05-06")
    r = build(runner, str(dump), "--store", str(store))
    assert "Built 3 document(s)" in r.stderr and "unchanged" not in r.stderr
