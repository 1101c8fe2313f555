"""The build as an Apache Spark job (`kg spark build`, or spark-submit `kg/spark/job.py`):
the same records, IRIs, canonical names and N-Quads as `kg build`, computed on a cluster.

Stages: inputs (list and read any Hadoop file system) -> extract (one spaCy pipeline per
executor process, in mapPartitions) -> resolve (connected components over the resolution keys,
then the single-machine resolver replayed per component, in document order) -> outputs
(records JSONL, N-Quads, Neo4j through the official connector)."""
