"""Loaders: from news text to extraction records (spaCy model + ontology-driven rules)."""
