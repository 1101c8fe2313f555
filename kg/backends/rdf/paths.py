"""Where the embedded store lives by default: light to import, so a command that only reads
a kept answer (kg.query.saved.answer_at) finds the store without loading the store's code."""

from __future__ import annotations

import os
from pathlib import Path


def default_store_path() -> Path:
    return Path(os.environ.get("KG_STORE") or ".kg/store")
