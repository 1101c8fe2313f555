"""The Neo4j loader's shortcuts against the real server: an unchanged reload writes nothing, a
changed document is still rewritten and what a store dropped is still removed, other stores'
marks and the user's own nodes survive, and no write statement scans the whole database.
(Its speed is measured in benchmarks/neo4j_bench.py, never here.)"""

from __future__ import annotations

import copy

import pytest

from kg.backends.neo4j.plan import Diff
from kg.backends.neo4j.store import LOAD_STATE, Neo4jStore
from kg.backends.rdf.store import EmbeddedStore

pytestmark = pytest.mark.neo4j
WRITES = ("nodes_created", "relationships_created", "properties_set", "labels_added",
          "nodes_deleted", "relationships_deleted")
SCANS = ("AllNodesScan", "NodeByLabelScan", "AllRelationshipsScan", "DirectedAllRelationships",
         "UndirectedAllRelationships", "RelationshipTypeScan", "DirectedRelationshipTypeScan",
         "UndirectedRelationshipTypeScan")


@pytest.fixture
def graph(built_store):
    with EmbeddedStore(built_store, read_only=True) as st:
        return st.read_graph()


@pytest.fixture
def neo(clean_neo4j):
    with Neo4jStore(clean_neo4j["uri"], clean_neo4j["user"], clean_neo4j["password"]) as n:
        yield n


def writes(summary) -> dict[str, int]:
    return {k: getattr(summary, k) for k in WRITES if getattr(summary, k)}


def test_an_unchanged_reload_writes_nothing(neo, graph):
    first = neo.load(*graph, source="store-a")
    assert first.nodes_created > 0 and first.relationships_created > 0
    again = neo.load(*graph, source="store-a")
    assert writes(again) == {}
    assert (again.nodes, again.relationships) == (first.nodes, first.relationships) \
        == neo.counts()


def test_a_changed_document_is_rewritten_and_a_dropped_one_removed(neo, graph):
    nodes, edges, docs = graph
    first = neo.load(nodes, edges, docs, source="store-a")
    changed, dropped = docs[0], docs[-1]
    docs2 = copy.deepcopy(docs[:-1])
    docs2[0]["headline"] = "A headline nobody wrote before"
    edges2 = [copy.copy(e) for e in edges if e.doc != dropped["iri"]]
    edges2[0].evidence = "An invented sentence that replaces the old evidence."
    summary = neo.load(nodes, edges2, docs2, source="store-a")

    assert summary.nodes_created == 0 and summary.nodes_deleted == 1
    assert 0 < summary.properties_set < first.properties_set / 5  # only what changed
    assert summary.relationships_deleted >= len(dropped["mentions"]) > 0
    assert neo.read("MATCH (d:Document {iri: $d}) RETURN d.headline AS h",
                    {"d": changed["iri"]}) == [{"h": "A headline nobody wrote before"}]
    assert neo.read("MATCH (d:Document {iri: $d}) RETURN d", {"d": dropped["iri"]}) == []
    _, back_edges, back_docs = neo.read_graph()
    assert [d["iri"] for d in back_docs] == [d["iri"] for d in docs2]
    assert {(e.subject, e.predicate, e.object, e.doc, e.evidence) for e in back_edges} == \
        {(e.subject, e.predicate, e.object, e.doc, e.evidence) for e in edges2}
    assert writes(neo.load(nodes, edges2, docs2, source="store-a")) == {}


def test_other_stores_marks_and_the_users_nodes_survive(neo, graph):
    nodes, edges, docs = graph
    neo._write("CREATE (:Institution {iri: 'urn:user:own', name: 'Users Own Node'})")
    neo.load(*graph, source="store-a")
    neo.load(*graph, source="store-b")  # the same graph from a second store: marks only
    assert writes(neo.load(*graph, source="store-a")) == {}
    gone = docs[-1]
    neo.load(nodes, [e for e in edges if e.doc != gone["iri"]], docs[:-1], source="store-a")
    rows = neo.read("MATCH (d:Document {iri: $d}) RETURN d.kg_stores AS marks",
                    {"d": gone["iri"]})
    assert rows == [{"marks": ["store-b"]}]  # store-b still has it
    assert neo.read("MATCH (n {iri: 'urn:user:own'}) RETURN n.kg_stores AS m") == [{"m": None}]


def test_leftovers_without_any_mark_are_removed(neo, graph):
    """An older interrupted load could leave kg elements whose mark list is empty."""
    neo.load(*graph, source="store-a")
    neo._write("CREATE (:Person {iri: 'urn:left:over', name: 'Left Over', kg_stores: []})")
    before = neo.counts()
    summary = neo.load(*graph, source="store-a")
    assert summary.nodes_deleted == 1
    assert neo.read("MATCH (n {iri: 'urn:left:over'}) RETURN n") == []
    assert neo.counts() == (before[0] - 1, before[1])


def test_no_write_statement_scans_the_database(neo, graph):
    """EXPLAIN every statement a load and a stale removal send (MERGE and CREATE twins, the
    last load's record): each finds its nodes through
    the iri constraints' indexes or its relationships by element id, never by a scan; and
    a CREATE twin writes its rows as they stream, with no Eager buffering the batch."""
    neo.load(*graph, source="store-a")
    creates = {g.create for g in neo._groups(*graph) if g.create}
    statements = [(c, {"rows": g.rows[:2], "src": "store-a"})
                  for g in neo._groups(*graph) for c in (g.cypher, g.create) if c]
    stale = Diff(stale_nodes={"Institution": ["urn:x"], "Document": ["urn:y"]},
                 stale_rels={"PARTY_TO": [{"id": "4:x:1", "key": "k"}],
                             "MENTIONS": [{"id": "4:x:2", "key": "k"}]})
    statements += [(c, p) for c, p, _ in neo._stale_statements("store-a", stale, 10)]
    assert len(statements) > 16
    statements += [(f"MATCH (m:{LOAD_STATE} {{kg_key: 'last-load'}}) RETURN m", {})]
    for cypher, params in statements:
        with neo.driver.session(database=neo.database) as s:
            plan = s.run("EXPLAIN " + cypher, **params).consume().plan
        ops = []
        stack = [plan]
        while stack:
            op = stack.pop()
            ops.append(op["operatorType"].split("@")[0])
            stack.extend(op.get("children") or [])
        assert not [o for o in ops if o.startswith(SCANS)], (cypher, ops)
        if cypher in creates:
            assert "Eager" not in ops, (cypher, ops)


def test_a_name_is_looked_up_by_value_with_the_same_answer_as_the_full_list(neo, graph):
    """Saved questions look an entity parameter up by its folded key; whatever is typed
    (name, alias, other case, a sector's alternative label) picks the IRI the full list
    would have picked, and a name nobody has finds nothing."""
    from kg.query.saved import match_entity
    from ontology.vocab import vocabulary

    neo.load(*graph, source="store-a")
    everyone = neo.entity_names()
    typed = [n.name.upper() for n in graph[0][:40]] + \
        [a for n in graph[0] for a in sorted(n.aliases)][:20] + \
        [a for s in vocabulary().sectors for a in s.alts][:5]
    assert len(typed) > 45
    for value in typed:
        found = neo.entity_names(value)
        assert len(found) < len(everyone) / 5
        assert match_entity(value, found) == match_entity(value, everyone) is not None, value
    assert neo.entity_names("Nobody Ever Named This") == []
