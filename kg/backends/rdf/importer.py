"""`kg import`: bulk-load N-Quads (a `kg spark build` graph folder, a `kg export --format nq`
file) into the embedded store, through its staged build: all graphs publish at once or none.

Each named graph replaces the store's graph of that name; the sector scheme and the ontology
are rewritten from the package's own assets as in every build, so their quads are skipped;
default-graph triples have no document and are skipped too (counted). A file that does not
parse is reported with its line and left out whole; the others go on.

The extraction records go into the store too (`records.jsonl`, what `kg store rebuild`
rebuilds from): a Spark output folder (one holding `graph/`) brings its `records/`, and
`--records` names others. Without records the store cannot be rebuilt, and the import says
so."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.backends.rdf.integrity import record_log
from kg.backends.rdf.store import EmbeddedStore, ontology_graph_name, scheme_graph
from kg.errors import InputError, UsageError
from kg.record.schema import read_jsonl


@dataclass
class ImportResult:
    files: int = 0
    graphs: int = 0
    quads: int = 0
    skipped: int = 0
    records: int = 0
    failed: list[str] = field(default_factory=list)
    store: str = ""

    def __str__(self) -> str:
        extra = f" ({self.skipped} default-graph triples skipped)" if self.skipped else ""
        return (f"Imported {self.graphs} graph(s), {self.quads} quads from {self.files} "
                f"file(s), {self.records} extraction record(s) -> {self.store}{extra}")


def spark_layout(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """A Spark output folder (it holds `graph/`) stands for its graph/ and records/."""
    quads, records = [], []
    for p in paths:
        if p.is_dir() and (p / "graph").is_dir():
            quads.append(p / "graph")
            if (p / "records").is_dir():
                records.append(p / "records")
        else:
            quads.append(p)
    return quads, records


def part_files(paths: Iterable[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Files named, and inside folders the part files and files with these endings (not
    _SUCCESS, .crc or hidden files)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += [f for f in sorted(p.rglob("*")) if f.is_file() and not
                    f.name.startswith((".", "_")) and (f.name.startswith("part-") or
                                                       f.suffix.lower() in suffixes)]
        else:
            out.append(p)
    return out


def _read(path: Path) -> list[ox.Quad]:
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    except SyntaxError as exc:
        raise InputError(f"{path}: not N-Quads ({str(exc).splitlines()[0]})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def import_nquads(paths: Iterable[str | Path], store: str | Path | None = None, *,
                  reset: bool = False, records: Iterable[str | Path] = (),
                  report: Callable[[str], None] = lambda _m: None) -> ImportResult:
    result = ImportResult()
    found = []
    for p in [*map(Path, paths), *map(Path, records)]:
        if p.exists():
            found.append(p)
        else:
            report(f"Error: {p}: no such file or folder")
            result.failed.append(str(p))
    named_records = {Path(r) for r in records}
    quad_paths, record_paths = spark_layout([p for p in found if p not in named_records])
    record_paths += [p for p in found if p in named_records]
    files = part_files(quad_paths, (".nq", ".nquads"))
    if not files and not result.failed:
        raise UsageError("no N-Quads files found in the paths given")
    fixed = {scheme_graph(), ontology_graph_name()}
    with EmbeddedStore(store, create=True) as st, record_log(st.path, reset) as kept, \
            st.build(reset=reset) as b:
        for f in part_files(record_paths, (".jsonl",)):
            try:
                for rec in read_jsonl(f):
                    kept.add(rec)
                    result.records += 1
            except InputError as exc:
                raise InputError(f"{exc} (nothing was imported)") from None
        for f in files:
            try:
                quads = _read(f)
            except InputError as exc:
                report(f"Error: {exc}")
                result.failed.append(str(f))
                continue
            result.files += 1
            by_graph: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
            for q in quads:
                if isinstance(q.graph_name, ox.NamedNode):
                    if q.graph_name not in fixed:
                        by_graph[q.graph_name].append(q)
                else:
                    result.skipped += 1
            for g, qs in by_graph.items():
                b.stage_quads(g.value, qs)
                result.quads += len(qs)
        result.graphs = len(b.staged)
        result.store = str(st.path)
    if not result.records:
        report("Warning: no extraction records imported, so 'kg store rebuild' cannot rebuild "
               "this store (import the Spark output folder, or name its records/ with --records)")
    return result
