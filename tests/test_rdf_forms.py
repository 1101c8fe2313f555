"""Standard RDF and query forms: exports declare kg's prefixes (JSON-LD in an @context),
CONSTRUCT and DESCRIBE print RDF in any export format, ad-hoc Cypher prints nodes,
relationships and paths as JSON-like values."""

from __future__ import annotations

import json

import pytest
import rdflib

from conftest import invoke

CONSTRUCT = "CONSTRUCT { ?p kgo:name ?n } WHERE { ?p a kgo:Person ; kgo:name ?n }"


def test_turtle_and_trig_exports_declare_prefixes(runner, built_store):
    for fmt in ("turtle", "trig"):
        out = invoke(runner, ["export", "--format", fmt, "--store", str(built_store)]).stdout
        assert "@prefix kgo: <https://w3id.org/kg-coop/ontology#> ." in out
        assert "kgo:name" in out  # used, not only declared


def test_jsonld_export_has_a_context_and_reads_back(runner, built_store, tmp_path):
    out = tmp_path / "g.jsonld"
    invoke(runner, ["export", "--format", "jsonld", "-o", str(out), "--store", str(built_store)])
    doc = json.loads(out.read_text("utf-8"))
    assert doc["@context"]["kgo"] == "https://w3id.org/kg-coop/ontology#"
    ds = rdflib.Dataset()
    ds.parse(out, format="json-ld")
    assert len(ds) > 100


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("xml", "xml"),
                                        ("jsonld", "json-ld"), ("trig", "trig")])
def test_construct_prints_rdf_in_any_export_format(runner, built_store, fmt, parser):
    people = json.loads(invoke(runner, ["query", "sparql", "SELECT ?p ?n WHERE { ?p a "
                                        "kgo:Person ; kgo:name ?n }", "--format", "json",
                                        "--store", str(built_store)]).stdout)
    out = invoke(runner, ["query", "sparql", CONSTRUCT, "--format", fmt, "--store",
                          str(built_store)]).stdout
    g = rdflib.Dataset() if fmt in {"jsonld", "trig"} else rdflib.Graph()
    g.parse(data=out, format=parser)
    names = {str(o) for _, _, o, *_ in (g.quads() if isinstance(g, rdflib.Dataset) else g)}
    assert names == {r["n"] for r in people} != set()


def test_describe_prints_the_resource(runner, built_store):
    out = invoke(runner, ["query", "sparql", "DESCRIBE ?a WHERE { ?a kgo:name "
                          "'Aurora AI Company' }", "--store", str(built_store)]).stdout
    g = rdflib.Graph().parse(data=out, format="turtle")
    assert rdflib.Literal("Aurora AI Company") in set(g.objects())


def test_rdf_format_for_rows_is_a_usage_error(runner, built_store):
    r = invoke(runner, ["query", "sparql", "SELECT ?p WHERE { ?p a kgo:Person }", "--format",
                        "turtle", "--store", str(built_store)], ok=False)
    assert r.exit_code == 2 and "SELECT and ASK give rows" in r.stderr
    r = invoke(runner, ["query", "sparql", CONSTRUCT, "--format", "docx", "--store",
                        str(built_store)], ok=False)
    assert r.exit_code == 2 and "Unknown format 'docx'" in r.stderr


@pytest.mark.neo4j
def test_cypher_prints_paths_nodes_and_relationships_as_values(runner, built_store,
                                                              clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    q = ("MATCH p=(a:Person)-[r:HOLDS_POSITION]->(i:Institution) "
         "RETURN p, a, r ORDER BY a.name LIMIT 1")
    [row] = json.loads(invoke(runner, ["query", "cypher", q, "--format", "json"],
                              env=neo4j_env).stdout)
    assert row["a"]["labels"] == ["Person"] and row["a"]["properties"]["name"]
    assert row["r"]["type"] == "HOLDS_POSITION"
    assert row["r"]["start"] == row["a"]["properties"]["iri"]
    assert [n["labels"][0] for n in row["p"]["nodes"]][0] == "Person"
    assert row["p"]["relationships"][0]["type"] == "HOLDS_POSITION"
    table = invoke(runner, ["query", "cypher", q], env=neo4j_env).stdout
    assert "<Node" not in table and "Path(" not in table and '"labels": ["Person"]' in table
