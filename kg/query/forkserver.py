"""A fork server for SPARQL workers: a copy of this process made before it opened any store,
which forks a worker whenever one is needed. A worker made that way starts in about a
millisecond with pyoxigraph and kg already imported, instead of a new Python that imports
them again (150-1,000 ms on a loaded machine).

Forking is only safe from a process with one thread: a thread that holds a lock at the fork
leaves it locked in the child for ever. RocksDB starts threads when a store opens, and they
stay, so the server is started before the first read-only open and only while this process
has a single thread (Linux: /proc/self/task); otherwise it is not started and workers are
spawned as new Python processes (kg.query.sparql_worker). The server never opens a store, so
its own forks stay safe.

    parent -> server (socket): b"w" (make a worker)
    server -> parent: the worker's pid, and its request pipe, answer pipe and stderr file
                      (SCM_RIGHTS)

The server ends when the parent closes its socket, workers when their request pipe closes;
both are killed by the kernel when the process that forked them dies (PR_SET_PDEATHSIG), so
a query running when its asker was killed stops too. Workers are reaped by the kernel
(SIGCHLD ignored in the server)."""

from __future__ import annotations

import os
import signal
import socket
import sys
import tempfile
import threading
from dataclasses import dataclass

_server: _Server | None = None


@dataclass
class Spawned:
    """A worker made by the server: its pid (and a pidfd where the kernel has them, so a kill
    can never reach another process that reused the pid) and the parent's ends."""
    pid: int
    pidfd: int | None
    requests: int  # write end of the worker's stdin
    answers: int  # read end of the worker's stdout
    errlog: int  # the worker's stderr (a temporary file)


def single_threaded() -> bool:
    """Whether this process has exactly one thread (False when it cannot be told)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def available() -> bool:
    return (hasattr(os, "fork") and hasattr(socket, "send_fds")
            and os.environ.get("KG_SPARQL_WORKER", "fork") != "spawn")


def prestart() -> None:
    """Start the server now if it can be (one thread, no server yet); cheap to call again.
    Called before a read-only store opens, while this process may still be single-threaded."""
    global _server
    if _server is not None and _server.owner == os.getpid():
        return
    _server = None
    if available() and single_threaded():
        try:
            _server = _Server()
        except OSError:
            _server = None


def spawn() -> Spawned | None:
    """A new worker from the server, or None (no server: the caller spawns a process)."""
    global _server
    if _server is None or _server.owner != os.getpid():
        return None
    try:
        return _server.spawn()
    except OSError:
        _server.close()
        _server = None
        return None


class _Server:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the server: never returns into the parent's code
            code = 0
            try:
                ours.close()
                _serve(theirs)
            except BaseException:  # noqa: BLE001  (a server that fails just ends)
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.sock = ours
        self.pid = pid
        self.owner = os.getpid()
        self.lock = threading.Lock()  # one request at a time on the socket

    def spawn(self) -> Spawned:
        with self.lock:
            self.sock.sendall(b"w")
            msg, fds, _, _ = socket.recv_fds(self.sock, 16, 3)
        if len(msg) != 8 or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            raise OSError("the fork server did not answer")
        for fd in fds:
            os.set_inheritable(fd, False)
        pid = int.from_bytes(msg, "little")
        pidfd = None
        if hasattr(os, "pidfd_open"):
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                pidfd = None
        return Spawned(pid, pidfd, *fds)

    def close(self) -> None:
        self.sock.close()
        try:
            os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            pass


def _die_with_parent() -> None:
    """Linux: be killed when the process that forked this one ends (a worker busy in a
    runaway query would otherwise run on after its asker was killed)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(sock: socket.socket) -> None:
    """The server's loop (in the forked copy): one worker per request, until EOF."""
    from kg.query.sparql_worker import serve

    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # never hold the parent's stdout: a reader waits for its EOF
        os.dup2(null, fd)
    os.close(null)
    while True:
        if not sock.recv(1):
            return
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        err = tempfile.TemporaryFile()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                _die_with_parent()
                sock.close()
                os.close(req_w)
                os.close(ans_r)
                os.dup2(err.fileno(), 2)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                serve(req_r, ans_w)
            except BaseException:  # noqa: BLE001  (its stderr file says what happened)
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
                code = 1
            finally:
                os._exit(code)
        os.close(req_r)
        os.close(ans_w)
        socket.send_fds(sock, [pid.to_bytes(8, "little")], [req_w, ans_r, err.fileno()])
        os.close(req_w)
        os.close(ans_r)
        err.close()
