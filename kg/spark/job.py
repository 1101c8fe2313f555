"""The Spark build: `kg spark build INPUT... --out DIR`, or as a spark-submit application:

    spark-submit --archives kgenv.tar.gz#kgenv tools/spark/kg_job.py INPUT... --out DIR [--neo4j-uri URI]

(docs/scale.md: the packed environment holds the wheel and the spaCy model.)

Writes DIR/records (extraction records, JSONL, in `kg extract` order across the part files),
DIR/graph (N-Quads: one named graph per document, plus the sector scheme and the ontology,
as `kg export --format nq` of a `kg build`), and, with a Neo4j URI, the graph into Neo4j."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError, UsageError
from kg.record.schema import Record
from kg.spark import outputs
from kg.spark.extract import extract_partition
from kg.spark.inputs import list_inputs, read_items
from kg.spark.resolve import resolve
from kg.spark.to_neo4j import Neo4jTarget


@dataclass
class SparkResult:
    documents: int = 0
    entities: int = 0
    relations: int = 0
    quads: int = 0
    failed: list[str] = field(default_factory=list)
    out: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage

    def __str__(self) -> str:
        return (f"Built {self.documents} document(s) with Spark: {self.entities} entity "
                f"mentions, {self.relations} relations, {self.quads} quads -> {self.out}")


def _replace(spark: Any, path: str) -> None:
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if fs.exists(p):
        fs.delete(p, True)


def run(inputs: list[str], out: str, *, model: str | None = None, master: str | None = None,
        partitions: int = 4, batch_size: int = 16, neo4j: Neo4jTarget | None = None,
        neo4j_batch: int = 500, report: Callable[[str], None] = lambda _m: None,
        spark: Any = None) -> SparkResult:
    """Run the whole build on Spark; errors per document are reported and the rest goes on."""
    from kg.spark import to_neo4j as neo
    from kg.spark.session import get_session

    if not inputs:
        raise UsageError("no input given")
    if neo4j is not None:
        neo.check(neo4j)  # one clear line before any Spark work when Neo4j is unreachable
    spark = spark or get_session(master, partitions=partitions)
    result = SparkResult(out=out)
    listing = list_inputs(spark, inputs)
    for p in listing.missing:
        report(f"Error: {p}: no such file or folder")
        result.failed.append(p)
    for problem in listing.problems:
        report(problem)
        result.failed.append(problem)

    if not listing.texts and not listing.articles:
        return result
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        result.seconds[name] = round(now - clock[0], 2)
        clock[0] = now

    items = read_items(spark, listing, partitions)
    extracted = items.mapPartitions(
        lambda it: extract_partition(it, model, batch_size)).persist()
    for _order, _kind, message in sorted(extracted.filter(lambda t: t[1] == "err").collect(),
                                         key=lambda t: t[0]):
        report(message)
        result.failed.append(message)
    lap("extract")
    ordered = extracted.filter(lambda t: t[1] == "rec").map(lambda t: (t[0], t[2])) \
        .sortByKey(numPartitions=partitions).persist()
    _replace(spark, out + "/records")
    ordered.values().saveAsTextFile(out + "/records")
    lap("records")

    records = ordered.values().map(_record).zipWithIndex().map(lambda kv: (kv[1], kv[0])) \
        .persist()
    graphs = resolve(records, partitions).persist()
    quads = spark.sparkContext.accumulator(0)

    def doc_lines(g: Any) -> list[str]:
        lines = outputs.nquad_lines(g)
        quads.add(len(lines))
        return lines

    lines = graphs.sortByKey(numPartitions=partitions).flatMap(lambda kv: doc_lines(kv[1]))
    static = spark.sparkContext.parallelize(outputs.static_lines(), 1)
    _replace(spark, out + "/graph")
    lines.union(static).saveAsTextFile(out + "/graph")

    counts = graphs.map(lambda kv: (len(kv[1].nodes), len(kv[1].edges))).fold(
        (0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    result.entities, result.relations = counts
    result.documents = ordered.count()
    result.quads = quads.value + static.count()
    lap("resolve+graph")

    if neo4j is not None:
        nodes = graphs.flatMap(lambda kv: outputs.node_parts(*kv)).groupByKey(partitions) \
            .map(lambda kv: outputs.merge_nodes(kv[1]))
        rels = graphs.flatMap(lambda kv: outputs.edge_parts(kv[1])).groupByKey(partitions) \
            .map(lambda kv: outputs.rel_group(kv[0], kv[1]))
        docs = graphs.map(lambda kv: outputs.doc_part(kv[1]))
        mentions = graphs.flatMap(lambda kv: outputs.mention_parts(kv[1]))
        neo.write(spark, nodes, docs, mentions, rels, neo4j, batch=neo4j_batch)
        lap("neo4j")
    return result


def _record(line: str) -> Record:
    return Record.from_json(json.loads(line))


def main(argv: list[str] | None = None) -> int:
    """spark-submit entry point (the `kg spark build` options, argparse: no click needed)."""
    ap = argparse.ArgumentParser(prog="kg.spark.job", description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", help="files or folders on any Hadoop file system")
    ap.add_argument("--out", required=True, help="output folder (records/, graph/)")
    ap.add_argument("--model", default=os.environ.get("KG_MODEL"))
    ap.add_argument("--master", default=None, help="e.g. local[2]; spark-submit sets it")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI"))
    ap.add_argument("--neo4j-username", default=os.environ.get("NEO4J_USERNAME", "neo4j"))
    ap.add_argument("--neo4j-database", default=os.environ.get("NEO4J_DATABASE", "neo4j"))
    args = ap.parse_args(argv)
    target = Neo4jTarget(args.neo4j_uri, args.neo4j_username, os.environ.get("NEO4J_PASSWORD"),
                         args.neo4j_database) if args.neo4j_uri else None

    def report(msg: str) -> None:
        print(msg, file=sys.stderr)

    try:
        result = run(args.inputs, args.out, model=args.model, master=args.master,
                     partitions=args.partitions, batch_size=args.batch_size, neo4j=target,
                     report=report)
    except UsageError as exc:
        report(f"Error: {exc}")
        return 2
    except KgError as exc:
        report(f"Error: {exc}")
        return 1
    report(str(result))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
