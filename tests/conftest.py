"""Fixtures on real parts: the real spaCy model, a real on-disk store, a real Neo4j server
(started from Maven Central jars, or NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD when set)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, args: list[str], env: dict | None = None, ok: bool = True):
    from kg.cli import cli

    result = runner.invoke(cli, args, env=env, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """The example corpus built once into a real store (read-only for the tests using it)."""
    from kg.cli import cli

    path = tmp_path_factory.mktemp("store") / "store"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES), "--store", str(path), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store_copy(built_store, tmp_path) -> Path:
    dst = tmp_path / "store"
    shutil.copytree(built_store, dst, ignore=shutil.ignore_patterns("LOCK"))
    return dst


@pytest.fixture(scope="session")
def neo4j_server():
    """A real Neo4j. Never mocked; never skipped in CI."""
    if os.environ.get("NEO4J_URI") and os.environ.get("NEO4J_PASSWORD"):
        yield {"uri": os.environ["NEO4J_URI"],
               "user": os.environ.get("NEO4J_USERNAME", "neo4j"),
               "password": os.environ["NEO4J_PASSWORD"], "server": None}
        return
    import neo4j_server as ns

    srv = ns.start()
    try:
        yield {"uri": srv.uri, "user": "neo4j", "password": srv.password, "server": srv,
               "http_port": srv.http_port}
    finally:
        srv.stop()


@pytest.fixture
def neo4j_env(neo4j_server) -> dict[str, str]:
    return {"NEO4J_URI": neo4j_server["uri"], "NEO4J_USERNAME": neo4j_server["user"],
            "NEO4J_PASSWORD": neo4j_server["password"]}


@pytest.fixture
def clean_neo4j(neo4j_server):
    from kg.backends.neo4j.store import Neo4jStore

    with Neo4jStore(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]) as n:
        n._write("MATCH (n) DETACH DELETE n")
    return neo4j_server
