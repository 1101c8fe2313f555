"""kg: a knowledge graph of institutional cooperation, built from news text."""

__version__ = "0.1.0"
