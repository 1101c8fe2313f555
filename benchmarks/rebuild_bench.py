"""`kg build` over an archive the store already holds: a build of the same files again, and
one with a few new articles, against the first build of the same files in the same run.

    .venv/bin/python benchmarks/rebuild_bench.py --docs 1000 --new 10

Synthetic articles (benchmarks/synth.py, invented names) are written as text files into a
temporary folder and built with the real spaCy model through `kg.build`, as `kg build` does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="articles of the first build")
    ap.add_argument("--new", type=int, default=10, help="articles added before the third build")
    args = ap.parse_args()

    from synth import texts

    import kg

    with tempfile.TemporaryDirectory(prefix="kg-rebuild-") as tmp:
        folder, store = Path(tmp) / "news", Path(tmp) / "store"
        folder.mkdir()
        items = list(texts(args.docs + args.new))
        for slug, text in items[:args.docs]:
            (folder / f"{slug}.txt").write_text(text, encoding="utf-8")

        def timed(label: str) -> tuple[float, kg.BuildResult]:
            t = time.perf_counter()
            r = kg.build([folder], store=store)
            wall = time.perf_counter() - t
            print(f"  {label:<38} {wall:7.1f} s: {r.documents} read, {r.unchanged} unchanged")
            return wall, r

        kg.build([], store=Path(tmp) / "warm")  # load the model outside the clock
        print(f"rebuild: {args.docs} articles, then the same again, then {args.new} new")
        first, _ = timed("first build")
        same, r = timed("the same files again")
        assert r.documents == 0 and r.unchanged == args.docs
        for slug, text in items[args.docs:]:
            (folder / f"{slug}.txt").write_text(text, encoding="utf-8")
        more, r = timed(f"{args.new} new articles")
        assert r.documents == args.new
        print(f"  the same again = {same / first:.1%} of the first build; {args.new} new = "
              f"{more / first:.1%} (their share of the files: {args.new / args.docs:.1%})")


if __name__ == "__main__":
    main()
