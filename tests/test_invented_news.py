"""The blind invented-news set: 20 stories with invented names, written and annotated without
looking at the extraction rules, scored with the real spaCy pipeline.

The set measures how the extractor does on news it was never tuned on. The floors below are the
scores measured when the set was added (entity F1 0.815, relation F1 0.507) minus 0.03, rounded
down: they guard against regressions, they are not targets. Raise them when the extractor gets
better on this set; never tune rules by reading these stories.
"""

import json
import subprocess
import sys

from conftest import ROOT, invoke

INVENTED = ROOT / "tests" / "fixtures" / "invented-news"
SCORE_PY = ROOT.parent / "shared" / "tools" / "score.py"

ENTITY_F1_FLOOR = 0.78
RELATION_F1_FLOOR = 0.47


def test_invented_set_is_complete():
    """Every story has its gold file and every gold file names its story."""
    texts = sorted(p.stem for p in INVENTED.glob("*.txt"))
    golds = sorted(INVENTED.glob("*.gold.json"))
    assert len(texts) == 20
    assert [g.name.removesuffix(".gold.json") for g in golds] == texts
    for g in golds:
        d = json.loads(g.read_text(encoding="utf-8"))
        assert (INVENTED / d["text_file"]).exists() and d["doc"] == g.name[: -len(".gold.json")]


def test_invented_news_scores_stay_above_the_regression_floor(runner, tmp_path):
    records = tmp_path / "invented.jsonl"
    invoke(runner, ["extract", str(INVENTED), "--format", "jsonl", "-o", str(records)])
    assert len(records.read_text(encoding="utf-8").splitlines()) == 20
    ours = json.loads(invoke(runner, ["eval", str(INVENTED), "--system", str(records), "--json"])
                      .output.strip().splitlines()[-1])
    assert ours["docs"] == 20 and ours["missing"] == 0
    floor_note = ("the floor is a regression guard on a blind, invented set (measured score "
                  "minus 0.03); a drop means a rule change hurt news it was never tuned on")
    assert ours["entity_f1"] >= ENTITY_F1_FLOOR, f"entity F1 {ours['entity_f1']}: {floor_note}"
    assert ours["relation_f1"] >= RELATION_F1_FLOOR, f"relation F1 {ours['relation_f1']}: {floor_note}"
    if SCORE_PY.exists():  # the reference scorer lives beside the checkout, not in it
        ref = subprocess.run([sys.executable, str(SCORE_PY), str(INVENTED), str(records)],
                             capture_output=True, text=True, check=True)
        assert ours == json.loads(ref.stdout.strip().splitlines()[-1])
