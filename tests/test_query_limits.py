"""Bounded queries: a default time limit and row limit on ad-hoc and saved queries, on both
backends, tested with real pathological queries on a real store built from examples/corpus;
SERVICE refused unless enabled (a real local endpoint that never answers); queries that name
no entity say so instead of answering about a demo default or answering nothing."""

from __future__ import annotations

import json
import shlex
import socket
import threading

import pytest

from conftest import invoke
from kg.query import saved as saved_queries
from kg.query.limits import DEFAULT_LIMIT, DEFAULT_TIMEOUT

CROSS_JOIN_10 = "SELECT * WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(10)) + " } ORDER BY ?o0"
COUNT_10 = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(10)) + " }"
CYPHER_5 = ("MATCH (a), (b), (c), (d), (e) WHERE a.name + b.name + c.name + d.name + e.name "
            "= 'none of these' RETURN count(*) AS n")
ENTITY_QUERIES = sorted(n for n, q in saved_queries.catalogue().items()
                        if any(p.type == "entity" for p in q.params))


def _one_clean_line(r, *needles: str) -> str:
    lines = [x for x in (r.stderr or r.output).strip().splitlines() if x.startswith("Error:")]
    assert len(lines) == 1, r.output
    assert "Traceback" not in r.output
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def test_defaults_are_documented_in_help(runner):
    for cmd in (["query", "sparql"], ["query", "cypher"], ["query", "run"]):
        out = " ".join(invoke(runner, [*cmd, "--help"]).output.split())
        assert "--timeout SECONDS" in out and "--limit N" in out
        assert f"[default: {DEFAULT_TIMEOUT}; x>0]" in out
        assert f"[default: {DEFAULT_LIMIT}; x>=1]" in out


@pytest.mark.slow
@pytest.mark.parametrize("text", [CROSS_JOIN_10, COUNT_10], ids=["order-by", "count"])
def test_sparql_cross_join_stops_at_the_timeout(runner, built_store, text):
    r = invoke(runner, ["query", "sparql", text, "--store", str(built_store), "--timeout", "2"],
               ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "2 s time limit", "--timeout")
    assert r.stdout == ""


@pytest.mark.slow
def test_a_query_slow_to_parse_is_under_the_timeout_too(runner, built_store):
    # thousands of UNION branches (each a cross join): rdflib's parse alone takes long
    branch = "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    text = "SELECT (COUNT(*) AS ?n) WHERE { " + " UNION ".join([branch] * 4000) + " }"
    r = invoke(runner, ["query", "sparql", text, "--store", str(built_store), "--timeout", "2"],
               ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "2 s time limit")


def test_sparql_rows_stop_at_the_limit_and_say_so(runner, built_store):
    r = invoke(runner, ["query", "sparql", "SELECT * WHERE { ?s ?p ?o }", "--store",
                        str(built_store), "--limit", "7", "--format", "json"])
    assert len(json.loads(r.stdout)) == 7
    assert "truncated to the first 7 rows" in r.stderr
    r = invoke(runner, ["query", "sparql", "SELECT ?s WHERE { ?s a kgo:Document }", "--store",
                        str(built_store), "--format", "json"])
    assert 0 < len(json.loads(r.stdout)) < DEFAULT_LIMIT and "truncated" not in r.stderr


def test_a_cross_join_under_the_row_limit_streams(runner, built_store):
    # 10-way cross join without ORDER BY: rows stream, the limit stops it at once
    text = "SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(10)) + " }"
    r = invoke(runner, ["query", "sparql", text, "--store", str(built_store), "--limit", "3",
                        "--format", "csv"])
    assert len(r.stdout.strip().splitlines()) == 4 and "truncated" in r.stderr


def test_saved_query_row_limit(runner, built_store):
    full = json.loads(invoke(runner, ["query", "run", "people-and-titles", "--store",
                                      str(built_store), "--format", "json"]).stdout)
    assert len(full) > 2
    r = invoke(runner, ["query", "run", "people-and-titles", "--store", str(built_store),
                        "--format", "json", "--limit", "2"])
    assert json.loads(r.stdout) == full[:2] and "truncated to the first 2 rows" in r.stderr


# ---------------------------------------------------------------------------- SERVICE

class Silent:
    """A TCP endpoint that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for c in self.accepted:
            c.close()


@pytest.fixture
def silent_endpoint():
    s = Silent()
    yield s
    s.close()


@pytest.mark.parametrize("shape", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x a kgo:Person OPTIONAL {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
])
def test_service_is_refused_by_default(runner, built_store, silent_endpoint, shape):
    url = f"http://127.0.0.1:{silent_endpoint.port}/sparql"
    r = invoke(runner, ["query", "sparql", shape.format(url=url), "--store", str(built_store)],
               ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "SERVICE", "--allow-service")
    assert silent_endpoint.accepted == []


def test_service_text_inside_a_literal_is_no_service(runner, built_store, silent_endpoint):
    url = f"http://127.0.0.1:{silent_endpoint.port}/sparql"
    r = invoke(runner, ["query", "sparql", f'SELECT ("SERVICE <{url}> {{}}" AS ?x) WHERE {{}}',
                        "--store", str(built_store), "--format", "json"])
    assert json.loads(r.stdout)[0]["x"].startswith("SERVICE")


@pytest.mark.slow
def test_allowed_service_is_bounded_by_the_timeout(runner, built_store, silent_endpoint):
    url = f"http://127.0.0.1:{silent_endpoint.port}/sparql"
    r = invoke(runner, ["query", "sparql", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                        "--store", str(built_store), "--allow-service", "--timeout", "3"],
               ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "time limit")
    assert silent_endpoint.accepted, "the endpoint was never called"


# ---------------------------------------------------------------------------- entities

def _example_params(name: str) -> list[str]:
    """The -p pairs of the query's own example line (the header), for the parity runs."""
    words = shlex.split(saved_queries.get(name).example)
    return [w for i, w in enumerate(words) if i and words[i - 1] == "-p"]


