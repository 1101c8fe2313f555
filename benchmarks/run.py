"""kg benchmarks: every figure is a ratio against a baseline measured in the same run.

    python benchmarks/run.py                    # all, default sizes
    python benchmarks/run.py build --sizes 1000,5000
    python benchmarks/run.py extract --docs 200
    python benchmarks/run.py queries --docs 5000 --repeat 20
    python benchmarks/run.py long --chars 200000
    python benchmarks/run.py build --sizes 1000,5000,20000 --out /tmp/kg-bench
    python benchmarks/run.py queries --store /tmp/kg-bench/store-20000 --rdflib-max 0
    python benchmarks/run.py queries --store /tmp/kg-bench/store-5000 --only evidence,people-at

The machine is shared: absolute times move with the load, the ratios much less. Each build
runs in its own process so its peak RSS is its own."""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def bench_extract(docs: int) -> None:
    """(1) words/s of kg's extraction vs raw nlp.pipe of the same model; --jobs 2 vs 1."""
    import spacy
    from synth import texts

    from loaders.parallel import extract_parallel
    from loaders.pipeline import default_model, extract_texts, load_pipeline

    items = list(texts(docs))
    words = sum(len(t.split()) for _, t in items)
    raw = spacy.load(default_model())
    load_pipeline(None)
    list(extract_texts(items[:4]))  # warm
    t = time.perf_counter()
    for _ in raw.pipe((t for _, t in items), batch_size=16):
        pass
    t_raw = time.perf_counter() - t
    t = time.perf_counter()
    list(extract_texts(items))
    t_kg = time.perf_counter() - t
    t = time.perf_counter()
    list(extract_parallel(items, model=None, jobs=2))
    t_two = time.perf_counter() - t
    print(f"extract: {docs} docs, {words} words")
    print(f"  raw nlp.pipe {words / t_raw:,.0f} words/s; kg {words / t_kg:,.0f} words/s "
          f"= {t_raw / t_kg:.2f}x raw (target >= 0.8x)")
    print(f"  --jobs 2 {words / t_two:,.0f} words/s = {t_kg / t_two:.2f}x --jobs 1 (target >= 1.6x)")


def bench_long(chars: int) -> None:
    """(4) one long text vs the same text as article-sized pieces: the kg components are
    linear when the ratio stays near 1 as `chars` grows (quadratic parts made it 5x)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from newsgen import news_text

    from loaders.pipeline import cut_points, extract_texts, load_pipeline

    text = news_text(chars)
    cuts = cut_points(text, 2_000)  # article-sized pieces, cut at paragraph starts
    stories = [(f"s{i}", text[a:b]) for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))]
    load_pipeline(None)
    list(extract_texts(stories[:2]))  # warm
    t = time.perf_counter()
    list(extract_texts(stories))
    t_split = time.perf_counter() - t
    t = time.perf_counter()
    list(extract_texts([("long", text)]))
    t_long = time.perf_counter() - t
    print(f"long: {chars:,} characters; as {len(stories)} pieces {chars / t_split:,.0f} chars/s;"
          f" as one text {chars / t_long:,.0f} chars/s = {t_long / t_split:.2f}x the pieces' "
          "time (target <= 1.3x)")


def _build_one(n: int, path: str) -> dict:
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {str(HERE)!r})
from synth import records
from kg.backends.rdf.store import EmbeddedStore
from kg.flow import BuildResult, build_store
t = time.perf_counter()
with EmbeddedStore({path!r}) as st:
    build_store(records({n}), st, reset=False, result=BuildResult())
wall = time.perf_counter() - t
t = time.perf_counter()
with EmbeddedStore({path!r}, read_only=True) as st:
    pass
print(json.dumps({{"wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "ro_open": time.perf_counter() - t}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_build(sizes: list[int], keep: Path | None = None) -> Path:
    """(2) build wall time and peak RSS from synthetic records (the store path, no spaCy).
    The stores are left in `keep` (a fresh temporary folder by default) for `queries`."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-")) if keep is None else keep
    tmp.mkdir(parents=True, exist_ok=True)
    base = None
    print("build (synthetic records; per-document time vs the smallest size):")
    last = tmp
    for n in sizes:
        path = tmp / f"store-{n}"
        if path.exists():
            sys.exit(f"{path} exists: give --out a fresh folder")
        r = _build_one(n, str(path))
        per = r["wall"] / n
        base = base or per
        print(f"  {n:>6} docs: {r['wall']:7.1f} s, {per * 1000:6.1f} ms/doc = {per / base:.2f}x "
              f"the {sizes[0]}-doc rate (target <= 1.2x), peak RSS {r['rss_mb']:,.0f} MB "
              f"(target <= 1500), read-only open {r['ro_open']:.2f} s")
        last = path
    return last


