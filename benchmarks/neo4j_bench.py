"""Neo4j benchmarks (issue 15, items 3 and 4), each a ratio against a baseline run in the same
process on the same server and the same synthetic graph:

    python benchmarks/neo4j_bench.py load --docs 5000          # loader vs naive; no-op reload
    python benchmarks/neo4j_bench.py batches --docs 5000       # the batch-size sweep
    python benchmarks/neo4j_bench.py queries --docs 5000       # saved questions, Neo4j vs store
    python benchmarks/neo4j_bench.py all --docs 5000

(benchmarks/run.py does the store's benchmarks; this file is Neo4j's.)

The graph is what `kg load neo4j` reads: synthetic records (benchmarks/synth.py) built into an
embedded store with kg's own build path, then `read_graph()`. The store is kept in
--work (default a temporary folder) so a second run skips the build. Neo4j is the server
NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD name, else a fresh one from tests/neo4j_server.py
(a real Neo4j 5.26 Community, 768 MB heap, 512 MB page cache: KG_NEO4J_PAGECACHE_MB).
Every run empties that database first: never point it at a database you care about.

The naive baseline is the loader anyone writes first: one auto-commit MERGE per node and per
relationship, with the same labels, properties and marks, against the same unique
constraints. It loads the slice of the same graph that its first --naive-docs documents make
(their entities, mentions and facts): its rate is per element, so a full naive load would
only take longer (about 144 elements/s), not change the rate."""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))


# ------------------------------------------------------------------------------ setup
def graph(docs: int, work: Path) -> tuple[Path, tuple[list, list, list]]:
    """The resolved graph of `docs` synthetic documents, as `kg load neo4j` reads it."""
    from synth import records

    from kg.backends.rdf.store import EmbeddedStore
    from kg.flow import BuildResult, build_store

    path = work / f"store-{docs}"
    if not (path / "done").exists():
        t = time.perf_counter()
        with EmbeddedStore(path) as st:
            build_store(records(docs), st, reset=True, result=BuildResult())
        (path / "done").write_text("built\n")
        print(f"built {docs} synthetic documents in {time.perf_counter() - t:.1f} s "
              f"({path})", file=sys.stderr)
    with EmbeddedStore(path, read_only=True) as st:
        return path, st.read_graph()


@contextlib.contextmanager
def server() -> Iterator[dict[str, Any]]:
    if os.environ.get("NEO4J_URI") and os.environ.get("NEO4J_PASSWORD"):
        yield {"uri": os.environ["NEO4J_URI"], "user": os.environ.get("NEO4J_USERNAME", "neo4j"),
               "password": os.environ["NEO4J_PASSWORD"]}
        return
    import neo4j_server

    srv = neo4j_server.start()
    try:
        yield {"uri": srv.uri, "user": "neo4j", "password": srv.password, "pid": srv.proc.pid}
    finally:
        srv.stop()