@pytest.mark.parametrize("name", ENTITY_QUERIES)
def test_missing_entity_parameter_names_it_and_exits_2(runner, built_store, name):
    q = saved_queries.get(name)
    r = invoke(runner, ["query", "run", name, "--store", str(built_store)], ok=False)
    assert r.exit_code == 2
    for p in q.params:
        if p.type == "entity":
            assert f"needs parameter {p.name!r}" in r.output
    assert _example_params(name), f"{name}: the header example must show its -p"


def test_no_entity_header_has_a_default():
    for q in saved_queries.catalogue().values():
        assert all(p.default is None for p in q.params if p.type == "entity"), q.name


def test_unknown_entity_lists_the_nearest_names(runner, built_store):
    r = invoke(runner, ["query", "run", "partners-of", "-p", "org=Aurora AI Compny", "--store",
                        str(built_store)], ok=False)
    assert r.exit_code == 1 and r.stdout == ""
    line = _one_clean_line(r, "no entity matches 'Aurora AI Compny'", "nearest:")
    assert line.split("nearest:")[1].split(",")[0].strip() == "Aurora AI Company"


@pytest.fixture(scope="module")
def loaded_neo4j(built_store, neo4j_server):
    from kg.backends.neo4j.store import Neo4jStore
    from kg.backends.rdf.store import EmbeddedStore

    with EmbeddedStore(built_store, read_only=True) as st, \
            Neo4jStore(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]) as n:
        n._write("MATCH (x) DETACH DELETE x")
        n.load_from(st)
    return {"NEO4J_URI": neo4j_server["uri"], "NEO4J_USERNAME": neo4j_server["user"],
            "NEO4J_PASSWORD": neo4j_server["password"]}


@pytest.mark.neo4j
def test_neo4j_cypher_cross_join_stops_at_the_timeout(runner, loaded_neo4j):
    r = invoke(runner, ["query", "cypher", CYPHER_5, "--timeout", "2"], env=loaded_neo4j,
               ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "2 s time limit")


@pytest.mark.neo4j
def test_neo4j_cypher_variable_length_path_stops_at_the_timeout(runner, loaded_neo4j):
    r = invoke(runner, ["query", "cypher", "MATCH p=(a)-[*..12]-(b) RETURN count(p) AS n",
                        "--timeout", "2"], env=loaded_neo4j, ok=False)
    assert r.exit_code == 1
    _one_clean_line(r, "2 s time limit")


@pytest.mark.neo4j
def test_neo4j_cypher_rows_stop_at_the_limit_and_say_so(runner, loaded_neo4j):
    r = invoke(runner, ["query", "cypher", "MATCH (a), (b), (c) RETURN a.iri, b.iri, c.iri",
                        "--limit", "9", "--format", "json"], env=loaded_neo4j)
    assert len(json.loads(r.stdout)) == 9 and "truncated to the first 9 rows" in r.stderr


@pytest.mark.neo4j
def test_neo4j_saved_query_row_limit(runner, loaded_neo4j):
    r = invoke(runner, ["query", "run", "people-and-titles", "--backend", "neo4j",
                        "--limit", "2", "--format", "json"], env=loaded_neo4j)
    assert len(json.loads(r.stdout)) == 2 and "truncated" in r.stderr


@pytest.mark.neo4j
def test_neo4j_missing_entity_parameter_exits_2(runner, loaded_neo4j):
    r = invoke(runner, ["query", "run", "partners-of", "--backend", "neo4j"],
               env=loaded_neo4j, ok=False)
    assert r.exit_code == 2 and "needs parameter 'org'" in r.output


@pytest.mark.neo4j
def test_neo4j_unknown_entity_lists_the_nearest_names(runner, loaded_neo4j):
    r = invoke(runner, ["query", "run", "partners-of", "-p", "org=Aurora AI Compny",
                        "--backend", "neo4j"], env=loaded_neo4j, ok=False)
    assert r.exit_code == 1 and r.stdout == ""
    line = _one_clean_line(r, "no entity matches 'Aurora AI Compny'", "nearest:")
    assert line.split("nearest:")[1].split(",")[0].strip() == "Aurora AI Company"


def test_worker_ignores_a_kg_folder_in_the_working_folder(runner, built_store, tmp_path,
                                                           monkeypatch):
    (tmp_path / "kg" / "query").mkdir(parents=True)
    (tmp_path / "kg" / "__init__.py").write_text("raise ImportError('the wrong kg')\n")
    monkeypatch.chdir(tmp_path)
    r = invoke(runner, ["query", "sparql", "SELECT ?s WHERE { ?s a kgo:Document }", "--store",
                        str(built_store), "--format", "json"])
    assert json.loads(r.stdout)
