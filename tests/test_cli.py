"""The command surface: help everywhere, errors on stderr in one line, exit codes that mean
something, bad input files skipped with their name while the rest of the batch goes on."""

import json

import click
import pytest

from conftest import invoke
from kg.cli import cli


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(runner, path):
    r = invoke(runner, [*path, "--help"])
    assert "Example:" in r.output


def test_version(runner):
    import kg
    assert kg.__version__ in invoke(runner, ["--version"]).output


def test_bad_files_are_named_and_the_rest_is_built(runner, tmp_path):
    docs = tmp_path / "mixed"
    docs.mkdir()
    (docs / "good.txt").write_text("Lime University and Garnet Steel Corporation signed a "
                                   "cooperation agreement on manufacturing.\n")
    (docs / "empty.txt").write_text("")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (docs / "utf16.txt").write_bytes("Prof. Lê Văn Sĩ, Rector of Ruby University, spoke."
                                     .encode("utf-16"))
    (docs / "latin1.txt").write_bytes("Caf\xe9 Group opened a lab.".encode("latin-1"))
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(docs), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1
    err = r.stderr
    assert "empty.txt: empty file" in err
    assert "binary.txt: binary file" in err
    assert "latin1.txt: invalid UTF-8 at byte 3" in err
    assert "Traceback" not in r.output
    people = json.loads(invoke(runner, ["query", "run", "people-and-titles", "--store",
                                        str(store), "--format", "json"]).output)
    assert {"person": "Lê Văn Sĩ", "title": "Rector", "institution": "Ruby University"} in people
    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).output)
    assert stats["documents"]["Document"] == 3


def test_oversized_file_is_refused_with_its_size(runner, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Word " * 1000)
    r = invoke(runner, ["extract", str(big)], env={"KG_MAX_BYTES": "100"}, ok=False)
    assert r.exit_code == 1 and "over the 100-byte limit" in r.stderr


def test_missing_path_is_reported(runner, tmp_path):
    r = invoke(runner, ["extract", str(tmp_path / "nope.txt")], ok=False)
    assert r.exit_code == 1 and "nope.txt: no such file" in r.stderr


def test_extract_output_is_only_data_on_stdout(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Topaz University signed a partnership with Amber Foods Company.\n")
    r = invoke(runner, ["extract", str(f)])
    for line in r.stdout.splitlines():
        json.loads(line)


def test_malformed_records_name_file_and_line(runner, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.gold.json").write_text(json.dumps({"doc": "x", "entities": [], "relations": []}))
    bad = tmp_path / "sys.jsonl"
    bad.write_text('{"doc": "x", "entities": [], "relations": []}\n{not json\n')
    r = invoke(runner, ["eval", str(gold), "--system", str(bad)], ok=False)
    assert r.exit_code == 1 and "sys.jsonl:2: not valid JSON" in r.output


def test_malformed_rdf_is_a_clear_error(runner, tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text("@prefix x: <http://x/> .\nx:a x:b \n")
    r = invoke(runner, ["validate", "--data", str(f)], ok=False)
    assert r.exit_code == 1 and "bad.ttl: malformed RDF" in r.output
    assert "Traceback" not in r.output


def test_store_in_use_by_a_build_is_refused(runner, built_store, tmp_path):
    import shutil
    dst = tmp_path / "s"
    shutil.copytree(built_store, dst, ignore=shutil.ignore_patterns("LOCK"))
    from kg.backends.rdf.store import EmbeddedStore
    with EmbeddedStore(dst):
        r = invoke(runner, ["build", str(tmp_path), "--store", str(dst), "-q"], ok=False)
    assert r.exit_code == 1 and "in use by another kg process" in r.output
