"""Inputs a careless or hostile user gives: links out of the folder, FIFOs and devices, NUL
bytes late in a file, folders that cannot be read, two files that would be one document,
and a document that breaks a statistical pipe. Each is one line on stderr; the rest is read;
nothing hangs and nothing is silently lost. Commands run for real (a subprocess where a hang
or the user's permissions are the point)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from conftest import invoke

KG = [sys.executable, "-c", "from kg.cli import main; main()"]
GOOD = "Merrow University and Quorra Bank signed a cooperation agreement on finance.\n"
OTHER = "Talbot University and Larkspur Robotics Company signed an agreement on robotics.\n"
SECRET = "Zephyr Vault Passwords Line\nroot:x:0:0\n"


def unprivileged() -> list[str]:
    """As root, drop the capabilities that bypass file permissions (so chmod 000 means
    something); as anyone else, nothing to do."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def run(args: list[str], cwd: Path, *, timeout: float = 120, drop: bool = False
        ) -> subprocess.CompletedProcess:
    return subprocess.run([*(unprivileged() if drop else []), *KG, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def records(stdout: str) -> list[dict]:
    return [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]


# --------------------------------------------------------------------------- links and types

def test_a_link_out_of_the_folder_is_not_followed(runner, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    docs = tmp_path / "in"
    (docs / "sub").mkdir(parents=True)
    (docs / "good.txt").write_text(GOOD)
    (docs / "sub" / "other.txt").write_text(OTHER)
    (docs / "leak.txt").symlink_to(outside / "secret.txt")
    (docs / "away").symlink_to(outside, target_is_directory=True)
    (docs / "inside.txt").symlink_to(docs / "sub" / "other.txt")  # stays in the tree: read
    r = invoke(runner, ["extract", str(docs)])
    docs_read = [rec["doc"] for rec in records(r.stdout)]
    assert docs_read == ["good", "inside", "sub/other"] or \
        sorted(docs_read) == sorted(["good", "inside", "other"])
    assert "Zephyr" not in r.stdout
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("Warning:")]
    assert len(warnings) == 2
    assert any("leak.txt: symbolic link to" in w and "not followed" in w for w in warnings)
    assert any("away: symbolic link to" in w for w in warnings)


def test_a_fifo_named_or_in_a_folder_is_refused_without_hanging(tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "good.txt").write_text(GOOD)
    os.mkfifo(docs / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    r = run(["extract", str(tmp_path / "named.txt"), str(docs)], tmp_path, timeout=300)
    assert r.returncode == 1, r.stderr
    errors = [ln for ln in r.stderr.splitlines() if "FIFO" in ln]
    assert len(errors) == 2 and all(ln.startswith("Error: ") for ln in errors)
    assert any("named.txt: a FIFO, not a regular file" in ln for ln in errors)
    assert any("pipe.txt: a FIFO, not a regular file" in ln for ln in errors)
    assert [rec["doc"] for rec in records(r.stdout)] == ["good"]
    assert "Traceback" not in r.stderr


def test_a_device_passes_no_size_check(runner, tmp_path):
    r = invoke(runner, ["extract", "/dev/zero"], ok=False)
    assert r.exit_code == 1
    assert "Error: /dev/zero: a character device, not a regular file: skipped" in r.stderr
    assert r.stdout == ""


def test_a_nul_byte_anywhere_makes_the_file_binary(runner, tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "good.txt").write_text(GOOD)
    (docs / "late.txt").write_bytes(GOOD.encode() * 200 + b"\x00 tail")  # NUL after 15 kB
    assert (docs / "late.txt").stat().st_size > 8192
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(docs), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1
    assert "late.txt: binary file (NUL byte at offset 15400), skipped" in r.stderr
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["documents"]["Document"] == 1


def test_an_unreadable_folder_or_file_is_one_line_and_the_rest_is_read(tmp_path):
    base = tmp_path / "shared"
    base.mkdir()
    base.chmod(0o755)
    docs = base / "in"
    (docs / "locked").mkdir(parents=True)
    (docs / "good.txt").write_text(GOOD)
    (docs / "locked" / "hidden.txt").write_text(OTHER)
    (docs / "closed.txt").write_text(OTHER)
    (docs / "closed.txt").chmod(0)
    (docs / "locked").chmod(0)
    try:
        r = run(["extract", str(docs)], base, drop=True)
    finally:
        (docs / "locked").chmod(0o755)
    assert r.returncode == 1, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]
    assert f"Error: {docs / 'locked'}: cannot read folder (Permission denied), skipped" in lines
    assert f"Error: {docs / 'closed.txt'}: cannot read (Permission denied)" in lines
    assert [rec["doc"] for rec in records(r.stdout)] == ["good"]
    assert "Traceback" not in r.stderr


# --------------------------------------------------------------------------- identity

def test_files_with_one_name_in_two_folders_are_two_documents(runner, tmp_path):
    docs = tmp_path / "in"
    (docs / "sub1").mkdir(parents=True)
    (docs / "sub2").mkdir()
    (docs / "sub1" / "news.txt").write_text(GOOD)
    (docs / "sub2" / "news.txt").write_text(OTHER)
    (docs / "alone.txt").write_text(GOOD)
    r = invoke(runner, ["extract", str(docs)])
    assert [rec["doc"] for rec in records(r.stdout)] == ["alone", "sub1/news", "sub2/news"]
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    assert "Built 3 document(s)" in r.stderr
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["documents"]["Document"] == 3
    rows = json.loads(invoke(runner, ["query", "run", "agreement-parties", "--store", str(store),
                                      "--format", "json"]).stdout)
    assert {"Merrow University", "Talbot University"} <= {row["party"] for row in rows}
    # the same files give the same identities on the next run: nothing new
    again = invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    assert "Built 0 document(s)" in again.stderr and "3 unchanged" in again.stderr
    again = invoke(runner, ["build", str(docs), "--store", str(store), "-q", "--force"])
    assert "Built 3 document(s)" in again.stderr
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["documents"]["Document"] == 3


def test_names_that_are_one_identity_are_an_error_never_an_overwrite(runner, tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "Energy Deal.txt").write_text(GOOD)
    (docs / "energy_deal.txt").write_text(OTHER)
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(docs), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1
    (line,) = [ln for ln in r.stderr.splitlines() if "same document identity" in ln]
    assert str(docs / "energy_deal.txt") in line and str(docs / "Energy Deal.txt") in line
    assert "Built 1 document(s)" in r.stderr
    rows = json.loads(invoke(runner, ["query", "run", "agreement-parties", "--store", str(store),
                                      "--format", "json"]).stdout)
    assert "Merrow University" in {row["party"] for row in rows}


# --------------------------------------------------------------------------- isolation

MARKER = "KG-TEST-STAT-FAIL-5C1D"


@Language.component("kg_test_fail_before_parser")
def fail_before_parser(doc: Doc) -> Doc:
    """In the statistical stage (before the parser): refuses documents with the marker."""
    if MARKER in doc.text:
        raise ValueError("the document carries the marker")
    return doc


def test_a_document_failing_in_a_statistical_pipe_costs_only_itself():
    from loaders.pipeline import extract_texts, load_pipeline

    nlp = load_pipeline(None)
    nlp.add_pipe("kg_test_fail_before_parser", before="parser")
    try:
        errors: list[tuple[str, str]] = []
        items = [("a", GOOD), ("bad", f"{MARKER} {OTHER}"), ("c", OTHER)]
        recs = list(extract_texts(items, batch_size=16,
                                  on_error=lambda s, m: errors.append((s, m))))
        assert [r.doc for r in recs] == ["a", "c"]
        assert errors == [("bad", "extraction failed in kg_test_fail_before_parser: "
                                  "ValueError: the document carries the marker")]
        alone = [r.to_json() for r in extract_texts([("a", GOOD), ("c", OTHER)])]
        assert [r.to_json() for r in recs] == alone
        with pytest.raises(ValueError):
            list(extract_texts(items))
    finally:
        nlp.remove_pipe("kg_test_fail_before_parser")


def test_a_store_inside_the_input_folder_is_not_read_as_input(runner, tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "news.txt").write_text(GOOD)
    store = docs / "store"
    invoke(runner, ["build", str(docs), "--store", str(store), "-q"])
    r = invoke(runner, ["build", str(docs), "--store", str(store), "-q"])  # exit 0: no errors
    assert f"Warning: {store}: a kg store, not read as input" in r.stderr.splitlines()
    assert "1 unchanged" in r.stderr
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["documents"]["Document"] == 1
