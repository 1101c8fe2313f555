"""A SparkSession with the Neo4j connector on its class path.

The connector (Maven Central, `tools/spark/pom.xml`) is found in KG_SPARK_JARS (a folder of
jars) or the checkout's `.spark/jars`, fetched by `tools/spark/fetch.sh`; on a cluster pass
`--packages` to spark-submit instead (docs/scale.md)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from kg.errors import UsageError

CONNECTOR = "org.neo4j:neo4j-connector-apache-spark_2.12:5.0.3_for_spark_3"
DATA_SOURCE = "org.neo4j.spark.DataSource"


def connector_jars() -> list[str]:
    """The local connector jars, if fetched (empty when the cluster provides them)."""
    folder = os.environ.get("KG_SPARK_JARS")
    roots = [Path(folder)] if folder else \
        [Path(__file__).resolve().parents[2] / ".spark" / "jars", Path.cwd() / ".spark" / "jars"]
    for root in roots:  # the checkout's (run from a checkout), the current folder's (installed)
        if root.is_dir() and any(root.glob("*.jar")):
            return sorted(str(p) for p in root.glob("*.jar"))
    return []


def get_session(master: str | None = None, app: str = "kg-build",
                partitions: int | None = None) -> Any:
    """The active session, or a new one (`master` only applies to a new one: spark-submit
    sets it itself). Small shuffles: a build's rows are few per document."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("pyspark is not installed: pip install 'kg-cooperation[spark]'") \
            from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise UsageError("Spark needs Java 17 (java on PATH or JAVA_HOME)")

    # workers run this interpreter (the one with kg and spaCy) unless the cluster says otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    jars = connector_jars()
    if jars:
        builder = builder.config("spark.jars", ",".join(jars))
    n = str(partitions or 4)
    builder = (builder.config("spark.sql.shuffle.partitions", n)
               .config("spark.default.parallelism", n)
               .config("spark.ui.enabled", os.environ.get("KG_SPARK_UI", "false"))
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.python.worker.reuse", "true"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("KG_SPARK_LOG", "ERROR"))
    return spark
