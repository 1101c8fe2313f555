#!/usr/bin/env bash
# Fetch the Neo4j Connector for Apache Spark (Maven Central, tools/spark/pom.xml) into .spark/jars,
# where kg.spark.session finds it (or set KG_SPARK_JARS). The jar is shaded: no other deps needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ls .spark/jars/neo4j-connector-apache-spark_*.jar >/dev/null 2>&1; then exit 0; fi
mkdir -p .spark/jars
mvn -q -B -f tools/spark/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$PWD/.spark/jars" -DexcludeTransitive=true
echo "Neo4j Spark connector in .spark/jars"
