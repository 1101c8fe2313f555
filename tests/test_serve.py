"""kg serve: the real Oxigraph server over the built store, queried by real HTTP clients
(plain SPARQL 1.1 Protocol requests and rdflib's SPARQLStore)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import kg
from conftest import invoke
from kg.query import saved
from kg.serve import query_text, serve_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def endpoint(built_store):
    port = _free_port()
    proc = subprocess.Popen(serve_command(built_store, port=port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _select(url: str, sparql: str) -> list[dict]:
    req = urllib.request.Request(f"{url}/query", data=urllib.parse.urlencode(
        {"query": sparql}).encode(), headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        data = json.load(r)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_the_serve_command_binds_loopback_by_default(built_store):
    cmd = serve_command(built_store)
    assert cmd[1] == "serve-read-only" and cmd[cmd.index("--bind") + 1] == "127.0.0.1:7878"


def test_saved_questions_give_the_same_rows_over_http(runner, built_store, endpoint):
    checked = 0
    for name, given in (("partners-of", {"org": "VNU"}),
                        ("institutions-in-sector", {"sector": "health"}),
                        ("most-connected", {}),
                        ("people-at", {"org": "Vietnam National University, Hanoi"})):
        q = saved.get(name)
        args = [a for k, v in given.items() for a in ("-p", f"{k}={v}")]
        ours = json.loads(invoke(runner, ["query", "run", name, *args, "--store",
                                          str(built_store), "--format", "json"]).output)
        text = query_text(q.sparql)
        with kg.open_backend("rdf", store=built_store) as st:
            for p in q.entity_params:
                value = given[p]
                iri = saved.match_entity(value, st.entity_names(value))
                text += f"\nVALUES ?{p} {{ <{iri}> }}"  # the standard way to bind a value
        theirs = _select(endpoint, text)
        cols = q.sparql_columns
        norm = [{c: str(r[c]) for c in cols if r.get(c) is not None} for r in ours]
        assert norm == [{c: r[c] for c in cols if c in r} for r in theirs], name
        checked += len(ours)
    assert checked > 5


def test_rdflib_sparqlstore_reads_and_updates_are_refused(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    st = SPARQLStore(f"{endpoint}/query")
    rows = list(st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a "
                         "<https://w3id.org/kg-coop/ontology#Institution> }"))
    assert int(rows[0][0]) > 10
    req = urllib.request.Request(f"{endpoint}/update", data=urllib.parse.urlencode(
        {"update": "INSERT DATA { <urn:x> <urn:y> <urn:z> }"}).encode())
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=30)
    assert exc.value.code in (403, 404, 405)
    assert _select(endpoint, "SELECT ?o WHERE { <urn:x> <urn:y> ?o }") == []
