"""Stage 5, pictures: the graph as one self-contained interactive HTML page."""
