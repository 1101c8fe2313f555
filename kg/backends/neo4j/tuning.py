"""The Neo4j loader's batch sizes, apart from the loader so the CLI can show the default
without importing the driver. Measured with `python benchmarks/neo4j_bench.py batches`
(README, "Scale and benchmarks")."""

# Rows per UNWIND statement.
BATCH_SIZE = 2_000
# Rows per write transaction (several statements share one commit).
TX_ROWS = 20_000
