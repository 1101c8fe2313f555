"""The Neo4j loader's batch size, apart from the loader so the CLI can show the default
without importing the driver.

Rows per write transaction (each UNWIND statement carries at most this many; small groups
share a transaction). 10,000 was the fastest of 500 / 2,000 / 5,000 / 10,000 in
`python benchmarks/neo4j_bench.py batches` (2.3x the old default of 500 on 2,000 synthetic
documents: fewer commits and round trips); larger batches gain little and hold more of the
change in the server's heap (the test server runs with 768 MB). README, "Scale and
benchmarks", has the figures."""

BATCH_SIZE = 10_000
