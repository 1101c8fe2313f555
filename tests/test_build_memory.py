"""A large build publishes in transactions of KG_PUBLISH_DOCS documents and flushes RocksDB's
memtables after each one: the graph is the one a single transaction gives, an interruption
between transactions leaves whole documents, and the build's peak RSS does not grow with the
number of documents (it grew by about 70 KB a document while everything written stayed in
the memtables). The RSS is the real child process's own figure (os.wait4); no timing is
asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.backends.rdf.store import INDEX_GRAPH, Build, EmbeddedStore
from kg.flow import BuildResult, build_store

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from synth import records  # noqa: E402


def _graph(path: Path) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Every published quad (document graphs, the merged default graph) and the name index."""
    with EmbeddedStore(path, create=False, read_only=True) as st:
        published = set(st.quads()) | set(st._store.quads_for_pattern(None, None, None,
                                                                       ox.DefaultGraph()))
        index = set(st._store.quads_for_pattern(None, None, None, INDEX_GRAPH))
    return published, index


def _build(path: Path, n: int, first: int | None = None) -> None:
    """Build the synthetic corpus of `n` documents (its `first` documents only if given)."""
    with EmbeddedStore(path) as st:
        build_store(islice(records(n), first), st, reset=False, result=BuildResult())


def test_transactions_of_a_few_documents_give_the_graph_of_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_PUBLISH_DOCS", "1000")
    _build(tmp_path / "one", 60)
    monkeypatch.setenv("KG_PUBLISH_DOCS", "7")  # nine transactions, eight flushes between
    _build(tmp_path / "many", 60)
    one, many = _graph(tmp_path / "one"), _graph(tmp_path / "many")
    assert len(one[0]) > 1000 and one[1]
    assert many == one


def test_an_interruption_between_transactions_leaves_whole_documents(tmp_path, monkeypatch):
    """The second transaction never runs: the first one's documents are published whole
    (their graphs, merged graph and index), the others not at all, and the store opens."""
    monkeypatch.setenv("KG_PUBLISH_DOCS", "10")
    calls = []
    real = Build._publish

    def second_fails(self: Build, docs: list[str], **kw: bool) -> None:
        calls.append(docs)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(self, docs, **kw)

    monkeypatch.setattr(Build, "_publish", second_fails)
    with pytest.raises(KeyboardInterrupt):
        _build(tmp_path / "cut", 30)
    monkeypatch.undo()
    monkeypatch.setenv("KG_PUBLISH_DOCS", "1000")
    _build(tmp_path / "first", 30, first=10)  # the same first ten documents, alone
    with EmbeddedStore(tmp_path / "cut", create=False, read_only=True) as st:
        assert [g.value for g in st.document_graphs()] == sorted(calls[0])
    assert _graph(tmp_path / "cut") == _graph(tmp_path / "first")


CHILD = """
import json, resource, sys
sys.path.insert(0, sys.argv[3])
from synth import records
from kg.backends.rdf.store import EmbeddedStore
from kg.flow import BuildResult, build_store
with EmbeddedStore(sys.argv[1]) as st:
    build_store(records(int(sys.argv[2])), st, reset=False, result=BuildResult())
print(json.dumps({"docs": int(sys.argv[2])}))
"""


def _peak_rss_mb(store: Path, n: int) -> float:
    env = {**os.environ, "KG_PUBLISH_DOCS": "50"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(store), str(n), str(BENCHMARKS)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    assert os.waitstatus_to_exitcode(status) == 0, err.decode()
    assert json.loads(out) == {"docs": n}
    return usage.ru_maxrss / 1024


@pytest.mark.slow
def test_peak_rss_of_a_build_does_not_grow_with_its_documents(tmp_path):
    """In transactions of 50 documents, 1,000 documents more cost 105 MB more while the
    memtables kept everything (90 MB at 200, 195 MB at 1,200); flushed after each
    transaction, 4 MB (the resolver's names and the staging bookkeeping)."""
    small = _peak_rss_mb(tmp_path / "small", 200)
    large = _peak_rss_mb(tmp_path / "large", 1200)
    print(f"peak RSS {small:.0f} MB at 200 documents, {large:.0f} MB at 1,200")
    assert large - small < 30, (small, large)