# The entity a parameter of this name is drawn from: the best connected of its kind (ties by
# IRI), so point questions run on their largest answer, and the same one on every run.
PICK = {
    "org": "SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e kgo:partyTo ?a } "
           "GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1",
    "person": "SELECT ?e (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a kgo:Position ; "
              "rdf:subject ?e } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1",
    "sector": "SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a kgo:coversSector ?e } "
              "GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1",
}


def pick_params(st, q) -> dict[str, str]:
    """Every parameter of a saved question: string defaults as they are, entity parameters
    the name of the entity PICK chooses (by the parameter's name; `org` otherwise)."""
    import pyoxigraph as ox

    given = {}
    for p in q.params:
        if p.type == "entity":
            iri = st.select(PICK.get(p.name, PICK["org"]))[0]["e"]
            given[p.name] = st.select("SELECT ?e ?n WHERE { ?e kgo:name ?n } ORDER BY ?n LIMIT 1",
                                      {"e": ox.NamedNode(iri)})[0]["n"]
        elif p.default:
            given[p.name] = p.default
    return given


def _rdflib_dataset(st):
    """The store's merged graph as rdflib's default graph and its ontology and scheme graphs
    as named graphs (a GRAPH pattern reads the ontology), all in memory."""
    import pyoxigraph as ox
    import rdflib

    def conv(x):
        if isinstance(x, ox.NamedNode):
            return rdflib.URIRef(x.value)
        if isinstance(x, ox.BlankNode):
            return rdflib.BNode(x.value)
        if x.language:
            return rdflib.Literal(x.value, lang=x.language)
        return rdflib.Literal(x.value, datatype=rdflib.URIRef(x.datatype.value))

    from ontology.vocab import vocabulary

    ds = rdflib.Dataset()
    ds.default_graph.addN((conv(t.subject), conv(t.predicate), conv(t.object), ds.default_graph)
                          for t in st.triples())
    base = vocabulary().doc_base
    for g in st.published_graphs():
        if not g.value.startswith(base):
            named = ds.graph(rdflib.URIRef(g.value))
            named.addN((conv(q.subject), conv(q.predicate), conv(q.object), named)
                       for q in st._store.quads_for_pattern(None, None, None, g))
    return ds, conv


def _pct(times: list[float], p: float) -> float:
    return sorted(times)[round(p * (len(times) - 1))]


