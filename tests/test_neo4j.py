"""Neo4j against the real server: constraints, counts equal to the store's, idempotent loads,
Unicode, queryable evidence, clean errors."""

import json
import socket

import pytest

from conftest import invoke
from kg.backends.neo4j.store import Neo4jStore
from kg.backends.rdf.store import EmbeddedStore

pytestmark = pytest.mark.neo4j


def _neo(srv):
    return Neo4jStore(srv["uri"], srv["user"], srv["password"])


def test_load_mirrors_the_store_and_is_idempotent(runner, built_store, clean_neo4j, neo4j_env):
    r = invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    assert "created" in r.output
    with EmbeddedStore(built_store, read_only=True) as st:
        nodes, edges, docs = st.read_graph()
    distinct_edges = {(e.subject, e.predicate, e.object, e.title or "") for e in edges}
    mentions = sum(len(d["mentions"]) for d in docs)
    with _neo(clean_neo4j) as n:
        n_nodes, n_rels = n.counts()
        assert n_nodes == len(nodes) + len(docs)
        assert n_rels == len(distinct_edges) + mentions
        constraints = {r["name"] for r in n.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        assert {"kg_institution_iri", "kg_person_iri", "kg_agreement_iri", "kg_sector_iri",
                "kg_location_iri", "kg_document_iri"} <= constraints
        summary = n.load_from(st_open(built_store))
        assert summary.nodes_created == 0 and summary.relationships_created == 0
        assert summary.nodes_deleted == 0 and summary.relationships_deleted == 0
        assert n.counts() == (n_nodes, n_rels)


def st_open(path):
    return EmbeddedStore(path, read_only=True)


def test_unicode_titles_and_evidence_survive(runner, built_store, clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    with _neo(clean_neo4j) as n:
        rows = n.read("MATCH (p:Person {name: $name})-[r:HOLDS_POSITION]->(i:Institution) "
                      "RETURN r.title AS title, i.name AS org, r.evidence AS ev, r.docs AS docs",
                      {"name": "Nguyễn Hoàng Nam"})
        assert rows and rows[0]["title"] == "Vice President"
        assert "Nguyễn Hoàng Nam" in rows[0]["ev"][0]
        assert rows[0]["docs"][0].endswith("vnu-education-ai")
        subtypes = n.read("MATCH (i:Institution:University) RETURN count(i) AS n")[0]["n"]
        assert subtypes >= 3


def test_a_grown_graph_adds_only_what_is_new(runner, tmp_path, clean_neo4j, neo4j_env):
    from conftest import EXAMPLES
    store = tmp_path / "s"
    invoke(runner, ["build", str(EXAMPLES / "fintech-bank.txt"), "--store", str(store), "-q"])
    invoke(runner, ["load", "neo4j", "--store", str(store), "-q"], env=neo4j_env)
    with _neo(clean_neo4j) as n:
        before = n.counts()
    invoke(runner, ["build", str(EXAMPLES / "ministry-telecom.txt"), "--store", str(store),
                    "-q"])
    with EmbeddedStore(store, read_only=True) as st, _neo(clean_neo4j) as n:
        summary = n.load_from(st)
        after = n.counts()
    assert summary.nodes_created == after[0] - before[0] > 0
    assert summary.nodes_deleted == 0


def test_wrong_password_is_one_clean_line(runner, built_store, neo4j_server):
    env = {"NEO4J_URI": neo4j_server["uri"], "NEO4J_USERNAME": "neo4j",
           "NEO4J_PASSWORD": "wrong-" + neo4j_server["password"]}
    r = invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=env, ok=False)
    assert r.exit_code == 1
    assert "refused the credentials" in r.output
    assert "Traceback" not in r.output
    assert neo4j_server["password"] not in r.output


def test_closed_port_is_one_clean_line(runner, built_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "x"}
    r = invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=env, ok=False)
    assert r.exit_code == 1
    assert "cannot reach Neo4j" in r.output
    assert "Traceback" not in r.output


def test_uri_typo_is_one_clean_line(runner, built_store):
    env = {"NEO4J_URI": "bolt//127.0.0.1:7687", "NEO4J_PASSWORD": "x"}
    r = invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=env, ok=False)
    assert r.exit_code == 1
    assert "Neo4j" in r.output and "Traceback" not in r.output


def test_missing_database_is_one_clean_line(runner, built_store, neo4j_env):
    env = dict(neo4j_env, NEO4J_DATABASE="nosuchdb")
    r = invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=env, ok=False)
    assert r.exit_code == 1
    assert "nosuchdb" in r.output and "Traceback" not in r.output


def test_grass_style_covers_every_label(runner):
    from ontology.vocab import vocabulary
    out = invoke(runner, ["neo4j", "style"]).output
    for label in vocabulary().neo4j_labels:
        assert f"node.{label} {{" in out
    assert "caption: '{name}'" in out and "caption: '{title}'" in out


def test_ad_hoc_cypher_write_is_refused(runner, built_store, clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    r = invoke(runner, ["query", "cypher", "CREATE (x:Person {name: 'intruder'}) RETURN x"],
               env=neo4j_env, ok=False)
    assert r.exit_code == 1 and "read-only" in r.output
    r = invoke(runner, ["query", "cypher", "MATCH (p:Person {name: 'intruder'}) RETURN p.name",
                        "--format", "json"], env=neo4j_env)
    assert json.loads(r.output) == []
