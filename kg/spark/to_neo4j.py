"""Writing the graph into Neo4j through the official Neo4j Connector for Apache Spark.

Same constraints (created first, by `Neo4jStore.ensure_constraints`) and the same MERGE
statements as `kg load neo4j` (kg.backends.neo4j.store), run by the connector's `query` write
mode one row per event: writing twice changes nothing. Nodes first, then documents with their
MENTIONS, then relationships; each write in one partition (parallel MERGEs of relationships
on shared nodes deadlock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.backends.neo4j.store import ROWS, Neo4jStore, doc_cypher, node_cypher, rel_cypher
from kg.spark.session import DATA_SOURCE


@dataclass
class Neo4jTarget:
    uri: str
    user: str
    password: str | None
    database: str = "neo4j"


def event_cypher(cypher: str) -> str:
    """A batched `UNWIND $rows AS row ...` statement as the connector's per-event query."""
    assert cypher.startswith(ROWS)
    return "WITH event AS row " + cypher[len(ROWS):]


def check(target: Neo4jTarget) -> None:
    """Fail fast with one line (unreachable, refused credentials) and create the constraints,
    before any Spark work."""
    with Neo4jStore(target.uri, target.user, target.password, target.database) as neo:
        neo.ensure_constraints()


def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

    s, a = StringType(), ArrayType(StringType())
    return {
        "node": StructType([StructField(n, t) for n, t in (
            ("type", s), ("subtype", s), ("iri", s), ("name", s), ("aliases", a), ("kind", s),
            ("status", s), ("date", s))]),
        "doc": StructType([StructField(n, t) for n, t in (
            ("iri", s), ("slug", s), ("sha256", s), ("headline", s), ("chars", LongType()),
            ("mentions", a))]),
        "rel": StructType([StructField(n, t) for n, t in (
            ("predicate", s), ("s", s), ("o", s), ("key", s), ("title", s), ("evidence", a),
            ("docs", a), ("confidences", ArrayType(DoubleType())),
            ("sentences", ArrayType(LongType())), ("confidence", DoubleType()))]),
    }


def _write(df: Any, cypher: str, target: Neo4jTarget, batch: int) -> None:
    (df.coalesce(1).write.format(DATA_SOURCE).mode("Overwrite")
     .option("url", target.uri).option("database", target.database)
     .option("authentication.type", "basic")
     .option("authentication.basic.username", target.user)
     .option("authentication.basic.password", target.password or "")
     .option("batch.size", str(batch))
     .option("query", event_cypher(cypher)).save())


def write(spark: Any, nodes: Any, docs: Any, rels: Any, target: Neo4jTarget,
          batch: int = 500) -> None:
    """nodes, docs, rels: RDDs of the row dicts of kg.spark.outputs."""
    schemas = _schemas()

    def frame(rdd: Any, kind: str) -> Any:
        names = schemas[kind].fieldNames()
        return spark.createDataFrame(rdd.map(lambda r: tuple(r[n] for n in names)),
                                     schemas[kind]).persist()

    node_df = frame(nodes, "node")
    groups = sorted({(r["type"], r["subtype"]) for r in
                     node_df.select("type", "subtype").distinct().collect()},
                    key=lambda g: (g[0], g[1] or ""))
    for etype, sub in groups:
        part = node_df.filter(node_df.type == etype)
        part = part.filter(part.subtype == sub) if sub else part.filter(part.subtype.isNull())
        _write(part.drop("type", "subtype"), node_cypher(etype, sub), target, batch)
    _write(frame(docs, "doc"), doc_cypher(), target, max(1, batch // 10))
    rel_df = frame(rels, "rel")
    for (pred,) in sorted(tuple(r) for r in rel_df.select("predicate").distinct().collect()):
        _write(rel_df.filter(rel_df.predicate == pred).drop("predicate"), rel_cypher(pred),
               target, batch)
