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
        "bindings": {NAME: [KIND, VALUE]}, "limit": N,
        "unsorted": TEXT | null, "order": [[VAR, DESC]...] | null}  (split_order)
    worker -> parent: {"ready": true}, {"cols": [...]}, {"rows": [[VALUE...], ...]}...,
        then {"end": MORE} or {"error": MESSAGE}

The worker turns terms into Python values with the store's own to_python, so the in-process
and worker paths agree; the deadline starts at "ready" (the store open and the SPARQL
parser's import are start-up, not query time)."""

from __future__ import annotations

import heapq
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
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
                check: dict[str, Any] | None = None, sort_outside: bool = False
                ) -> dict[str, Any]:
    """The worker's request for this question on this open store. `sort_outside`: a final
    ORDER BY on plain variables is done by the worker (split_order), not by oxigraph."""
    from kg.backends.rdf.store import PREFIXES, uses_graphs

    # a store with the merged current graph answers from its default graph (each fact once);
    # the list of named graphs is only needed for GRAPH patterns (kg.backends.rdf.store)
    merged = bool(getattr(store, "merged", False))
    graphs = [g.value for g in store.published_graphs()] \
        if not merged or uses_graphs(sparql) else None
    def full(text: str) -> str:
        return text if "PREFIX kgo:" in text else PREFIXES + text

    split = split_order(sparql, set(bindings or ())) if sort_outside else None
    # absolute: a forked worker has the working folder of the moment its server started
    return {"store": os.path.abspath(store.path), "limit": limits.limit, "graphs": graphs,
            "merged": merged, "text": sparql, "check": check, "sparql": full(sparql),
            "unsorted": full(split[0]) if split else None, "order": split[1] if split else None,
            "bindings": {k: _encode(v) for k, v in (bindings or {}).items()}}


_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
# the body may end in a GROUP BY on plain variables: the ORDER BY sorts the groups' rows
_FINAL_ORDER = re.compile(r"^(?P<body>.*\}(?:\s*GROUP\s+BY(?:\s+\?\w+)+)?)\s*ORDER\s+BY\s+"
                          r"(?P<keys>" + _KEY + r"(?:\s+" + _KEY + r")*)\s*$", re.S | re.I)


def split_order(sparql: str, bound: frozenset[str] | set[str] = frozenset()
                ) -> tuple[str, list[tuple[str, bool]]] | None:
    """A query ending in `} ORDER BY` plain variables (ASC/DESC allowed) that name every
    projected variable not `bound` by a parameter, as the query without it and the keys
    [(variable, descending)]; None for anything else (two different rows could then tie, and
    their order is oxigraph's to keep). Oxigraph's ORDER BY decodes both names at every
    comparison (agreement-parties at 20k documents: 10 s sorted, 3.8 s unsorted); the worker
    decodes each row once and sorts in Python (_send_sorted), in the same order."""
    m = _FINAL_ORDER.match(sparql.strip())
    if not m:
        return None
    keys = [(k.split("?")[1].rstrip(" )\t\n"), k.upper().startswith("DESC"))
            for k in re.findall(_KEY, m.group("keys"), re.I)]
    head = re.split(r"\bWHERE\b", sparql, maxsplit=1, flags=re.I)[0]
    if "*" in head:
        return None
    head = re.sub(r"\(.*?AS\s+\?(\w+)\)", r"?\1", head, flags=re.S)
    if set(re.findall(r"\?(\w+)", head)) - {k for k, _ in keys} - bound:
        return None
    return m.group("body") + "\n", keys


def run_sparql(store: Any, sparql: str, bindings: dict[str, Any] | None,
               limits: Limits, check: dict[str, Any] | None = None) -> Answer:
    """Run one SELECT/ASK over the open store's published graphs in its worker process; at
    most limits.limit rows, within limits.timeout seconds (QueryTimeout otherwise). With
    `check` (kg.query.sparql_guard.check_sparql's keywords) the text is checked in the worker
    first, so parsing is under the deadline too."""
    return ask(store, request_for(store, sparql, bindings, limits, check), limits)


def ask(store: Any, request: dict[str, Any], limits: Limits,
        generation: str | None = None) -> Answer:
    """One question to the store's worker; a question asked while another thread has the
    worker gets a worker of its own for the time of its answer."""
    slot = _slot(store)
    if slot.lock.acquire(blocking=False):
        try:
            return worker_for(store, generation).ask(request, limits)
        finally:
            slot.lock.release()
    extra = Worker(str(store.path), generation)
    try:
        return extra.ask(request, limits)
    finally:
        extra.close()


# ---------------------------------------------------------------------------- the parent side

