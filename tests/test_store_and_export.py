"""The embedded store: builds accumulate, rebuilds replace, exports round-trip, SHACL holds."""

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import EXAMPLES, invoke
from kg.backends.rdf import export as formats
from kg.backends.rdf.store import EmbeddedStore


def _dataset_of(store_path):
    with EmbeddedStore(store_path, read_only=True) as st:
        quads = list(st.quads())
    return quads


def test_build_twice_changes_nothing(runner, store_copy):
    before = sorted(str(q) for q in _dataset_of(store_copy))
    invoke(runner, ["build", str(EXAMPLES), "--store", str(store_copy), "-q"])
    after = sorted(str(q) for q in _dataset_of(store_copy))
    assert len(before) > 500
    assert before == after


def test_rebuilding_an_edited_document_drops_its_stale_facts(runner, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Orchid University and Basalt Motors Company signed a "
                                "cooperation agreement on robotics on 2 May 2025.\n")
    (docs / "b.txt").write_text("Mr. Ethan Cole, CEO of Quartz Energy Group, visited Hanoi.\n")
    store = tmp_path / "store"
    invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    (docs / "a.txt").write_text("Orchid University and Basalt Motors Company signed a "
                                "cooperation agreement on healthcare on 2 May 2025.\n")
    invoke(runner, ["build", str(docs / "a.txt"), "--store", str(store), "-q"])
    out = invoke(runner, ["query", "run", "agreement-sectors", "--store", str(store),
                          "--format", "json"]).output
    sectors = {r["sector"] for r in json.loads(out)}
    assert sectors == {"Healthcare"}
    people = json.loads(invoke(runner, ["query", "run", "people-and-titles", "--store",
                                        str(store), "--format", "json"]).output)
    assert {"person": "Ethan Cole", "title": "CEO", "institution": "Quartz Energy Group"} in people


def test_reset_starts_over(runner, tmp_path):
    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "one.txt").write_text("Prof. Mai Linh, Rector of Coral University, spoke.\n")
    store = tmp_path / "s"
    invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(store), "-q"])
    invoke(runner, ["build", str(docs), "--store", str(store), "-q", "--reset"])
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).output)
    assert stats["documents"]["Document"] == 1


@pytest.mark.parametrize("name", sorted(formats.FORMATS))
def test_every_export_format_round_trips(runner, built_store, tmp_path, name):
    fmt = formats.get(name)
    out = tmp_path / f"graph{fmt.suffix}"
    invoke(runner, ["export", "--format", name, "-o", str(out), "--store", str(built_store)])
    with EmbeddedStore(built_store, read_only=True) as st:
        if fmt.quads:
            expected = Dataset()
            for q in st.quads():
                expected.add((_rl(q.subject), _rl(q.predicate), _rl(q.object),
                              _rl(q.graph_name)))
        else:
            expected = Graph()
            for t in st.triples():
                expected.add((_rl(t.subject), _rl(t.predicate), _rl(t.object)))
    if fmt.quads:
        got = Dataset()
        got.parse(out, format=fmt.rdflib)
        exp_graphs = {str(g.identifier) for g in expected.graphs() if len(g)}
        got_graphs = {str(g.identifier) for g in got.graphs() if len(g)}
        assert exp_graphs == got_graphs
        for gid in exp_graphs:
            from rdflib import URIRef
            assert isomorphic(expected.graph(URIRef(gid)), got.graph(URIRef(gid))), gid
    else:
        got = Graph().parse(out, format=fmt.rdflib)
        assert len(got) == len(expected)
        assert isomorphic(got, expected)


def _rl(term):
    from kg.backends.rdf.validate import _rl as conv
    return conv(term)


def test_validate_passes_on_a_built_graph(runner, built_store):
    r = invoke(runner, ["validate", "--store", str(built_store)])
    assert "passed" in r.output


def test_validate_fails_and_names_node_and_shape(runner, store_copy):
    with EmbeddedStore(store_copy) as st:
        st.update("""PREFIX kgo: <https://w3id.org/kg-coop/ontology#>
            INSERT DATA { GRAPH <https://w3id.org/kg-coop/doc/broken> {
              <https://w3id.org/kg-coop/id/agreement/broken> a kgo:Agreement ;
                 kgo:name "Broken agreement" ; kgo:kind "handshake" ; kgo:status "signed" } }""")
    r = invoke(runner, ["validate", "--store", str(store_copy)], ok=False)
    assert r.exit_code == 1
    assert "https://w3id.org/kg-coop/id/agreement/broken" in r.output
    assert "AgreementShape" in r.output


def test_stats_counts_per_type_and_predicate(runner, built_store):
    s = json.loads(invoke(runner, ["stats", "--store", str(built_store), "--json"]).output)
    assert s["documents"]["Document"] == len(list(EXAMPLES.glob("*.txt")))
    assert s["entities"]["Agreement"] >= 8
    assert s["relations"]["PARTY_TO"] >= 16
    assert s["relations"]["HOLDS_POSITION"] >= 10


def test_query_commands_on_missing_store_fail_cleanly(runner, tmp_path):
    r = invoke(runner, ["stats", "--store", str(tmp_path / "nothing")], ok=False)
    assert r.exit_code == 1
    assert "kg build" in r.output
