"""kg: a knowledge graph of institutional cooperation, built from news text.

The public API (see kg.api) is imported lazily, so `import kg` stays cheap for the CLI."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["answer", "build", "evaluate_dir", "export_rdf", "extract", "extract_texts",
           "load_neo4j", "open_backend"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
