"""Writing the graph into Neo4j through the official Neo4j Connector for Apache Spark.

Same constraints (created first, by `Neo4jStore.ensure_constraints`) and the same MERGE
statements as `kg load neo4j` (kg.backends.neo4j.store), run by the connector's `query` write
mode one row per event: writing twice changes nothing. Nodes first, then documents with their
MENTIONS, then relationships; each write in one partition (parallel MERGEs of relationships
on shared nodes deadlock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.backends.mapping import XSD, Column, mapping
from kg.backends.neo4j.store import (
    ROWS,
    Neo4jStore,
    doc_cypher,
    mention_cypher,
    node_cypher,
    q,
    rel_cypher,
)
from kg.spark.session import DATA_SOURCE

PROP = "p_"


@dataclass
class Neo4jTarget:
    uri: str
    user: str
    password: str | None
    database: str = "neo4j"
    source: str = "spark"  # the mark the written nodes and relationships carry (kg_stores)


def literal(value: str) -> str:
    """A Cypher string literal (the connector's query mode takes no parameters)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def event_cypher(cypher: str, columns: list[str], source: str = "spark") -> str:
    """A batched `UNWIND $rows AS row ...` statement as the connector's per-event query.

    The connector hands each row over as flat columns (a struct column does not arrive as a
    map), so the row map the statement expects is rebuilt first: `p_NAME` columns become
    `row.props.NAME`, the others stay as they are."""
    assert cypher.startswith(ROWS)
    plain = [c for c in columns if not c.startswith(PROP)]
    props = [c for c in columns if c.startswith(PROP)]
    fields = [f"{q(c)}: e.{q(c)}" for c in plain]
    if props:
        fields.append("props: {" + ", ".join(f"{q(c[len(PROP):])}: e.{q(c)}" for c in props)
                      + "}")
    body = cypher[len(ROWS):].replace("$src", literal(source))  # the writer's mark (KG_MARK)
    return "WITH event AS e WITH {" + ", ".join(fields) + "} AS row " + body


def check(target: Neo4jTarget) -> None:
    """Fail fast with one line (unreachable, refused credentials), create the constraints and
    clear the last `kg load`'s digest (this job writes without it), before any Spark work."""
    with Neo4jStore(target.uri, target.user, target.password, target.database) as neo:
        neo.ensure_constraints()
        neo.forget_last_load()


def _spark_type(c: Column, listed: bool) -> Any:
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType

    base = LongType() if c.datatype == XSD + "integer" else \
        DoubleType() if c.datatype == XSD + "decimal" else StringType()
    return ArrayType(base) if listed or c.many else base


def _props(fields: list[tuple[str, Any]]) -> list[Any]:
    from pyspark.sql.types import StructField

    seen: dict[str, Any] = {}
    for name, t in fields:
        seen.setdefault(name, t)
    return [StructField(PROP + n, t) for n, t in seen.items()]


def _schemas() -> dict[str, Any]:
    """The rows of kg.backends.neo4j.store as Spark types, from the ontology's mapping table:
    the `props` map flattened into `p_NAME` columns (see `event_cypher`)."""
    from pyspark.sql.types import StringType, StructField, StructType

    m = mapping()
    s = StringType()
    title, conf = m.column("title"), m.column("confidence")
    node = _props([(c.neo4j, _spark_type(c, False)) for c in m.entity])
    rel = _props([(title.neo4j, _spark_type(title, False)),
                  (conf.neo4j, _spark_type(conf, False)),
                  *[(c.neo4j_list, _spark_type(c, True)) for c in m.statement if c.neo4j_list]])
    doc = _props([*[(c.neo4j, _spark_type(c, False)) for c in m.document], ("name", s)])
    return {
        "node": StructType([StructField("type", s), StructField("subtype", s),
                            StructField("iri", s), *node]),
        "doc": StructType([StructField("iri", s), *doc]),
        "mention": StructType([StructField("label", s), StructField("d", s),
                               StructField("m", s)]),
        "rel": StructType([StructField("predicate", s), StructField("sl", s),
                           StructField("ol", s), StructField("s", s),
                           StructField("o", s), StructField("key", s), *rel]),
    }


def _as_tuple(row: dict[str, Any], schema: Any) -> tuple:
    props = row.get("props") or {}
    return tuple(props.get(n[len(PROP):]) if n.startswith(PROP) else row.get(n)
                 for n in schema.fieldNames())


def _write(df: Any, cypher: str, target: Neo4jTarget, batch: int) -> None:
    (df.coalesce(1).write.format(DATA_SOURCE).mode("Overwrite")
     .option("url", target.uri).option("database", target.database)
     .option("authentication.type", "basic")
     .option("authentication.basic.username", target.user)
     .option("authentication.basic.password", target.password or "")
     .option("batch.size", str(batch))
     .option("query", event_cypher(cypher, df.columns, target.source)).save())


def write(spark: Any, nodes: Any, docs: Any, mentions: Any, rels: Any, target: Neo4jTarget,
          batch: int = 500) -> None:
    """nodes, docs, mentions, rels: RDDs of the row dicts of kg.spark.outputs. Both ends of
    a relationship or a mention are MATCHed by label (the constraints' indexes)."""
    schemas = _schemas()

    def frame(rdd: Any, kind: str) -> Any:
        schema = schemas[kind]
        return spark.createDataFrame(rdd.map(lambda r: _as_tuple(r, schema)), schema).persist()

    node_df = frame(nodes, "node")
    groups = sorted({(r["type"], r["subtype"]) for r in
                     node_df.select("type", "subtype").distinct().collect()},
                    key=lambda g: (g[0], g[1] or ""))
    for etype, sub in groups:
        part = node_df.filter(node_df.type == etype)
        part = part.filter(part.subtype == sub) if sub else part.filter(part.subtype.isNull())
        _write(part.drop("type", "subtype"), node_cypher(etype, sub), target, batch)
    _write(frame(docs, "doc"), doc_cypher(), target, batch)
    mention_df = frame(mentions, "mention")
    for (label,) in sorted(tuple(r) for r in mention_df.select("label").distinct().collect()):
        _write(mention_df.filter(mention_df.label == label).drop("label"),
               mention_cypher(label), target, batch)
    rel_df = frame(rels, "rel")
    for pred, sl, ol in sorted(tuple(r) for r in
                               rel_df.select("predicate", "sl", "ol").distinct().collect()):
        part = rel_df.filter((rel_df.predicate == pred) & (rel_df.sl == sl) & (rel_df.ol == ol))
        _write(part.drop("predicate", "sl", "ol"), rel_cypher(pred, sl, ol), target, batch)