def wipe(neo: Any) -> None:
    """Empty the database in small transactions (a 768 MB heap cannot delete it at once)."""
    with neo.driver.session(database=neo.database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def elements(parts: tuple[list, list, list]) -> int:
    """Nodes and relationships the load writes: entities, documents, one relationship per
    distinct fact, one MENTIONS per (document, entity)."""
    nodes, edges, docs = parts
    return len(nodes) + len(docs) + len({e.key for e in edges}) + \
        sum(len(d.get("mentions", [])) for d in docs)


# ------------------------------------------------------------------------------ naive
def naive_statements(parts: tuple[list, list, list], source: str
                     ) -> Iterator[tuple[str, str, dict]]:
    """One (kind, Cypher, parameters) per element, in load order, with the loader's properties."""
    from collections import defaultdict

    from kg.backends.mapping import mapping
    from kg.backends.neo4j.store import (
        KG_MARK,
        document_props,
        node_props,
        q,
        rel_key,
        relationship_props,
    )
    from ontology.vocab import vocabulary

    voc, m = vocabulary(), mapping()
    nodes, edges, docs = parts
    label = {n.iri: voc.entity_types[n.type].neo4j for n in nodes}
    for n in nodes:
        extra = f", n:{q(voc.subtypes[n.subtype].neo4j)}" if n.subtype else ""
        yield ("node", f"MERGE (n:{q(label[n.iri])} {{iri: $iri}}) SET n = $props, "
               f"n.iri = $iri, n.{KG_MARK} = [$src]{extra}",
               {"iri": n.iri, "props": node_props(n, m), "src": source})
    doc = q(voc.document.neo4j)
    for d in docs:
        yield ("document", f"MERGE (d:{doc} {{iri: $iri}}) SET d = $props, d.iri = $iri, "
               f"d.{KG_MARK} = [$src]",
               {"iri": d["iri"], "props": {**document_props(d, m), "name": d.get("slug")},
                "src": source})
    for d in docs:
        for e in d.get("mentions", []):
            if e in label:
                yield ("mention", f"MATCH (d:{doc} {{iri: $d}}) "
                       f"MATCH (e:{q(label[e])} {{iri: $e}}) "
                       f"MERGE (d)-[r:{q(voc.mentions.neo4j)}]->(e) "
                       f"SET r.kg_key = $d + ' ' + $e, r.{KG_MARK} = [$src]",
                       {"d": d["iri"], "e": e, "src": source})
    facts: dict[tuple, list] = defaultdict(list)
    for e in edges:
        facts[e.key].append(e)
    for (s, p, o, title), es in sorted(facts.items()):
        if s in label and o in label:
            yield ("fact", f"MATCH (s:{q(label[s])} {{iri: $s}}) "
                   f"MATCH (o:{q(label[o])} {{iri: $o}}) "
                   f"MERGE (s)-[r:{q(voc.predicates[p].neo4j)} {{kg_key: $key}}]->(o) "
                   f"SET r = $props, r.kg_key = $key, r.{KG_MARK} = [$src]",
                   {"s": s, "o": o, "key": rel_key((s, p, o, title)),
                    "props": relationship_props(es, title, m), "src": source})


def subgraph(parts: tuple[list, list, list], k: int) -> tuple[list, list, list]:
    """The first k documents with what they mention and state: a consistent slice of the
    same graph (every relationship's ends are in it)."""
    nodes, edges, docs = parts
    docs = docs[:k]
    keep = {e for d in docs for e in d.get("mentions", [])}
    iris = {d["iri"] for d in docs}
    return ([n for n in nodes if n.iri in keep],
            [e for e in edges if e.doc in iris and e.subject in keep and e.object in keep], docs)


def naive_load(neo: Any, parts: tuple[list, list, list], source: str) -> tuple[int, float]:
    """Auto-commit statements one by one, in load order: (elements written, seconds)."""
    stmts = list(naive_statements(parts, source))
    t = time.perf_counter()
    with neo.driver.session(database=neo.database) as s:
        for _, c, p in stmts:
            s.run(c, **p).consume()
    return len(stmts), time.perf_counter() - t


# ------------------------------------------------------------------------------ load
def load_once(neo: Any, parts: tuple[list, list, list], source: str,
              batch_size: int | None = None) -> tuple[float, Any]:
    kw = {} if batch_size is None else {"batch_size": batch_size}
    t = time.perf_counter()
    summary = neo.load(*parts, source=source, **kw)
    return time.perf_counter() - t, summary


def server_cpu(pid: int | None) -> float:
    """CPU seconds the server process has used (user + system), when it runs here: the
    share of a load that is the server's own work, whatever the other processes take."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_load(neo: Any, parts: tuple[list, list, list], source: str, naive_docs: int,
               pid: int | None = None) -> None:
    """(4) the loader's elements/s vs the naive loader's; a no-op reload vs a first load.
    The first load runs on the server as it came up (its JIT compiler still warming: on
    2 cores that took more CPU than the writes themselves); the same load is then timed
    again into an emptied database, as on a server that has been running a while."""
    n = elements(parts)
    wipe(neo)
    neo.ensure_constraints()
    naive_n, naive_t = naive_load(neo, subgraph(parts, naive_docs), source)
    naive_rate = naive_n / naive_t
    wipe(neo)
    c0 = server_cpu(pid)
    t_first, first = load_once(neo, parts, source)
    c1 = server_cpu(pid)
    rate = n / t_first
    t_again, again = load_once(neo, parts, source)
    wipe(neo)
    c2 = server_cpu(pid)
    t_warm, _ = load_once(neo, parts, source)
    c3 = server_cpu(pid)
    print(f"neo4j load: {n:,} elements ({len(parts[2]):,} documents), load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"  naive (1 auto-commit MERGE per element): {naive_rate:,.0f} elements/s "
          f"({naive_n:,} in {naive_t:.1f} s)")
    print(f"  kg load, fresh server: {t_first:.2f} s = {rate:,.0f} elements/s = "
          f"{rate / naive_rate:.0f}x naive (targets >= 50x, >= 30,000 elements/s); "
          f"server CPU {c1 - c0:.1f} s")
    print(f"  kg load, warmed server: {t_warm:.2f} s = {n / t_warm:,.0f} elements/s = "
          f"{n / t_warm / naive_rate:.0f}x naive; server CPU {c3 - c2:.1f} s")
    written = again.nodes_created + again.relationships_created + again.properties_set + \
        again.nodes_deleted + again.relationships_deleted
    print(f"  no-op reload: {t_again:.2f} s = {t_again / t_first:.0%} of a first load, "
          f"{t_again / t_warm:.0%} of a warmed one (target <= 20%), {written} writes")
    assert (first.nodes, first.relationships) == (again.nodes, again.relationships)


def bench_batches(neo: Any, parts: tuple[list, list, list], source: str,
                  sizes: list[int]) -> None:
    """A first load's time at each batch size, against the smallest size, same graph."""
    n = elements(parts)
    print(f"neo4j batch size, first load of {n:,} elements:")
    base = None
    for size in sizes:
        wipe(neo)
        t, _ = load_once(neo, parts, source, batch_size=size)
        base = base or t
        print(f"  batch {size:>6,}: {t:6.2f} s = {n / t:8,.0f} elements/s = "
              f"{base / t:.2f}x batch {sizes[0]:,}")


# ------------------------------------------------------------------------------ queries
def pick_params(parts: tuple[list, list, list]) -> dict[str, str]:
    """Entity parameters from the data: the best-connected entity of each kind."""
    nodes, edges, _ = parts
    name = {n.iri: n.name for n in nodes}
    kind = {n.iri: n.type for n in nodes}
    deg: Counter[str] = Counter()
    for e in edges:
        deg[e.subject] += 1
        deg[e.object] += 1

    def best(etype: str, pred: str | None = None) -> str:
        cands = {x for e in edges if pred is None or e.predicate == pred
                 for x in (e.subject, e.object) if kind.get(x) == etype}
        return name[max(sorted(cands), key=lambda x: deg[x])]

    return {"org": best("Institution", "PARTY_TO"), "person": best("Person", "HOLDS_POSITION"),
            "sector": best("Sector", "COVERS_SECTOR"), "entity": best("Institution")}


def _timed(fn: Any, repeat: int) -> tuple[float, float, Any]:
    fn()  # warm: plans cached, pages in memory
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], out


