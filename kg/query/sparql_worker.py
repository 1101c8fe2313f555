"""SPARQL with a deadline. pyoxigraph has no query timeout and a query can spend minutes inside
one native call (a cross join under COUNT, a SERVICE call to a server that never answers), so
queries run in a worker process that opens the store read-only and streams rows back as JSON
lines; the parent stops reading after `limit` rows and kills the worker at the deadline.
Killing a read-only reader is always safe: it holds no lock and writes nothing.

A store keeps one worker for all its questions (opening the store and starting Python are
most of a small question's cost): made by the fork server when there is one
(kg.query.forkserver, about a millisecond), else spawned as `python -m
kg.query.sparql_worker`. A worker that was killed, died, or whose store changed on disk since
it opened (kg.query.answer_cache.generation) is replaced at the next question, so every
question sees the store as it is now, as a fresh process would.

    parent -> worker (one line per question): {"store": PATH, "sparql": TEXT,
        "graphs": [IRI...] | null, "merged": BOOL, "text": TEXT, "check": {...} | null,
        "bindings": {NAME: [KIND, VALUE]}, "limit": N}
    worker -> parent: {"ready": true}, {"cols": [...]}, {"rows": [[VALUE...], ...]}...,
        then {"end": MORE} or {"error": MESSAGE}

The worker turns terms into Python values with the store's own to_python, so the in-process
and worker paths agree; the deadline starts at "ready" (the store open and the SPARQL
parser's import are start-up, not query time)."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

from kg.errors import KgError, StoreError
from kg.query import forkserver
from kg.query.limits import Answer, Limits

STARTUP_SECONDS = 60.0  # to start a worker and open the store, before the query clock runs
BATCH = 256  # rows per message


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
    """A binding in the worker: the same typed literals the store's own _term would make."""
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


def request_for(store: Any, sparql: str, bindings: dict[str, Any] | None, limits: Limits,
                check: dict[str, Any] | None = None) -> dict[str, Any]:
    """The worker's request for this question on this open store."""
    from kg.backends.rdf.store import PREFIXES, uses_graphs

    # a store with the merged current graph answers from its default graph (each fact once);
    # the list of named graphs is only needed for GRAPH patterns (kg.backends.rdf.store)
    merged = bool(getattr(store, "merged", False))
    graphs = [g.value for g in store.published_graphs()] \
        if not merged or uses_graphs(sparql) else None
    return {"store": str(store.path), "limit": limits.limit, "graphs": graphs,
            "merged": merged, "text": sparql, "check": check,
            "sparql": sparql if "PREFIX kgo:" in sparql else PREFIXES + sparql,
            "bindings": {k: _encode(v) for k, v in (bindings or {}).items()}}


def run_sparql(store: Any, sparql: str, bindings: dict[str, Any] | None,
               limits: Limits, check: dict[str, Any] | None = None) -> Answer:
    """Run one SELECT/ASK over the open store's published graphs in its worker process; at
    most limits.limit rows, within limits.timeout seconds (QueryTimeout otherwise). With
    `check` (kg.query.sparql_guard.check_sparql's keywords) the text is checked in the worker
    first, so parsing is under the deadline too."""
    request = request_for(store, sparql, bindings, limits, check)
    return worker_for(store).ask(request, limits)


# ---------------------------------------------------------------------------- the parent side

class _Slot:
    """Where a store keeps its worker; closed with the store (or when it is collected)."""

    def __init__(self) -> None:
        self.worker: Worker | None = None

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def worker_for(store: Any, generation: str | None = None) -> Worker:
    """The store's worker, replaced when it is gone or the store changed since it opened
    (`generation`: the store's current one, if the caller has read it already)."""
    from kg.query.answer_cache import generation as current

    gen = generation if generation is not None else current(store.path)
    slot = store.__dict__.get("_sparql_slot")
    if slot is None:
        slot = store.__dict__["_sparql_slot"] = _Slot()
        weakref.finalize(store, slot.close)
    w = slot.worker
    if w is not None and (not w.alive or w.generation != gen):
        w.close()
        w = slot.worker = None
    if w is None:
        w = slot.worker = Worker(str(store.path), gen)
    return w


