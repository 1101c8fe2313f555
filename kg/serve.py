"""kg serve: the embedded store as a standard SPARQL 1.1 Protocol endpoint, read-only, through
the official Oxigraph server (the `oxigraph` package's binary), not a home-made server, so any
SPARQL client can query it. Its default graph is the store's merged current graph, so a saved
question's SPARQL gives the same rows over HTTP as `kg query run`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from kg.backends.rdf.store import PREFIXES, EmbeddedStore, default_store_path
from kg.errors import StoreError, UsageError


def oxigraph_binary() -> str:
    """The server installed with the `oxigraph` package (beside this Python, else on PATH)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise UsageError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def serve_command(store: Path | str | None, host: str = "127.0.0.1", port: int = 7878) -> list[str]:
    path = Path(store) if store else default_store_path()
    with EmbeddedStore(path, create=False, read_only=True) as st:
        if not st.merged:
            raise StoreError(f"the store {path} predates the merged graph: run 'kg build' once "
                             "(any document) to upgrade it, then serve")
    return [oxigraph_binary(), "serve-read-only", "--location", str(path), "--bind",
            f"{host}:{port}"]


def serve(store: Path | str | None, host: str = "127.0.0.1", port: int = 7878) -> int:
    """Run the server in the foreground until interrupted; returns its exit code."""
    cmd = serve_command(store, host, port)
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def query_text(sparql: str) -> str:
    """A saved question's SPARQL as a client sends it (with kg's prefixes)."""
    return sparql if "PREFIX kgo:" in sparql else PREFIXES + sparql
