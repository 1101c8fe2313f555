"""Stage 4, backends: where the resolved graph is stored and read back (RDF, Neo4j)."""