def bench_queries(neo: Any, store: Path, parts: tuple[list, list, list], source: str,
                  repeat: int) -> None:
    """(3) p50/p95 of every saved question on Neo4j (through kg.answer, entity look-up
    included) vs the same question on the embedded store, same answers."""
    import kg
    from kg.errors import KgError
    from kg.query import saved

    if neo.counts() != (len(parts[0]) + len(parts[2]), elements(parts) - len(parts[0])
                        - len(parts[2])):
        wipe(neo)  # this graph alone, so both stores answer over the same facts
    neo.load(*parts, source=source)  # rewrites only what differs from what is there
    picks = pick_params(parts)
    # The store computes each answer: a kept answer would make the comparison a file read.
    os.environ["KG_ANSWER_CACHE"] = "off"
    print(f"saved questions, p50/p95 over {repeat} runs ({len(parts[2]):,} documents):")
    worst = 0.0
    with kg.open_backend("rdf", store=store) as st:
        for name, sq in sorted(saved.catalogue().items()):
            given = {p.name: picks[p.name] for p in sq.params if p.type == "entity"}
            try:
                p50, p95, a = _timed(lambda n=name, g=given: kg.answer(n, g, neo), repeat)
            except KgError as exc:  # e.g. the server's transaction memory limit
                print(f"  {name:28} neo4j: {exc}")
                continue
            worst = max(worst, p50)
            try:
                r50, _, b = _timed(lambda n=name, g=given: kg.answer(n, g, st),
                                   max(3, repeat // 4))
            except KgError as exc:  # the store's own time limit: say so, go on
                print(f"  {name:28} neo4j p50 {p50 * 1000:7.1f} ms p95 {p95 * 1000:7.1f} ms | "
                      f"store: {exc} | {len(a.rows)} rows")
                continue
            same = "same rows" if len(a.rows) == len(b.rows) else \
                f"ROWS DIFFER {len(a.rows)} vs {len(b.rows)}"
            print(f"  {name:28} neo4j p50 {p50 * 1000:7.1f} ms p95 {p95 * 1000:7.1f} ms | "
                  f"store p50 {r50 * 1000:8.1f} ms = {r50 / p50:5.1f}x | {len(a.rows)} rows, "
                  f"{same}")
    print(f"  slowest neo4j p50 {worst * 1000:.1f} ms (target <= 50 ms)")


# ------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="?", default="all", choices=["all", "load", "batches",
                                                               "queries"])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--naive-docs", type=int, default=200,
                    help="the naive loader writes the first N documents' slice of the graph")
    ap.add_argument("--batch-sizes", default="500,2000,5000,10000")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--work", type=Path, help="keep the synthetic store here between runs")
    a = ap.parse_args(argv)
    from kg.backends.neo4j.store import Neo4jStore

    work = a.work or Path(tempfile.mkdtemp(prefix="kg-neo4j-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    store, parts = graph(a.docs, work)
    source = str(store.resolve())
    with server() as srv, Neo4jStore(srv["uri"], srv["user"], srv["password"]) as neo:
        if a.what in ("all", "batches"):
            bench_batches(neo, parts, source, [int(x) for x in a.batch_sizes.split(",")])
        if a.what in ("all", "load"):
            bench_load(neo, parts, source, a.naive_docs, srv.get("pid"))
        if a.what in ("all", "queries"):
            bench_queries(neo, store, parts, source, a.repeat)


if __name__ == "__main__":
    main()
