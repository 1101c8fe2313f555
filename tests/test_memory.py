"""Bounded memory: whatever the layout of a file within KG_MAX_BYTES, the statistical pipes
see pieces of at most CHUNK_CHARS characters, so peak memory does not grow with the length of
a "sentence" or the number of lines. Measured as the peak RSS of a real `kg extract` process
(os.wait4 gives that child's own figure); no timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from newsgen import news_text

import loaders.pipeline as pipeline
from conftest import DEV
from loaders.pipeline import CHUNK_CHARS, cut_points, extract_texts

KG = [sys.executable, "-c", "from kg.cli import main; main()"]
# The README's figure for the worst layout of a 2 MB file is about 0.9 GB; a 120 kB file of
# one-letter lines needed 1.4 GB before pieces (17 kB a line) and needs ~0.4 GB with them.
SMALL_PATHOLOGICAL_LIMIT_MB = 700


def peak_rss_mb(args: list[str], cwd: Path) -> tuple[int, float, str, str]:
    """Run the real command; its exit code, its own peak RSS in MB, stdout, stderr."""
    out, err = cwd / "stdout.txt", cwd / "stderr.txt"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([*KG, *args], cwd=cwd, stdout=o, stderr=e)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return (proc.returncode, usage.ru_maxrss / 1024, out.read_text(encoding="utf-8"),
            err.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_one_letter_lines_stay_within_the_memory_bound(tmp_path):
    """Each line was a token of one unbounded "sentence" through tok2vec and the parser:
    17 kB a line, 23 GB for a 2 MB file."""
    f = tmp_path / "lines.txt"
    f.write_text("a\n" * 60_000)
    code, mb, out, err = peak_rss_mb(["extract", str(f)], tmp_path)
    assert code == 0, err
    (rec,) = [json.loads(ln) for ln in out.splitlines()]
    assert rec["doc"] == "lines" and rec["meta"]["chars"] == 120_000
    print(f"peak RSS {mb:.0f} MB")
    assert mb < SMALL_PATHOLOGICAL_LIMIT_MB, f"peak RSS {mb:.0f} MB"


def test_cut_points_make_bounded_pieces_that_tokenize_as_the_whole():
    texts = {
        "lines": "a\n" * 30_000,
        "paragraphs": "Beta Robotics opened a lab.\n\n" * 3_000,
        "one line": "word " * 12_000,
        "no whitespace": "x" * 45_000,
        "sentences": "Alma Brandt spoke. " * 4_000,
    }
    for name, text in texts.items():
        cuts = cut_points(text, 20_000)
        assert cuts[0] == 0 and cuts[-1] == len(text), name
        pieces = [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        assert "".join(pieces) == text
        assert all(0 < len(p) <= 20_000 for p in pieces), name
        for c in cuts[1:-1]:  # between whitespace and a word, unless no whitespace at all
            assert (text[c - 1].isspace() and not text[c].isspace()) or \
                not any(ch.isspace() for ch in text[max(0, c - 20_000):c]), (name, c)
    paras = cut_points(texts["paragraphs"], 20_000)
    assert all(texts["paragraphs"][c - 1] == "\n" for c in paras[1:-1])


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpus is not beside the checkout")
def test_news_articles_are_never_cut():
    longest = max(len(p.read_text(encoding="utf-8")) for p in DEV.parent.rglob("*.txt"))
    assert longest < CHUNK_CHARS
    for p in DEV.parent.rglob("*.txt"):
        text = p.read_text(encoding="utf-8")
        assert cut_points(text) == [0, len(text)]


@pytest.mark.slow
def test_a_long_text_cut_into_pieces_gives_the_record_of_the_whole(monkeypatch):
    """Pieces are joined back before the kg components: the same entities, relations,
    evidence, article offsets and sentence numbers as one nlp() over the whole text."""
    text = news_text(12_000, seed=3)
    whole = [r.to_json() for r in extract_texts([("long", text)])]
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 2_500)
    assert len(cut_points(text, pipeline.CHUNK_CHARS)) > 5
    pieces = [r.to_json() for r in extract_texts([("long", text)])]
    assert pieces == whole
    (rec,) = pieces
    assert len(rec["relations"]) > 20
    assert max(r["sentence"] for r in rec["relations"] if "sentence" in r) > 40
    for r in rec["relations"]:
        if r.get("evidence"):
            assert r["evidence"] == " ".join(text[r["start"]:r["end"]].split())