def bench_queries(store: Path, repeat: int, rdflib_max: int = 1_500_000,
                  timeout: float = 30.0, only: set[str] | None = None) -> None:
    """(3) p50/p95 of every saved question on the store, parameters picked from the data.
    `store`: the question's SPARQL on the open store, reading at most the row limit + 1 rows
    as `kg query run` does (the baseline); `cold`: the whole `kg.answer` (name lookup, the
    store's worker process, rows to Python) with no kept answer, as the first ask after a
    build; `warm`: `kg.answer` again, served from the answer cache; `rdflib`: the same text and
    bindings on rdflib's in-memory Dataset holding the same graph (skipped above `rdflib_max`
    triples). The cache is kept in a temporary folder, never in the measured store. A question
    that passes kg's time limit (`timeout`) is reported as stopped and not repeated."""
    import kg
    from kg.backends.rdf.store import PREFIXES
    from kg.query import saved
    from kg.query.answer_cache import AnswerCache
    from kg.query.limits import Limits, QueryTimeout

    limit = Limits().limit
    cache_dir = Path(tempfile.mkdtemp(prefix="kg-bench-answers-"))
    with kg.open_backend("rdf", store=store) as st:
        st.answer_cache = cache = AnswerCache(st.path, folder=cache_dir)
        triples = sum(1 for _ in st.triples())
        ds = conv = None
        if triples <= rdflib_max:
            t = time.perf_counter()
            ds, conv = _rdflib_dataset(st)
            load = time.perf_counter() - t
            print(f"rdflib Dataset: {len(ds)} triples loaded in {load:.1f} s")
        n_kg = max(3, repeat // 4)
        print(f"queries on {store} ({triples:,} triples in the merged graph); store and rdflib "
              f"p50/p95 over {repeat} runs, kg.answer cold and warm over {n_kg}:")
        print(f"  {'question':26} {'rows':>6} {'store p50':>10} {'p95':>8} {'cold p50':>9} "
              f"{'warm p50':>9} {'rdflib p50':>10}  ratio")
        cold_fast = warm_fast = 0
        for name, q in sorted(saved.catalogue().items()):
            if only and name not in only:
                continue
            given = pick_params(st, q)
            values = saved.resolve_entities(q, saved.coerce(q, given), saved.entity_names_for(
                st, [given[n] for n in q.entity_params]))
            entity = set(q.entity_params)
            bindings = {k: (kg_iri(v) if k in entity else v) for k, v in values.items()}
            try:  # first through kg's own bounds: a question past the time limit is reported
                cache.clear()
                t = time.perf_counter()
                kg.answer(name, given, st, Limits(timeout=timeout))
                probe = time.perf_counter() - t
            except QueryTimeout:
                print(f"  {name:26} {'':>6} stopped at the {timeout:g} s time limit (cold)")
                continue
            times, rows = [], 0
            for _ in range(repeat if probe < 5 else 3):
                t = time.perf_counter()
                res = st.raw_query(q.sparql, bindings)
                cols = [v.value for v in res.variables]
                rows = 0
                for sol in res:
                    rows += 1
                    if rows > limit:
                        break
                    for c in cols:
                        sol[c]
                times.append(time.perf_counter() - t)
            cold, warm = [], []
            for _ in range(n_kg if probe < 5 else 1):
                cache.clear()
                t = time.perf_counter()
                first = kg.answer(name, given, st)
                cold.append(time.perf_counter() - t)
            for _ in range(n_kg):
                t = time.perf_counter()
                again = kg.answer(name, given, st)
                warm.append(time.perf_counter() - t)
            assert (again.cols, again.rows, again.truncated) == \
                (first.cols, first.rows, first.truncated), f"{name}: the kept answer differs"
            p50, c50, w50 = (statistics.median(x) for x in (times, cold, warm))
            cold_fast += c50 <= 0.05
            warm_fast += w50 <= 0.05
            line = (f"  {name:26} {min(rows, limit):>6} {p50 * 1000:8.1f}ms "
                    f"{_pct(times, 0.95) * 1000:6.1f}ms {c50 * 1000:7.1f}ms {w50 * 1000:7.1f}ms")
            if ds is not None:
                init = {k: conv(_term(v)) for k, v in bindings.items()}
                rt = []
                for _ in range(max(1, repeat // 5)):
                    t = time.perf_counter()
                    got = len(ds.query(PREFIXES + q.sparql, initBindings=init))
                    rt.append(time.perf_counter() - t)
                    if rt[-1] > 5:
                        break
                r50 = statistics.median(rt)
                same = "" if min(got, limit) == min(rows, limit) else f"  ROWS DIFFER: {got}"
                line += f" {r50 * 1000:8.1f}ms  {r50 / p50:6.1f}x{same}"
            print(line + (f"  ({', '.join(f'{k}={v}' for k, v in given.items())})"
                          if given else ""))
        total = len(only or saved.catalogue())
        print(f"  p50 <= 50 ms for the user (kg.answer): {cold_fast} of {total} questions cold "
              f"(first ask after a build), {warm_fast} of {total} warm (asked before)")
    shutil.rmtree(cache_dir, ignore_errors=True)
    bench_worker_start(store)


def bench_worker_start(store: Path, repeat: int = 5) -> None:
    """The cost of a question's worker: the first question of an open store (a new worker,
    which opens the store) with the fork server vs a new Python process, and the next
    questions (the same worker); a point question with no kept answer, through the same
    kg.answer, each configuration in a fresh process."""
    code = f"""
import json, os, statistics, sys, time
sys.path.insert(0, {str(HERE)!r})
os.environ["KG_ANSWER_CACHE"] = "off"
import kg, kg.api
from run import pick_params
from kg.query import saved
q = saved.get("partners-of")
first, next_ = [], []
for i in range({repeat}):
    with kg.open_backend("rdf", store={str(store)!r}) as st:
        given = pick_params(st, q)
        t = time.perf_counter(); kg.answer(q.name, given, st); first.append(time.perf_counter() - t)
        for _ in range(3):
            t = time.perf_counter(); kg.answer(q.name, given, st); next_.append(time.perf_counter() - t)
        how = st._sparql_slot.worker.how
print(json.dumps({{"how": how, "first": statistics.median(first), "next": statistics.median(next_)}}))
"""
    got = {}
    for how in ("spawn", "fork"):
        env = {**__import__("os").environ, "KG_SPARQL_WORKER": how}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True)
        got[how] = json.loads(out.stdout.strip().splitlines()[-1])
    s, f = got["spawn"], got["fork"]
    print(f"worker start (partners-of, no kept answer, medians of {repeat} fresh stores):")
    print(f"  first question: new Python worker {s['first'] * 1000:.0f} ms, forked worker "
          f"({f['how']}) {f['first'] * 1000:.0f} ms = {s['first'] / f['first']:.1f}x faster; "
          f"next questions (same worker) {f['next'] * 1000:.1f} ms")
    bench_cli(store)


def bench_cli(store: Path, repeat: int = 5) -> None:
    """The whole `kg query run` command (a new process: Python, imports, store open, name
    lookup, worker, rows printed) for a point question and a whole-graph listing, the first
    time (no kept answer) and again (served from the kept answer). The kept answers are
    written into a copy of the store's folder, never into the measured store: the copy shares
    its data files by hard links."""
    import kg
    from kg.query import saved

    with kg.open_backend("rdf", store=store) as st:
        point = pick_params(st, saved.get("partners-of"))
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-cli-"))
    copy = tmp / "store"
    copy.mkdir()
    for f in store.iterdir():
        if f.is_file() and f.name != "LOCK":
            try:
                (copy / f.name).hardlink_to(f)
            except OSError:
                shutil.copy2(f, copy / f.name)
    kg_cmd = [sys.executable, "-c", "from kg.cli import main; main()"]
    print(f"kg query run, the whole command (medians of {repeat}):")
    for name, params in (("partners-of", point), ("agreement-parties", {})):
        args = [*kg_cmd, "query", "run", name, "--store", str(copy), "--format", "csv",
                *[x for k, v in params.items() for x in ("-p", f"{k}={v}")]]
        cold, warm = [], []
        for _ in range(repeat if name == "partners-of" else 1):
            shutil.rmtree(copy / "kg-answers", ignore_errors=True)
            t = time.perf_counter()
            subprocess.run(args, capture_output=True, check=True)
            cold.append(time.perf_counter() - t)
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run(args, capture_output=True, check=True)
            warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([*kg_cmd, "--help"], capture_output=True, check=True)
        bare = time.perf_counter() - t
        print(f"  {name:20} first {statistics.median(cold) * 1000:7.0f} ms, again "
              f"{statistics.median(warm) * 1000:6.0f} ms (kg --help alone: {bare * 1000:.0f} ms)")
    shutil.rmtree(tmp, ignore_errors=True)


def kg_iri(v: str):
    import pyoxigraph as ox

    return ox.NamedNode(v)


def _term(v):
    from kg.backends.rdf.store import _term as term

    return term(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("what", nargs="?", default="all", choices=["all", "extract", "build", "queries",
                                                               "long"])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--chars", type=int, default=200_000, help="long: the text's length")
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--store", type=Path, help="queries: an existing store instead of a build")
    ap.add_argument("--out", type=Path, help="build: keep the stores in this folder")
    ap.add_argument("--only", help="queries: these questions only (comma-separated)")
    ap.add_argument("--timeout", type=float, default=30.0, help="queries: kg's time limit")
    ap.add_argument("--rdflib-max", type=int, default=1_500_000,
                    help="queries: the largest graph (triples) loaded into rdflib")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    if a.what in ("all", "extract"):
        bench_extract(a.docs)
    if a.what in ("all", "long"):
        bench_long(a.chars)
    store = a.store
    if a.what in ("all", "build"):
        store = bench_build(sizes, a.out)
    if a.what in ("all", "queries"):
        if store is None:
            store = bench_build([a.docs])
        bench_queries(store, a.repeat, a.rdflib_max, a.timeout,
                      set(a.only.split(",")) if a.only else None)
        if not a.store and not a.out:
            shutil.rmtree(store.parent, ignore_errors=True)
    print(f"(peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
