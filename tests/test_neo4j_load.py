"""The loader's fast paths against the real server, and what makes them safe: rows the
database lacks are CREATEd (a unique constraint refuses a duplicate, and the transaction is
then redone with MERGE), so an interrupted load or two loads racing end with the graph a
clean load gives; an unchanged reload is recognised by a digest kept in the database, which
any load clears before its first write and which a node or relationship added or removed
since invalidates. (Speed: benchmarks/neo4j_bench.py, never here.)"""

from __future__ import annotations

import threading

import pytest

from kg.backends.neo4j.store import LOAD_STATE, Neo4jStore
from kg.backends.rdf.store import EmbeddedStore

pytestmark = pytest.mark.neo4j
WRITES = ("nodes_created", "relationships_created", "properties_set", "nodes_deleted",
          "relationships_deleted")


class Stop(Exception):
    """Raised from the progress callback: the load dies between two committed transactions."""


@pytest.fixture
def graph(built_store):
    with EmbeddedStore(built_store, read_only=True) as st:
        return st.read_graph()


def connect(srv) -> Neo4jStore:
    return Neo4jStore(srv["uri"], srv["user"], srv["password"])


@pytest.fixture
def neo(clean_neo4j):
    with connect(clean_neo4j) as n:
        yield n


def written(summary) -> int:
    return sum(getattr(summary, k) for k in WRITES)


def snapshot(neo: Neo4jStore) -> tuple:
    """Everything kg wrote, as comparable values: the graph read back, every element's
    properties (marks and hashes included) and the count of each relationship key."""
    nodes = neo.read("MATCH (n) WHERE n.kg_stores IS NOT NULL RETURN n.iri AS iri, "
                     "labels(n) AS labels, properties(n) AS p ORDER BY iri")
    rels = neo.read("MATCH (s)-[r]->(o) WHERE r.kg_stores IS NOT NULL RETURN s.iri AS s, "
                    "type(r) AS t, o.iri AS o, properties(r) AS p ORDER BY t, r.kg_key")
    dupes = neo.read("MATCH ()-[r]->() WHERE r.kg_stores IS NOT NULL "
                     "WITH type(r) AS t, r.kg_key AS k, count(*) AS c WHERE c > 1 "
                     "RETURN t, k, c")
    assert dupes == []
    for n in nodes:
        n["labels"] = sorted(n["labels"])
        n["p"]["kg_stores"] = sorted(n["p"]["kg_stores"])
    for r in rels:
        r["p"]["kg_stores"] = sorted(r["p"]["kg_stores"])
    return nodes, rels


def clean_load(neo: Neo4jStore, graph, *sources: str) -> tuple:
    neo._write("MATCH (n) DETACH DELETE n")
    for src in sources:
        neo.load(*graph, source=src)
    return snapshot(neo)


def test_a_first_load_creates_what_a_merge_load_would(neo, graph):
    """The CREATE path writes the same nodes, labels, properties and relationships as the
    MERGE statements (the path of changed rows) do for the same rows."""
    created = clean_load(neo, graph, "store-a")
    neo._write("MATCH (n) DETACH DELETE n")
    groups = neo._groups(*graph)
    statements = [(g.cypher, {"rows": g.rows, "src": "store-a"}, 0) for g in groups]
    neo._write_groups(statements, 10_000, lambda n: None)
    assert snapshot(neo) == created
    assert sum(1 for g in groups if g.create) == len(groups)  # every group has a CREATE twin


def test_an_interrupted_load_then_a_reload_gives_the_clean_graph(neo, graph):
    clean = clean_load(neo, graph, "store-a")
    neo._write("MATCH (n) DETACH DELETE n")
    seen = []

    def die(n: int) -> None:
        seen.append(n)
        if len(seen) == 4:  # a few transactions committed, the rest never sent
            raise Stop

    with pytest.raises(Stop):
        neo.load(*graph, source="store-a", batch_size=25, progress=die)
    partial = neo.counts()
    assert 0 < partial[0] and partial != (len(clean[0]), len(clean[1]))
    again = neo.load(*graph, source="store-a")
    assert written(again) > 0  # the cleared digest did not let it skip
    assert snapshot(neo) == clean
    assert written(neo.load(*graph, source="store-a")) == 0


def test_a_create_refused_because_another_load_wrote_first_is_redone_as_merge(clean_neo4j,
                                                                               neo, graph):
    """A load that read `present` before another load wrote the same elements: every
    CREATE it sends meets the unique constraints, and its transactions are redone as MERGE."""
    empty = neo.present("store-b")
    clean_load(neo, graph, "store-a")
    with connect(clean_neo4j) as late:
        late.present = lambda source: empty  # what it saw before store-a's load committed
        summary = late.load(*graph, source="store-b")
    assert summary.nodes_created == 0 and summary.relationships_created == 0
    both = snapshot(neo)
    assert both == clean_load(neo, graph, "store-a", "store-b")


def test_two_loads_racing_end_with_the_graph_of_two_loads_in_turn(clean_neo4j, graph):
    with connect(clean_neo4j) as neo:
        expected = clean_load(neo, graph, "store-a", "store-b")
        neo._write("MATCH (n) DETACH DELETE n")
    errors: list[BaseException] = []

    def run(src: str) -> None:
        try:
            with connect(clean_neo4j) as n:
                n.load(*graph, source=src, batch_size=50)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in ("store-a", "store-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with connect(clean_neo4j) as neo:
        assert snapshot(neo) == expected


def test_the_reload_digest_is_no_kg_element_and_is_invalidated(neo, graph):
    first = neo.load(*graph, source="store-a")
    assert neo.counts() == (first.nodes, first.relationships)  # the state node is not counted
    assert len(neo.read_graph()[0]) == len(graph[0])
    again = neo.load(*graph, source="store-a")
    assert written(again) == 0 and (again.nodes, again.relationships) == \
        (first.nodes, first.relationships)
    # a kg node removed behind kg's back: the counts differ, so the reload compares keys
    iri = graph[0][0].iri
    neo._write("MATCH (n {iri: $i}) DETACH DELETE n", i=iri)
    restored = neo.load(*graph, source="store-a")
    assert restored.nodes_created == 1
    assert neo.read("MATCH (n {iri: $i}) RETURN count(n) AS c", {"i": iri}) == [{"c": 1}]
    assert neo.counts() == (first.nodes, first.relationships)
    # another writer (the Spark job calls this first) clears it too
    before = snapshot(neo)
    neo._write("MATCH (n {iri: $i}) SET n.kg_hash = 'changed outside'", i=iri)
    neo.forget_last_load()
    assert neo.load(*graph, source="store-a").properties_set > 0
    assert snapshot(neo) == before
    assert neo.read(f"MATCH (m:{LOAD_STATE}) RETURN count(m) AS c") == [{"c": 1}]
