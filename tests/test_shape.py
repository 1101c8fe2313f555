"""The project's shape: the tree on disk is the tree Python imports (from a checkout and from
the installed package), the public API is there, and code names only what the ontology has."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from ontology.vocab import KGO, ontology_graph, vocabulary

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "loaders", "ontology", "queries")
CODE = [p for d in ("kg", "loaders", "ontology") for p in sorted((ROOT / d).rglob("*.py"))]

PROBE = """
import json, kg, loaders, ontology, queries
from importlib.resources import files
from ontology.vocab import vocabulary
from kg.query.saved import catalogue
print(json.dumps({
    "files": {m.__name__: m.__file__ for m in (kg, loaders, ontology, queries)},
    "api": sorted(n for n in kg.__all__ if callable(getattr(kg, n))),
    "viz": files("kg.viz").joinpath("viz.html").is_file()
           and files("kg.viz.vendor").joinpath("cytoscape.min.js").is_file(),
    "queries": len(catalogue()),
    "types": sorted(vocabulary().entity_types),
}))
"""


def probe(cwd: Path, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_checkout_imports_its_own_tree(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    got = probe(tmp_path, env)
    for name in PACKAGES:
        assert Path(got["files"][name]).parent == ROOT / name, got["files"]
    assert got["viz"] and got["queries"] >= 15
    assert {"build", "extract_texts", "open_backend", "evaluate_dir"} <= set(got["api"])


def test_the_installed_package_carries_every_asset(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    got = probe(tmp_path, env)  # cwd is not the checkout: this is whatever pip installed
    assert set(got["files"]) == set(PACKAGES)
    assert got["viz"] and got["queries"] >= 15
    assert got["types"] == sorted(vocabulary().entity_types)


def test_every_kgo_term_named_in_code_and_queries_is_declared():
    g = ontology_graph()
    declared = {str(s) for s in g.subjects()}
    texts = [p.read_text("utf-8") for p in CODE]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "queries").glob("*.*"))]
    used = {m for t in texts for m in re.findall(r"\bkgo:([A-Za-z][\w-]*)", t)}
    assert used, "the scan found nothing: the pattern is wrong"
    missing = sorted(u for u in used if str(KGO[u]) not in declared)
    assert not missing, f"kgo terms used but not in the ontology: {missing}"


def _is_type_target(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in {"type", "subtype", "etype"}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for e in node.elts for s in _strings(e)]
    return []


def test_entity_types_and_predicates_named_in_code_exist_in_the_ontology():
    voc = vocabulary()
    from kg.query.saved import PARAM_TYPES

    # a saved question's parameters have types too (entity, string, ...); "" is "no subtype"
    types = set(voc.entity_types) | set(voc.subtypes) | set(PARAM_TYPES) | {""}
    predicates = set(voc.predicates)
    env_or_spacy = re.compile(r"^(KG_|NEO4J_|PYSPARK_|XDG_)|^JAVA_HOME$|^(LEFT|RIGHT)_(ID|ATTRS)$"
                              r"|^REL_OP$|^WORK_OF_ART$")
    seen_types, seen_preds, bad = set(), set(), []
    for path in CODE:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and (_is_type_target(node.left)
                                                  or any(map(_is_type_target, node.comparators))):
                for side in [node.left, *node.comparators]:
                    for s in _strings(side):
                        seen_types.add(s)
                        if s not in types:
                            bad.append(f"{path.name}:{node.lineno}: type {s!r}")
            if isinstance(node, ast.keyword) and node.arg in {"type", "subtype"}:
                for s in _strings(node.value):
                    seen_types.add(s)
                    if s not in types:
                        bad.append(f"{path.name}:{node.value.lineno}: type {s!r}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", node.value) and \
                    not env_or_spacy.search(node.value):
                seen_preds.add(node.value)
                if node.value not in predicates:
                    bad.append(f"{path.name}:{node.lineno}: predicate {node.value!r}")
    assert {"Institution", "Person", "Agreement"} <= seen_types  # the scan sees real code
    assert {"HOLDS_POSITION", "PART_OF"} <= seen_preds
    assert not bad, "\n".join(bad)


def test_agreement_kinds_and_statuses_are_one_skos_scheme_each():
    voc = vocabulary()
    assert set(voc.agreement_kinds) == {"cooperation_agreement", "mou", "partnership"}
    assert set(voc.agreement_statuses) == {"signed", "planned", "proposed"}
    g = ontology_graph()
    skos = "http://www.w3.org/2004/02/skos/core#"
    for c in [*voc.agreement_kinds.values(), *voc.agreement_statuses.values()]:
        assert (c.iri, URIRef(skos + "inScheme"), None) in g
    from loaders import lexicon

    # the matcher's trigger words are the scheme's words, every kind they signal is a concept
    assert set(lexicon.TRIGGER_NOUNS.values()) == set(voc.agreement_kinds)
    assert lexicon.TRIGGER_NOUNS["memorandum of understanding"] == "mou"
    assert set(lexicon.TRIGGER_VERBS.values()) | set(lexicon.TRIGGER_PHRASAL.values()) <= \
        set(voc.agreement_kinds)


@pytest.mark.parametrize("field,value", [("kind", "handshake"), ("status", "rumoured")])
def test_shacl_refuses_a_kind_or_status_outside_the_scheme(tmp_path, field, value):
    from kg.backends.rdf.validate import validate_file

    ttl = tmp_path / "a.ttl"
    ttl.write_text(f"""@prefix kgo: <https://w3id.org/kg-coop/ontology#> .
<https://example.org/a1> a kgo:Agreement ; kgo:name "A–B partnership" ;
    kgo:kind "{'partnership' if field != 'kind' else value}" ;
    kgo:status "{'signed' if field != 'status' else value}" .
""", encoding="utf-8")
    violations, _ = validate_file(ttl)
    assert any(value in v.message for v in violations), [v.line() for v in violations]
    good = ttl.read_text("utf-8").replace(value, "mou" if field == "kind" else "planned")
    ttl.write_text(good, encoding="utf-8")
    assert validate_file(ttl)[0] == []