def release(store: Any) -> None:
    """Stop the store's worker (EmbeddedStore.close)."""
    slot = store.__dict__.pop("_sparql_slot", None)
    if slot is not None:
        slot.close()


def _this_tree() -> str:
    """The folder this kg was imported from, first on the worker's path: the worker runs the
    same code as its parent (a checkout's own tree, or the installed package)."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return here + (os.pathsep + rest if rest else "")


class Worker:
    """One worker process, asked one question at a time. `generation` is the store's on-disk
    state when it was made (the worker opens the store at its first question)."""

    def __init__(self, path: str, generation: str | None) -> None:
        self.path = path
        self.generation = generation
        self.proc: subprocess.Popen | None = None
        self.pidfd: int | None = None
        made = forkserver.spawn()
        if made is not None:
            self.how = "fork"
            self.pid, self.pidfd = made.pid, made.pidfd
            self.requests, self.answers = made.requests, made.answers
            self.errlog: Any = os.fdopen(made.errlog, "rb")
        else:
            self.how = "spawn"
            self.errlog = tempfile.TemporaryFile()
            req_r, self.requests = os.pipe()
            self.answers, ans_w = os.pipe()
            try:
                # -P: the working folder is not put on sys.path, so a "kg" folder there (a
                # user's data, another checkout) cannot stand in for this package
                self.proc = subprocess.Popen(
                    [sys.executable, "-P", "-m", "kg.query.sparql_worker"], stdin=req_r,
                    stdout=ans_w, stderr=self.errlog,
                    env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": _this_tree()})
            except OSError as exc:
                for fd in (self.requests, self.answers):
                    os.close(fd)
                self.errlog.close()
                raise StoreError(f"cannot start the SPARQL worker: {exc.strerror or exc}") \
                    from None
            finally:
                os.close(req_r)
                os.close(ans_w)
            self.pid = self.proc.pid
        self.alive = True
        self._buf = b""

    def ask(self, request: dict[str, Any], limits: Limits) -> Answer:
        """Send one question and read its answer; on a timeout, a broken pipe or anything
        unexpected the worker is killed (a new one answers the next question)."""
        if not self.alive:
            raise StoreError("the SPARQL worker has stopped")
        finished = False
        try:
            data = (json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8")
            try:
                while data:
                    data = data[os.write(self.requests, data):]
            except OSError:
                raise self._stopped() from None
            out, finished = self._collect(limits)
            return out
        except _WorkerError as exc:  # the worker answered with an error: it is still good
            finished = True
            raise KgError(str(exc)) from None
        finally:
            if not finished:
                self.kill()

    def _stopped(self) -> StoreError:
        self.alive = False
        try:
            self.errlog.seek(0)
            tail = self.errlog.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            tail = []
        return StoreError("the SPARQL worker stopped unexpectedly"
                          + (f": {tail[-1][:200]}" if tail else ""))

    def _collect(self, limits: Limits) -> tuple[Answer, bool]:
        out = Answer(cols=[], limit=limits.limit)
        sel = selectors.DefaultSelector()
        sel.register(self.answers, selectors.EVENT_READ)
        try:
            ready = False  # until this question's "ready", the clock is the start-up one
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if ready:
                        raise limits.timeout_error()
                    raise StoreError("the SPARQL worker did not start in time")
                if not sel.select(remaining):
                    continue
                chunk = os.read(self.answers, 1 << 16)
                if not chunk:
                    raise self._stopped()
                self._buf += chunk
                *lines, self._buf = self._buf.split(b"\n")
                for line in lines:
                    msg = json.loads(line)
                    if "rows" in msg:
                        cols = out.cols
                        out.rows.extend(dict(zip(cols, r, strict=True)) for r in msg["rows"])
                    elif "cols" in msg:
                        out.cols = msg["cols"]
                    elif "ready" in msg and not ready:
                        ready = True
                        deadline = time.monotonic() + limits.timeout
                    elif "end" in msg:
                        out.truncated = bool(msg["end"])
                        return out, True
                    elif "error" in msg:
                        raise _WorkerError(msg["error"])
        finally:
            sel.close()

    def kill(self) -> None:
        """Stop the worker at once (a query past its deadline, or a parent interrupted)."""
        running, self.alive = self.alive, False
        try:
            if not running:  # it ended by itself: nothing to signal (its pid may be reused)
                pass
            elif self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            elif self.proc is not None:
                self.proc.kill()
            else:
                os.kill(self.pid, signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass
        self._release(wait=True)

    def close(self) -> None:
        """Let the worker end: it exits when its request pipe closes."""
        self.alive = False
        self._release(wait=False)

    def _release(self, wait: bool) -> None:
        for fd in (self.requests, self.answers, self.pidfd):
            if fd is not None and fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.requests = self.answers = -1
        self.pidfd = None
        try:
            self.errlog.close()
        except OSError:
            pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=None if wait else 5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _WorkerError(Exception):
    """The worker's own error message for one question (it goes on serving)."""


