"""The README's Python API example runs as written, on the real model and a real store."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev beside the repo")
def test_the_readme_api_example_runs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(readme_example(), "README.md", "exec"), {"STORE": str(tmp_path / "s")})
    out = capsys.readouterr().out.splitlines()
    assert re.match(r"11 documents, \d+ relations", out[0])
    assert out[1] == "[{'partner': 'Aurora AI Company'}]"
    assert out[2] == "PARTY_TO"
    assert float(out[3]) > 0.85


def test_the_public_api_names_are_callables():
    import kg

    for name in kg.__all__:
        assert callable(getattr(kg, name)), name
    with pytest.raises(AttributeError):
        kg.no_such_thing  # noqa: B018
    assert os.path.basename(kg.api.__file__) == "api.py"