class _Slot:
    """Where a store keeps its worker; closed with the store (or when it is collected)."""

    def __init__(self) -> None:
        self.worker: Worker | None = None
        self.lock = threading.Lock()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


_slots_lock = threading.Lock()


def _slot(store: Any) -> _Slot:
    with _slots_lock:
        slot = store.__dict__.get("_sparql_slot")
        if slot is None:
            slot = store.__dict__["_sparql_slot"] = _Slot()
            weakref.finalize(store, slot.close)
        return slot


def worker_for(store: Any, generation: str | None = None) -> Worker:
    """The store's worker, replaced when it is gone or the store changed since it opened
    (`generation`: the store's current one, if the caller has read it already)."""
    from kg.query.answer_cache import generation as current

    gen = generation if generation is not None else current(store.path)
    slot = _slot(store)
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
    subs = {ox.Variable(k): _decode(v) for k, v in req["bindings"].items()}

    def run(text: str) -> Any:
        return store.query(text, default_graph=default, named_graphs=graphs, substitutions=subs)

    try:
        if req.get("unsorted") and _send_sorted(run(req["unsorted"]), req, send):
            return
        result = run(req["sparql"])
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


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}


class _Unsortable(Exception):
    """A value whose SPARQL order against the others this worker does not reproduce."""


class _Desc:
    """A sort key in reverse (DESC)."""
    __slots__ = ("k",)

    def __init__(self, k: Any) -> None:
        self.k = k

    def __lt__(self, other: _Desc) -> bool:
        return other.k < self.k

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.k == other.k

    __hash__ = None  # type: ignore[assignment]


def _order_key(term: Any) -> tuple[int, Any]:
    """SPARQL's ORDER BY order for what saved listings sort on: unbound, then IRIs (by their
    text), then plain strings (by code point: Rust's and Python's string order) or numbers
    (by value). Anything else (language tags, blank nodes, dates, NaN) is _Unsortable."""
    import pyoxigraph as ox

    if term is None:
        return (0, "")
    if isinstance(term, ox.NamedNode):
        return (1, term.value)
    if isinstance(term, ox.Literal) and term.language is None:
        dt = term.datatype.value
        if dt == _XSD + "string":
            return (2, term.value)
        if dt in _NUMERIC:
            try:
                v = int(term.value) if dt.endswith(("integer", "int", "long")) \
                    else float(term.value)
            except ValueError:
                raise _Unsortable from None
            if v != v:
                raise _Unsortable
            return (3, v)
    raise _Unsortable


def _send_sorted(result: Any, req: dict[str, Any], send: _Out) -> bool:
    """The rows of the unsorted query, in the ORDER BY's order, the first `limit` of them (a
    bounded heap: memory for limit + 1 rows). False (nothing sent) when the keys do not
    decide the order of every pair of different rows (they must cover every projected
    variable not bound by a parameter) or a value is one _order_key does not place: the
    caller then runs the query with its ORDER BY. Equal to oxigraph's order because SPARQL's
    DISTINCT comes after ORDER BY, and a stable sort of the distinct rows keeps the same
    first occurrences in the same order."""
    import pyoxigraph as ox

    from kg.backends.rdf.store import to_python

    if not isinstance(result, ox.QuerySolutions):
        return False
    names = [v.value for v in result.variables]
    order = [(k, bool(desc)) for k, desc in req["order"]]
    if not {k for k, _ in order} <= set(names) or \
            set(names) - {k for k, _ in order} - set(req["bindings"]):
        return False
    at = [(names.index(k), desc) for k, desc in order]
    kinds: list[set[int]] = [set() for _ in at]
    limit = req["limit"]

    def keyed() -> Any:
        for n, sol in enumerate(result):
            row = [sol[c] for c in names]
            key = []
            for j, (i, desc) in enumerate(at):
                k = _order_key(row[i])
                if k[0] >= 2:
                    kinds[j].add(k[0])
                key.append(_Desc(k) if desc else k)
            yield (tuple(key), n), row

    try:
        top = heapq.nsmallest(limit + 1, keyed(), key=lambda x: x[0])
    except _Unsortable:
        return False
    if any(len(k) > 1 for k in kinds):  # strings and numbers in one column: not ours
        return False
    send({"cols": names})
    for i in range(0, min(len(top), limit), BATCH):
        send({"rows": [[to_python(t) for t in row] for _, row in top[i:min(i + BATCH, limit)]]})
        send.flush()
    send({"end": len(top) > limit})
    return True


def main() -> None:
    serve(sys.stdin.fileno(), sys.stdout.fileno())


if __name__ == "__main__":
    main()
