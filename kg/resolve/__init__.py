"""Stage 3, resolution: records become one graph with stable IRIs across documents."""
