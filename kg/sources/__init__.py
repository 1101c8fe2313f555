"""Stage 1, sources: which input files are read, how they are decoded, what is refused."""
