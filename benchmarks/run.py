"""kg benchmarks: every figure is a ratio against a baseline measured in the same run.

    python benchmarks/run.py                    # all, default sizes
    python benchmarks/run.py build --sizes 1000,5000
    python benchmarks/run.py extract --docs 200
    python benchmarks/run.py queries --docs 5000 --repeat 20
    python benchmarks/run.py long --chars 200000

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
    """(2) build wall time and peak RSS from synthetic records (the store path, no spaCy)."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    base = None
    print("build (synthetic records; per-document time vs the smallest size):")
    last = tmp
    for n in sizes:
        path = tmp / f"store-{n}"
        r = _build_one(n, str(path))
        per = r["wall"] / n
        base = base or per
        print(f"  {n:>6} docs: {r['wall']:7.1f} s, {per * 1000:6.1f} ms/doc = {per / base:.2f}x "
              f"the {sizes[0]}-doc rate (target <= 1.2x), peak RSS {r['rss_mb']:,.0f} MB "
              f"(target <= 1500), read-only open {r['ro_open']:.2f} s")
        last = path
    return last


def bench_queries(store: Path, repeat: int) -> None:
    """(3) p50/p95 of every saved question on the store vs rdflib's in-memory Dataset."""
    import rdflib

    import kg
    from kg.backends.rdf.store import PREFIXES
    from kg.query import saved

    ds = rdflib.Dataset(default_union=True)
    with kg.open_backend("rdf", store=store) as st:
        for t in st.triples():
            ds.default_graph.add(tuple(rdflib.URIRef(x.value) if not hasattr(x, "datatype") else
                                         rdflib.Literal(x.value, datatype=rdflib.URIRef(
                                             x.datatype.value)) for x in t))
    print(f"queries on {store.name} ({len(ds)} triples), p50/p95 over {repeat} runs:")
    with kg.open_backend("rdf", store=store) as st:
        for name, q in sorted(saved.catalogue().items()):
            given = {p.name: p.default for p in q.params if p.default}
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                kg.answer(name, given, st)
                times.append(time.perf_counter() - t)
            values = saved.coerce(q, given)
            text = PREFIXES + q.sparql
            init = {}
            for p in q.params:
                v = values[p.name]
                if p.type == "entity":
                    v = saved.match_entity(str(v), st.entity_names(str(v))) or "urn:none"
                    init[p.name] = rdflib.URIRef(v)
                else:
                    init[p.name] = rdflib.Literal(v)
            rt = []
            for _ in range(max(1, repeat // 5)):
                t = time.perf_counter()
                list(ds.query(text, initBindings=init))
                rt.append(time.perf_counter() - t)
            p50, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
            print(f"  {name:28} p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  "
                  f"rdflib p50 {statistics.median(rt) * 1000:8.1f} ms "
                  f"= {statistics.median(rt) / p50:.1f}x faster (target p50 <= 50 ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("what", nargs="?", default="all", choices=["all", "extract", "build", "queries",
                                                               "long"])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--chars", type=int, default=200_000, help="long: the text's length")
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--store", type=Path, help="queries: an existing store instead of a build")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    if a.what in ("all", "extract"):
        bench_extract(a.docs)
    if a.what in ("all", "long"):
        bench_long(a.chars)
    store = a.store
    if a.what in ("all", "build"):
        store = bench_build(sizes)
    if a.what in ("all", "queries"):
        if store is None:
            store = bench_build([a.docs])
        bench_queries(store, a.repeat)
        if not a.store:
            shutil.rmtree(store.parent, ignore_errors=True)
    print(f"(peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
