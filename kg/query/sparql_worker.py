"""SPARQL with a deadline. pyoxigraph has no query timeout and a query can spend minutes inside
one native call (a cross join under COUNT, a SERVICE call to a server that never answers), so
the query runs in a child process that opens the store read-only and streams rows back as JSON
lines; the parent stops reading after `limit` rows and kills the child at the deadline. Killing
a read-only reader is always safe: it holds no lock and writes nothing.

    parent -> child (stdin): {"store": PATH, "sparql": TEXT, "graphs": [IRI...],
                              "bindings": {...}, "limit": N}
    child -> parent (stdout): {"ready": true}, {"cols": [...]}, {"row": [TERM...]}...,
                              {"end": MORE} or {"error": MESSAGE}

The child imports only pyoxigraph (a fraction of a second) and sends terms raw; the parent
turns them into Python values with the store's own to_python, so both paths agree.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.errors import KgError, StoreError
from kg.query.limits import Answer, Limits

STARTUP_SECONDS = 60.0  # to import pyoxigraph and open the store, before the query clock runs


def _encode(v: Any) -> list[Any]:
    import pyoxigraph as ox

    if isinstance(v, ox.NamedNode):
        return ["iri", v.value]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", v]
    if isinstance(v, float):
        return ["float", v]
    return ["str", str(v)]


def _decode(pair: list[Any]) -> Any:
    """A binding in the child: the same typed literals the store's own _term would make."""
    import pyoxigraph as ox

    kind, value = pair
    if kind == "iri":
        return ox.NamedNode(value)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if kind == "bool":
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if kind == "int":
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if kind == "float":
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "decimal"))
    return ox.Literal(str(value))


def _term_out(term: Any) -> list[Any] | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ["lit", term.value, term.datatype.value, term.language]
    return ["node", term.value]


def _term_in(raw: list[Any] | None) -> Any:
    import pyoxigraph as ox

    from kg.backends.rdf.store import to_python

    if raw is None:
        return None
    if raw[0] == "lit":
        _, value, datatype, lang = raw
        lit = ox.Literal(value, language=lang) if lang else \
            ox.Literal(value, datatype=ox.NamedNode(datatype))
        return to_python(lit)
    return raw[1]


