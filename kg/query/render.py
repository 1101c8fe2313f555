"""Rows to text: an aligned table, JSON (an array of row objects) or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, dict) for x in v)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)  # nodes, paths: JSON, no repr
    if isinstance(v, list):
        return "; ".join(cell(x) for x in v)
    return str(v)


def render(cols: list[str], rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in cols} for r in rows], ensure_ascii=False,
                          indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([cell(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    table = [[cell(r.get(c)) for c in cols] for r in rows]
    widths = [max([len(c), *(len(t[i]) for t in table)]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)).rstrip()
              for t in table]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
