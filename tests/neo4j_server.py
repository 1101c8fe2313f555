"""Start and stop a real Neo4j 5.26 Community for the tests, with no Docker: the jars come from
Maven Central (tools/neo4j/pom.xml, fetched once into .neo4j/lib) and tools/neo4j/Launcher.java
runs the embedded DBMS with Bolt and HTTP on free loopback ports, auth on, a generated password
(handed over in the environment, not on the command line), LOAD CSV from file URLs off.

    python tests/neo4j_server.py fetch     # download the jars (CI does this first)
    python tests/neo4j_server.py run       # start one and print its URI and password;
                                           # SIGTERM or Ctrl-C stops it and removes its folder

`run` also serves Neo4j Browser at http://127.0.0.1:HTTP/browser/ with kg's style applied and
a guide of starter queries opened on connect (browser.post_connect_cmd): both are served by a
small local web server (kg.backends.neo4j.browser), allowlisted for remote content.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / ".neo4j" / "lib"
POM = ROOT / "tools" / "neo4j" / "pom.xml"
LAUNCHER = ROOT / "tools" / "neo4j" / "Launcher.java"
JVM_FLAGS = [
    "-Xms256m", "-Xmx768m",
    *[f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in
      ("java.nio", "java.io", "sun.nio.ch", "java.lang", "java.util", "java.util.concurrent",
       "sun.net.www.protocol.http")],
    "--enable-native-access=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
]


def fetch() -> None:
    if LIB.exists() and any(LIB.glob("neo4j-5.26*.jar")) and any(LIB.glob("neo4j-browser-*.jar")):
        return
    LIB.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
                    f"-DoutputDirectory={LIB}", "-DincludeScope=runtime"], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    uri: str
    http_port: int
    password: str
    proc: subprocess.Popen
    home: Path
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start again on the same ports and data (for fault tests)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(60)
        bolt = int(self.uri.rsplit(":", 1)[1])
        seen = len(self.log.read_text(errors="replace"))  # the old run's marker is in the log
        self.proc = _spawn(self.home, bolt, self.http_port, self.password, self.log)
        _wait(self.proc, self.log, "KG-NEO4J-READY", after=seen)


def _spawn(home: Path, bolt: int, http: int, password: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "KG_NEO4J_PASSWORD": password}
    if (home / "browser.conf").exists():  # the Browser's style and guide (start(browser=True))
        env["KG_NEO4J_CONF"] = str(home / "browser.conf")
    with log.open("a") as fh:
        return subprocess.Popen(
            ["java", *JVM_FLAGS, "-cp", f"{LIB}/*", str(LAUNCHER), str(home / "data"),
             str(bolt), str(http)], stdout=fh, stderr=subprocess.STDOUT, cwd=home, env=env)


def _wait(proc: subprocess.Popen, log: Path, marker: str, timeout: float = 240,
          after: int = 0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Neo4j exited early:\n" + log.read_text()[-3000:])
        if marker in log.read_text(errors="replace")[after:]:
            return
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("Neo4j did not start in time:\n" + log.read_text()[-3000:])


def serve_assets(folder: Path) -> tuple[str, object]:
    """Serve `folder` on a free loopback port with CORS open (the Browser fetches the style
    and the guide from its own origin); returns the base URL and the server to shut down."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_OPTIONS(self) -> None:  # the Browser's CORS preflight for the guide
            self.send_response(204)
            self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "*")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def start(browser: bool = False) -> Server:
    """A fresh server; with `browser`, Neo4j Browser applies kg's style and opens its guide
    on connect (the assets are served from the server's home until the process ends)."""
    fetch()
    home = Path(tempfile.mkdtemp(prefix="kg-neo4j-"))
    if browser:
        sys.path.insert(0, str(ROOT))
        from kg.backends.neo4j.browser import browser_settings, write_assets

        write_assets(home / "browser")
        base, _ = serve_assets(home / "browser")
        (home / "browser.conf").write_text(
            "".join(f"{k}={v}\n" for k, v in browser_settings(base).items()), encoding="utf-8")
    bolt, http = free_port(), free_port()
    password = secrets.token_urlsafe(16)
    log = home / "neo4j.log"
    proc = None
    try:
        proc = _spawn(home, bolt, http, password, log)
        _wait(proc, log, "KG-NEO4J-READY")
    except BaseException:  # a failed start or a signal while starting leaves nothing behind
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(home, ignore_errors=True)
        raise
    return Server(uri=f"bolt://127.0.0.1:{bolt}", http_port=http, password=password, proc=proc,
                  home=home, log=log)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "run"
    if cmd == "fetch":
        fetch()
        print(f"Neo4j jars in {LIB}")
    else:
        def _stop_on_signal(signum: int, _frame: object) -> None:
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, _stop_on_signal)
        signal.signal(signal.SIGHUP, _stop_on_signal)
        srv = None
        code = 0
        try:  # any signal ends in stop() (or start()'s own cleanup): nothing left behind
            srv = start(browser=True)
            print(f"NEO4J_URI={srv.uri} NEO4J_USERNAME=neo4j NEO4J_PASSWORD={srv.password}",
                  flush=True)
            print(f"Neo4j Browser: http://127.0.0.1:{srv.http_port}/browser/ (kg style and guide "
                  "on connect)", flush=True)
            print(f"Neo4j pid {srv.proc.pid}, folder {srv.home} (SIGTERM or Ctrl-C stops it)",
                  file=sys.stderr, flush=True)
            srv.proc.wait()
        except (KeyboardInterrupt, SystemExit) as exc:
            code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 130
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut stop()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            if srv is not None:
                srv.stop()
        sys.exit(code)
