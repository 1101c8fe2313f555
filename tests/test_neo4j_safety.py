"""Neo4j reach and ownership, against the real server: ad-hoc Cypher refused from its EXPLAIN
plan (LOAD CSV from files or URLs, procedures beyond the schema readers, TERMINATE), the test
server configured as a careful operator would, kg loads that touch only what kg wrote, and no
password ever echoed."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, invoke
from kg.backends.neo4j.store import Neo4jStore

pytestmark = pytest.mark.neo4j


def _neo(srv):
    return Neo4jStore(srv["uri"], srv["user"], srv["password"])


def _one_error_line(r) -> str:
    lines = [x for x in r.output.strip().splitlines() if x.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in r.output, r.output
    return lines[0]


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        Recorder.hits.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_recorder():
    Recorder.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


# ---------------------------------------------------------------------------- refused plans

@pytest.mark.parametrize("text", [
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "CALL () { LOAD CSV FROM 'file:///etc/hostname' AS l RETURN l } RETURN l",
])
def test_load_csv_from_a_file_is_refused(runner, clean_neo4j, neo4j_env, text):
    r = invoke(runner, ["query", "cypher", text, "--format", "json"], env=neo4j_env, ok=False)
    assert r.exit_code == 1
    assert "LOAD CSV" in _one_error_line(r)
    assert r.stdout == "" and "root:" not in r.output


def test_load_csv_from_http_is_refused_and_makes_no_request(runner, clean_neo4j, neo4j_env,
                                                             http_recorder):
    url = f"http://127.0.0.1:{http_recorder.server_address[1]}/data.csv"
    r = invoke(runner, ["query", "cypher", f"LOAD CSV FROM '{url}' AS l RETURN l"],
               env=neo4j_env, ok=False)
    assert r.exit_code == 1 and "LOAD CSV" in _one_error_line(r)
    assert Recorder.hits == []


@pytest.mark.parametrize("text", [
    "CALL dbms.listConnections()",
    "CALL dbms.killConnection('bolt-1')",
    "CALL dbms.listConnections() YIELD connectionId "
    "CALL dbms.killConnection(connectionId) YIELD message RETURN message",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
])
def test_procedures_and_admin_commands_are_refused(runner, clean_neo4j, neo4j_env, text):
    r = invoke(runner, ["query", "cypher", text], env=neo4j_env, ok=False)
    assert r.exit_code == 1
    assert "refused" in _one_error_line(r) and r.stdout == ""


def test_schema_procedures_still_work(runner, built_store, clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    r = invoke(runner, ["query", "cypher", "CALL db.labels() YIELD label RETURN label",
                        "--format", "json"], env=neo4j_env)
    assert {"Institution", "Person", "Agreement"} <= {x["label"] for x in json.loads(r.stdout)}
    r = invoke(runner, ["query", "cypher", "CALL db.relationshipTypes()", "--format", "json"],
               env=neo4j_env)
    assert "PARTY_TO" in {x["relationshipType"] for x in json.loads(r.stdout)}


# ---------------------------------------------------------------------------- the server

def test_server_refuses_file_urls_even_without_the_guard(neo4j_server):
    """The operator's setting, underneath kg's own check."""
    if neo4j_server["server"] is None:
        pytest.skip("an external server: its configuration is its operator's")
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server["uri"],
                                    auth=(neo4j_server["user"], neo4j_server["password"])) as d:
        with d.session() as s, pytest.raises(neo4j.exceptions.Neo4jError) as info:
            s.run("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l").consume()
    assert "allow_csv_import_from_file_urls" in str(info.value)


def test_password_is_not_on_the_command_line(neo4j_server):
    srv = neo4j_server["server"]
    if srv is None:
        pytest.skip("an external server")
    cmdline = Path(f"/proc/{srv.proc.pid}/cmdline").read_bytes().decode(errors="replace")
    assert srv.password not in cmdline
    assert "jmxremote" not in cmdline
    environ = Path(f"/proc/{srv.proc.pid}/environ")
    assert oct(environ.stat().st_mode & 0o077) == "0o0"  # only the owner can read it


@pytest.mark.slow
def test_sigterm_stops_the_runner_its_neo4j_and_its_folder():
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "neo4j_server.py"), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items() if not k.startswith("NEO4J")})
    try:
        uri_line = proc.stdout.readline()
        assert uri_line.startswith("NEO4J_URI="), proc.stderr.read()
        info = proc.stderr.readline()  # "Neo4j pid N, folder PATH (...)"
        java_pid = int(info.split("pid ")[1].split(",")[0])
        home = Path(info.split("folder ")[1].split(" ")[0])
        assert home.is_dir() and Path(f"/proc/{java_pid}").exists()
        proc.send_signal(signal.SIGTERM)  # at once: the runner must stop cleanly anyway
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and Path(f"/proc/{java_pid}").exists():
        time.sleep(0.5)
    assert not Path(f"/proc/{java_pid}").exists(), \
        "Neo4j still running after SIGTERM: " + proc.stderr.read()[-2000:]
    assert not home.exists(), f"{home} left behind"
    port = int(uri_line.split()[0].rsplit(":", 1)[1])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


# ---------------------------------------------------------------------------- ownership

TEXT_A = ("Zorvath Polytechnic University signed a memorandum of understanding with Quillon "
          "Robotics Company on 3 March 2025 to cooperate in artificial intelligence.\n")
TEXT_B = ("Brimwater Institute of Technology signed a cooperation agreement with Vexlor "
          "Dynamics Company on 9 June 2025 to work together in renewable energy.\n")


def _build(runner, tmp_path, name, text, store):
    src = tmp_path / f"{name}.txt"
    src.write_text(text, encoding="utf-8")
    invoke(runner, ["build", str(src), "--store", str(store), "--reset", "-q"])


def _names(neo) -> set[str]:
    return {r["n"] for r in neo.read("MATCH (x) WHERE x.name IS NOT NULL RETURN x.name AS n")}


def test_loads_touch_only_what_kg_wrote(runner, tmp_path, clean_neo4j, neo4j_env):
    with _neo(clean_neo4j) as n:
        n._write("CREATE (:Customer {iri: 'urn:example:customer:1', name: 'Pellow Customer'})"
                 "-[:BOUGHT {since: 2020}]->(:Product {iri: 'urn:example:product:1', "
                 "name: 'Pellow Widget'})")
    store_a, store_b = tmp_path / "a", tmp_path / "b"
    _build(runner, tmp_path, "zorvath", TEXT_A, store_a)
    _build(runner, tmp_path, "brimwater", TEXT_B, store_b)
    ra = invoke(runner, ["load", "neo4j", "--store", str(store_a), "-q"], env=neo4j_env)
    rb = invoke(runner, ["load", "neo4j", "--store", str(store_b), "-q"], env=neo4j_env)
    assert "0 stale nodes and 0 stale relationships removed" in ra.output
    assert "0 stale nodes and 0 stale relationships removed" in rb.output
    with _neo(clean_neo4j) as n:
        names = _names(n)
        assert {"Pellow Customer", "Pellow Widget", "Zorvath Polytechnic University",
                "Brimwater Institute of Technology"} <= names, names
        assert n.read("MATCH (:Customer)-[r:BOUGHT]->(:Product) RETURN r.since AS s") == \
            [{"s": 2020}]
    # store A loses its document: its load removes A's nodes only, and says how many
    _build(runner, tmp_path, "zorvath", TEXT_B.replace("Brimwater", "Caddow"), store_a)
    r = invoke(runner, ["load", "neo4j", "--store", str(store_a), "-q"], env=neo4j_env)
    removed = int(r.output.split(" stale nodes")[0].rsplit(" ", 1)[1])
    assert removed >= 2, r.output
    with _neo(clean_neo4j) as n:
        names = _names(n)
        assert "Zorvath Polytechnic University" not in names
        assert {"Pellow Customer", "Pellow Widget", "Brimwater Institute of Technology",
                "Caddow Institute of Technology"} <= names, names
        # an entity both stores hold stays while either store has it
        assert n.read("MATCH (x {name: 'Vexlor Dynamics Company'}) "
                      "RETURN size(x.kg_stores) AS k") == [{"k": 2}]
    _build(runner, tmp_path, "brimwater", TEXT_A, store_b)
    invoke(runner, ["load", "neo4j", "--store", str(store_b), "-q"], env=neo4j_env)
    with _neo(clean_neo4j) as n:
        names = _names(n)
        assert "Vexlor Dynamics Company" in names  # store A still has it
        assert "Brimwater Institute of Technology" not in names
        assert {"Pellow Customer", "Pellow Widget"} <= names
        kg_nodes, _ = n.counts()
        everything = n.read("MATCH (x) WHERE NOT x:KgLoadState "  # the loader's own record
                            "RETURN count(x) AS c")[0]["c"]
        assert everything == kg_nodes + 2  # the user's two nodes, never counted as kg's


def test_user_nodes_are_not_entity_candidates(runner, built_store, clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    with _neo(clean_neo4j) as n:
        n._write("CREATE (:Customer {iri: 'urn:example:customer:2', name: 'Tarnby Customer'})")
    r = invoke(runner, ["query", "run", "partners-of", "-p", "org=Tarnby Customer",
                        "--backend", "neo4j"], env=neo4j_env, ok=False)
    assert r.exit_code == 1 and "no entity matches 'Tarnby Customer'" in r.output


# ---------------------------------------------------------------------------- secrets

@pytest.mark.parametrize("shape", ["bolt://neo4j:{pw}@127.0.0.1:{port}",
                                   "neo4j://neo4j:{pw}@localhost:{port}/?x=1",
                                   "bolt//neo4j:{pw}@127.0.0.1:{port}"])
@pytest.mark.parametrize("cmd", [["query", "cypher", "RETURN 1"], ["load", "neo4j", "-q"]])
def test_password_in_the_uri_is_never_echoed(runner, built_store, neo4j_server, shape, cmd):
    port = neo4j_server["uri"].rsplit(":", 1)[1]
    for pw in ("Zq7-uri-secret", neo4j_server["password"]):
        env = {"NEO4J_URI": shape.format(pw=pw, port=port), "NEO4J_PASSWORD": pw}
        r = invoke(runner, [*cmd, "--store", str(built_store)] if cmd[0] == "load" else cmd,
                   env=env, ok=False)
        assert r.exit_code == 1
        line = _one_error_line(r)
        assert pw not in r.output and "NEO4J_USERNAME" in line, line