# ---------------------------------------------------------------------------- the worker side

def _check(text: str, options: dict[str, Any]) -> str | None:
    """kg.query.sparql_guard on a thread with a deep stack: rdflib's parser recurses once per
    nesting level, and a long but valid query must not fail for want of stack."""
    import threading

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


class _Out:
    def __init__(self, fd: int) -> None:
        self.fh = os.fdopen(fd, "wb")

    def __call__(self, obj: dict[str, Any]) -> None:
        self.fh.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")

    def flush(self) -> None:
        self.fh.flush()


def serve(requests: int, answers: int) -> None:
    """The worker's loop: a question per line in, its answer out, until the pipe closes. The
    store opens at the first question and stays open."""
    import pyoxigraph as ox

    send = _Out(answers)
    store: Any = None
    with os.fdopen(requests, "rb") as lines:
        for line in lines:
            req = json.loads(line)
            try:
                if store is None:
                    store = ox.Store.read_only(req["store"])
                if req.get("check") is not None:
                    # the parser's import is start-up time, not query time
                    import rdflib.plugins.sparql.parser  # noqa: F401
                send({"ready": True})
                send.flush()
                _answer(store, req, send)
            except OSError as exc:
                msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                send({"error": f"SPARQL evaluation failed: {msg[:200]}"})
            finally:
                send.flush()


def _answer(store: Any, req: dict[str, Any], send: _Out) -> None:
    import pyoxigraph as ox

    from kg.backends.rdf.store import to_python

    if req.get("check") is not None:
        problem = _check(req["text"], req["check"])
        if problem:
            send({"error": problem})
            return
    graphs: list[Any] | None = None if req["graphs"] is None else \
        [ox.NamedNode(g) for g in req["graphs"]]
    default: Any = ox.DefaultGraph() if req.get("merged") else (graphs or [ox.DefaultGraph()])
    try:
        result = store.query(req["sparql"], default_graph=default, named_graphs=graphs,
                             substitutions={ox.Variable(k): _decode(v)
                                            for k, v in req["bindings"].items()})
    except SyntaxError as exc:
        send({"error": f"SPARQL syntax error: {str(exc).splitlines()[0]}"})
        return
    if isinstance(result, ox.QueryBoolean):
        send({"cols": ["result"]})
        send({"rows": [[bool(result)]]})
        send({"end": False})
        return
    if not isinstance(result, ox.QuerySolutions):
        send({"error": "only SELECT and ASK queries return rows"})
        return
    names = [v.value for v in result.variables]
    send({"cols": names})
    limit, n = req["limit"], 0
    batch: list[list[Any]] = []
    for sol in result:
        if n >= limit:
            if batch:
                send({"rows": batch})
            send({"end": True})
            return
        batch.append([to_python(sol[c]) for c in names])
        n += 1
        if len(batch) >= BATCH:
            send({"rows": batch})
            send.flush()
            batch = []
    if batch:
        send({"rows": batch})
    send({"end": False})


def main() -> None:
    serve(sys.stdin.fileno(), sys.stdout.fileno())


if __name__ == "__main__":
    main()
