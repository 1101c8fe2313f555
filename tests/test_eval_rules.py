"""`kg eval` per extraction rule: precision and recall of each rule, by the same matching as the
overall relation score, with the summary JSON (equal to the reference scorer's) kept last."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, invoke

SCORE_PY = ROOT.parent / "shared" / "tools" / "score.py"


def _ent(eid, etype, name, **extra):
    return {"id": eid, "type": etype, "name": name, **extra}


def _rel(s, p, o, rule=None, **extra):
    r = {"subject": s, "predicate": p, "object": o, **extra}
    if rule is not None:
        r["rule"] = rule
    return r


GOLD = {
    "alpha": {"doc": "alpha", "text_file": "alpha.txt", "entities": [
        _ent("qi", "Institution", "Quillfeather Institute", aliases=["QI"]),
        _ent("bm", "Institution", "Brackenridge Motors"),
        _ent("ob", "Institution", "Osprey Lending Bank"),
        _ent("deal", "Agreement", "QI-Brackenridge accord", kind="cooperation_agreement"),
        _ent("tr", "Sector", "Transport"),
        _ent("to", "Person", "Tamsin Orlo"),
        _ent("md", "Location", "Marrowdale"),
    ], "relations": [
        _rel("qi", "PARTY_TO", "deal"),
        _rel("bm", "PARTY_TO", "deal"),
        _rel("deal", "COVERS_SECTOR", "tr"),
        _rel("to", "HOLDS_POSITION", "qi", title="Rector"),
        _rel("bm", "LOCATED_IN", "md"),
        _rel("qi", "PARTNER_OF", "ob"),
    ]},
    "beta": {"doc": "beta", "text_file": "beta.txt", "entities": [
        _ent("hp", "Institution", "Harlow Polytechnic"),
        _ent("vs", "Institution", "Verdant Seeds Company"),
        _ent("mou", "Agreement", "Harlow-Verdant memorandum", kind="mou"),
        _ent("ag", "Sector", "Agriculture"),
        _ent("ic", "Person", "Ines Caldero"),
    ], "relations": [
        _rel("hp", "PARTY_TO", "mou"),
        _rel("vs", "PARTY_TO", "mou"),
        _rel("mou", "COVERS_SECTOR", "ag"),
        _rel("ic", "HOLDS_POSITION", "vs", title="Chief Executive"),
    ]},
    # no system record at all: its gold still counts in every recall
    "gamma": {"doc": "gamma", "text_file": "gamma.txt", "entities": [
        _ent("nc", "Institution", "Norbury Council"),
        _ent("kf", "Institution", "Keswick Freight"),
        _ent("pact", "Agreement", "Norbury-Keswick pact", kind="partnership"),
    ], "relations": [
        _rel("nc", "PARTY_TO", "pact"),
        _rel("kf", "PARTY_TO", "pact"),
    ]},
}

SYSTEM = [
    {"doc": "/news/alpha.txt", "entities": [
        _ent("e1", "Institution", "QI"),
        _ent("e2", "Institution", "Brackenridge Motors"),
        _ent("e3", "Institution", "Osprey Lending Bank"),
        _ent("e4", "Agreement", "accord"),
        _ent("e5", "Sector", "transport"),
        _ent("e6", "Person", "Tamsin Orlo"),
        _ent("e7", "Location", "Marrowdale"),
        _ent("e8", "Institution", "Phantom Works"),
    ], "relations": [
        _rel("e1", "PARTY_TO", "e4", "party-subject"),
        _rel("e2", "PARTY_TO", "e4", "party-with"),
        _rel("e2", "PARTY_TO", "e4", "party-between"),      # repeated key: the first rule has it
        _rel("e8", "PARTY_TO", "e4", "party-with"),         # end not in the gold
        _rel("e4", "COVERS_SECTOR", "e5", "sector-in-event"),
        _rel("e6", "HOLDS_POSITION", "e1", "title-after", title="Rector"),
        _rel("e6", "HOLDS_POSITION", "e2", "title-before", title="Chair"),
        _rel("e3", "PARTNER_OF", "e1", "partners"),         # the gold has it the other way round
        _rel("e2", "LOCATED_IN", "e7"),                      # no "rule" key
    ]},
    {"doc": "beta", "entities": [
        _ent("x1", "Institution", "Harlow Polytechnic"),
        _ent("x2", "Institution", "Verdant Seeds Company"),
        _ent("x3", "Agreement", "memorandum"),
        _ent("x4", "Sector", "Agriculture"),
        _ent("x5", "Sector", "Fisheries"),
        _ent("x6", "Person", "Ines Caldero"),
    ], "relations": [
        _rel("x1", "PARTY_TO", "x3", "party-with"),
        _rel("x2", "PARTY_TO", "x3", "party-with"),
        _rel("x3", "COVERS_SECTOR", "x5", "sector-in-event"),
        _rel("x3", "COVERS_SECTOR", "x4", "purpose-verb"),
        {**_rel("x6", "HOLDS_POSITION", "x2", title="chief executive officer"), "rule": None},
    ]},
]

RULE_LINES = [
    "rule COVERS_SECTOR sector-in-event P=0.50 R=0.50 (tp=1 sys=2 gold=2)",
    "rule COVERS_SECTOR purpose-verb P=1.00 R=0.50 (tp=1 sys=1 gold=2)",
    "rule HOLDS_POSITION title-after P=1.00 R=0.50 (tp=1 sys=1 gold=2)",
    "rule HOLDS_POSITION title-before P=0.00 R=0.00 (tp=0 sys=1 gold=2)",
    "rule HOLDS_POSITION unknown P=1.00 R=0.50 (tp=1 sys=1 gold=2)",
    "rule LOCATED_IN unknown P=1.00 R=1.00 (tp=1 sys=1 gold=1)",
    "rule PARTNER_OF partners P=1.00 R=1.00 (tp=1 sys=1 gold=1)",
    "rule PARTY_TO party-with P=0.75 R=0.50 (tp=3 sys=4 gold=6)",
    "rule PARTY_TO party-between P=0.00 R=0.00 (tp=0 sys=1 gold=6)",
    "rule PARTY_TO party-subject P=1.00 R=0.17 (tp=1 sys=1 gold=6)",
]


def _write(tmp_path, golds, records):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for slug, g in golds.items():
        (gold_dir / f"{slug}.gold.json").write_text(json.dumps(g, indent=1), encoding="utf-8")
    system = tmp_path / "system.jsonl"
    system.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return gold_dir, system


def _reference(gold_dir, system) -> dict:
    ref = subprocess.run([sys.executable, str(SCORE_PY), str(gold_dir), str(system)],
                         capture_output=True, text=True, check=True)
    return json.loads(ref.stdout.strip().splitlines()[-1])


@pytest.fixture
def scored(tmp_path):
    return _write(tmp_path, GOLD, SYSTEM)


def test_rule_table_has_exact_figures_between_predicates_and_summary(runner, scored):
    gold_dir, system = scored
    r = invoke(runner, ["eval", str(gold_dir), "--system", str(system)])
    assert r.exception is None and r.stderr == ""
    lines = r.stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("rule ")] == RULE_LINES
    first = lines.index(RULE_LINES[0])
    assert lines[first:first + len(RULE_LINES)] == RULE_LINES
    assert lines[first - 1].startswith("rel  PARTY_TO ")   # right after the per-predicate lines
    assert lines[first + len(RULE_LINES)] == "missing docs: gamma"
    assert lines.index("misses (5):") > first
    summary = json.loads(lines[-1])
    assert summary == _reference(gold_dir, system)
    assert summary["relation_p"] == round(10 / 14, 3) and summary["relation_r"] == round(10 / 12, 3)


def test_rule_true_positives_add_up_to_the_predicate_figures(runner, scored):
    gold_dir, system = scored
    lines = invoke(runner, ["eval", str(gold_dir), "--system", str(system), "--no-errors"]) \
        .stdout.splitlines()
    per_pred = {}
    for ln in lines:
        if ln.startswith("rel  "):
            f = ln.split()
            counts = dict(x.strip("()").split("=") for x in f[-3:])
            per_pred[f[1]] = {k: int(v) for k, v in counts.items()}
    sums: dict[str, dict[str, int]] = {}
    for ln in RULE_LINES:
        f = ln.split()
        counts = {k: int(v) for k, v in (x.strip("()").split("=") for x in f[-3:])}
        s = sums.setdefault(f[1], {"tp": 0, "sys": 0})
        s["tp"] += counts["tp"]
        s["sys"] += counts["sys"]
        assert counts["gold"] == per_pred[f[1]]["gold"]
    for pred, s in sums.items():
        assert s == {"tp": per_pred[pred]["tp"], "sys": per_pred[pred]["sys"]}, pred


def test_json_output_gains_a_rules_line_and_keeps_the_summary_last(runner, scored):
    gold_dir, system = scored
    r = invoke(runner, ["eval", str(gold_dir), "--system", str(system), "--json"])
    first, last = r.stdout.splitlines()
    rules = json.loads(first)["rules"]
    assert rules[0] == {"predicate": "COVERS_SECTOR", "rule": "sector-in-event",
                        "p": 0.5, "r": 0.5, "tp": 1, "sys": 2, "gold": 2}
    assert rules[-1] == {"predicate": "PARTY_TO", "rule": "party-subject",
                         "p": 1.0, "r": 0.167, "tp": 1, "sys": 1, "gold": 6}
    assert [(x["predicate"], x["rule"], x["tp"], x["sys"], x["gold"]) for x in rules] == [
        (f[1], f[2], *(int(x.strip("()").split("=")[1]) for x in f[-3:]))
        for f in (ln.split() for ln in RULE_LINES)]
    assert json.loads(last) == _reference(gold_dir, system)


def test_a_relation_without_a_rule_is_tallied_as_unknown(runner, tmp_path):
    gold = {"solo": {"doc": "solo", "entities": [
        _ent("a", "Institution", "Pellworth Academy"),
        _ent("b", "Institution", "Cindermoor Energy"),
        _ent("k", "Agreement", "Pellworth-Cindermoor agreement"),
    ], "relations": [_rel("a", "PARTY_TO", "k"), _rel("b", "PARTY_TO", "k")]}}
    record = {"doc": "solo", "entities": [
        _ent("s1", "Institution", "Pellworth Academy"),
        _ent("s2", "Institution", "Cindermoor Energy"),
        _ent("s3", "Agreement", "agreement"),
    ], "relations": [_rel("s1", "PARTY_TO", "s3"), _rel("s2", "PARTY_TO", "s3")]}
    assert all("rule" not in r for r in record["relations"])
    gold_dir, system = _write(tmp_path, gold, [record])
    lines = invoke(runner, ["eval", str(gold_dir), "--system", str(system)]).stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("rule ")] == [
        "rule PARTY_TO unknown P=1.00 R=1.00 (tp=2 sys=2 gold=2)"]
    assert json.loads(lines[-1]) == _reference(gold_dir, system)