def run_sparql(store: Any, sparql: str, bindings: dict[str, Any] | None,
               limits: Limits, check: dict[str, Any] | None = None) -> Answer:
    """Run one SELECT/ASK over the open store's published graphs in a child process (which
    opens the same folder read-only); at most limits.limit rows, within limits.timeout
    seconds (QueryTimeout otherwise). With `check` (kg.query.sparql_guard.check_sparql's
    keywords) the text is checked in the child first, so parsing is under the deadline too."""
    from kg.backends.rdf.store import PREFIXES, uses_graphs

    # a store with the merged current graph answers from its default graph (each fact once);
    # the list of named graphs is only needed for GRAPH patterns (kg.backends.rdf.store)
    merged = bool(getattr(store, "merged", False))
    graphs = [g.value for g in store.published_graphs()] \
        if not merged or uses_graphs(sparql) else None
    request = json.dumps({"store": str(store.path), "limit": limits.limit, "graphs": graphs,
                          "merged": merged,
                          "text": sparql, "check": check,
                          "sparql": sparql if "PREFIX kgo:" in sparql else PREFIXES + sparql,
                          "bindings": {k: _encode(v) for k, v in (bindings or {}).items()}})
    with tempfile.TemporaryFile() as errlog:
        # -P: the working folder is not put on sys.path, so a "kg" folder there (a user's
        # data, another checkout) cannot stand in for this package
        proc = subprocess.Popen([sys.executable, "-P", "-m", "kg.query.sparql_worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errlog,
                                env={**os.environ, "PYTHONUNBUFFERED": "1",
                                     "PYTHONPATH": _this_tree()})
        try:
            return _collect(proc, request, limits, errlog)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for f in (proc.stdin, proc.stdout):
                if f is not None:
                    f.close()


def _this_tree() -> str:
    """The folder this kg was imported from, first on the worker's path: the worker runs the
    same code as its parent (a checkout's own tree, or the installed package)."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return here + (os.pathsep + rest if rest else "")


def _collect(proc: subprocess.Popen, request: str, limits: Limits, errlog: Any) -> Answer:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(request.encode("utf-8"))
    proc.stdin.close()
    out = Answer(cols=[], limit=limits.limit)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + STARTUP_SECONDS
    started = False
    buf = b""
    fd = proc.stdout.fileno()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if started:
                raise limits.timeout_error()
            raise StoreError("the SPARQL worker did not start in time")
        if not sel.select(remaining):
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            errlog.seek(0)
            tail = errlog.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError("the SPARQL worker stopped unexpectedly"
                             + (f": {tail[-1][:200]}" if tail else ""))
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            msg = json.loads(line)
            if "row" in msg:
                out.rows.append({c: _term_in(t) for c, t in zip(out.cols, msg["row"],
                                                                 strict=True)})
            elif "cols" in msg:
                out.cols = msg["cols"]
            elif "ready" in msg:
                started = True
                deadline = time.monotonic() + limits.timeout
            elif "end" in msg:
                out.truncated = bool(msg["end"])
                return out
            elif "error" in msg:
                raise KgError(msg["error"])


# ---------------------------------------------------------------------------- the child side

def _send(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _check(text: str, options: dict[str, Any]) -> str | None:
    """kg.query.sparql_guard on a thread with a deep stack: rdflib's parser recurses once per
    nesting level, and a long but valid query must not fail for want of stack."""
    import threading

    from kg.errors import KgError
    from kg.query.sparql_guard import check_sparql

    outcome: list[str | None] = [None]

    def run() -> None:
        try:
            check_sparql(text, **options)
        except KgError as exc:
            outcome[0] = str(exc)

    sys.setrecursionlimit(200_000)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join()
    return outcome[0]


def main() -> None:
    import pyoxigraph as ox

    req = json.loads(sys.stdin.read())
    try:
        store = ox.Store.read_only(req["store"])
        if req.get("check") is not None:
            # the parser's import is start-up time, not query time
            import rdflib.plugins.sparql.parser  # noqa: F401
        _send({"ready": True})
        sys.stdout.flush()
        if req.get("check") is not None:
            problem = _check(req["text"], req["check"])
            if problem:
                _send({"error": problem})
                return
        graphs: list[Any] | None = None if req["graphs"] is None else \
            [ox.NamedNode(g) for g in req["graphs"]]
        default: Any = ox.DefaultGraph() if req.get("merged") else \
            (graphs or [ox.DefaultGraph()])
        try:
            result = store.query(req["sparql"], default_graph=default, named_graphs=graphs,
                                 substitutions={ox.Variable(k): _decode(v)
                                                for k, v in req["bindings"].items()})
        except SyntaxError as exc:
            _send({"error": f"SPARQL syntax error: {str(exc).splitlines()[0]}"})
            return
        if isinstance(result, ox.QueryBoolean):
            _send({"cols": ["result"]})
            _send({"row": [["lit", "true" if result else "false",
                            "http://www.w3.org/2001/XMLSchema#boolean", None]]})
            _send({"end": False})
            return
        if not isinstance(result, ox.QuerySolutions):
            _send({"error": "only SELECT and ASK queries return rows"})
            return
        names = [v.value for v in result.variables]
        _send({"cols": names})
        limit, n = req["limit"], 0
        for sol in result:
            if n >= limit:
                _send({"end": True})
                return
            _send({"row": [_term_out(sol[c]) for c in names]})
            n += 1
        _send({"end": False})
    except OSError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _send({"error": f"SPARQL evaluation failed: {msg[:200]}"})
    finally:
        sys.stdout.flush()


if __name__ == "__main__":
    main()
