"""Spark build throughput: documents/s in local[1] and local[2] (the ratio is the scaling on
this machine) against the single-machine `kg build` in the same process, plus the output
size per document, which docs/scale.md turns into a sizing.

    .venv/bin/python benchmarks/spark_bench.py [--copies 2] [--corpus DIR ...]

The corpus is the example corpus and ../shared/corpus (when beside the repo), copied
`--copies` times under distinct names so every run reads the same documents. Session start-up
is timed apart: it is paid once per job, not per document."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(dirs: list[Path], copies: int, dest: Path) -> int:
    from kg.sources.files import discover

    n = 0
    for c in range(copies):
        for src in discover(dirs):
            (dest / f"c{c}-{n:05d}-{src.path.name}").write_bytes(src.path.read_bytes())
            n += 1
    return n


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("part-*"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--corpus", type=Path, nargs="*")
    ap.add_argument("--partitions", type=int, default=0,
                    help="partitions per stage [default: the master's cores]")
    args = ap.parse_args()
    dirs = args.corpus or [ROOT / "examples" / "corpus",
                           *sorted(p for p in (ROOT.parent / "shared" / "corpus").glob("*")
                                   if p.is_dir())]
    work = Path(tempfile.mkdtemp(prefix="kg-spark-bench-"))
    try:
        docs_dir = work / "docs"
        docs_dir.mkdir()
        n = corpus(dirs, args.copies, docs_dir)
        print(f"corpus: {n} documents, {size_of(docs_dir) / 1e3:.0f} kB of text")

        import kg
        from loaders.pipeline import load_pipeline

        load_pipeline()  # the model load is not part of any rate
        t = time.perf_counter()
        kg.build([docs_dir], store=work / "store", reset=True)
        single = n / (time.perf_counter() - t)
        print(f"kg build (one process):      {single:6.2f} docs/s")

        from kg.spark.job import run
        from kg.spark.session import get_session

        rates, extract_rates = {}, {}
        for master in ("local[1]", "local[2]"):
            t = time.perf_counter()
            parts = args.partitions or int(master[6])
            spark = get_session(master, app="kg-bench", partitions=parts)
            spark.sparkContext.parallelize([0], 1).count()
            started = time.perf_counter() - t
            out = work / f"out-{master[6]}"
            t = time.perf_counter()
            result = run([str(docs_dir)], str(out), spark=spark, partitions=parts)
            took = time.perf_counter() - t
            spark.stop()
            assert result.documents == n, result
            rates[master] = n / took
            extract = result.seconds["extract"]
            extract_rates[master] = n / extract
            print(f"kg spark build {master}:     {rates[master]:6.2f} docs/s "
                  f"({took:.1f} s, session start {started:.1f} s; stages {result.seconds}; "
                  f"extraction alone {extract_rates[master]:.2f} docs/s)")
        records, graph = size(out / "records"), size(out / "graph")
        print(f"output per document: records {records / n / 1e3:.1f} kB, "
              f"N-Quads {graph / n / 1e3:.1f} kB ({result.quads / n:.0f} quads)")
        print(f"ratio local[2] / local[1]: {rates['local[2]'] / rates['local[1]']:.2f} "
              f"(extraction alone {extract_rates['local[2]'] / extract_rates['local[1]']:.2f})")
        print(f"ratio local[1] / kg build: {rates['local[1]'] / single:.2f}")
        print(f"ratio local[2] / kg build: {rates['local[2]'] / single:.2f}")
        print(f"ratio extraction local[1] / kg build: {extract_rates['local[1]'] / single:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir())


if __name__ == "__main__":
    main()
