"""kg viz: the graph as one self-contained HTML page. The page inlines the vendored
Cytoscape.js and the graph data, so it opens from disk with no network; positions are computed
here (deterministic, and a 5,000-node graph opens without a long in-browser layout)."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import KgError, UsageError
from kg.query.saved import match_entity
from kg.resolve.graph import Edge, Node
from ontology.vocab import vocabulary

DOCUMENT_SLUG = re.compile(r"[^/#]+$")


@dataclass
class VizGraph:
    """What the page shows: entities and one edge per (subject, predicate, object, title),
    each edge carrying every piece of its evidence."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)


def viz_graph(nodes: list[Node], edges: list[Edge], docs: list[dict[str, Any]]) -> VizGraph:
    voc = vocabulary()
    slug = {d["iri"]: d["slug"] for d in docs}
    # what the evidence panel says about a document besides its name: title, date, URL
    about = {d["slug"]: {k: d[k] for k in ("title", "published", "url") if d.get(k)}
             for d in docs}
    mentioned: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        for m in d.get("mentions", []):
            mentioned[m].append(d["slug"])
    grouped: dict[tuple[str, str, str, str], list[Edge]] = defaultdict(list)
    for e in edges:
        grouped[e.key].append(e)
    known = {n.iri for n in nodes}
    out = VizGraph()
    for i, (key, es) in enumerate(sorted(grouped.items())):
        s, p, o, title = key
        if s not in known or o not in known:
            continue
        evidence = sorted({(slug.get(e.doc, _tail(e.doc)), e.sentence if e.sentence is not None
                            else -1, e.evidence, round(float(e.confidence), 3)) for e in es})
        out.edges.append({
            "id": f"r{i}", "source": s, "target": o, "predicate": p,
            "label": title or voc.predicates[p].neo4j, "title": title or None,
            "confidence": max(ev[3] for ev in evidence),
            "evidence": [{"doc": d, "sentence": n, "text": t, "confidence": c,
                          **about.get(d, {})} for d, n, t, c in evidence]})
    degree = _degrees(out.edges)
    sectors = _sectors_by_node(out.edges, {n.iri: n for n in nodes})
    for n in sorted(nodes, key=lambda n: n.iri):
        term = voc.subtypes.get(n.subtype or "") or voc.entity_types[n.type]
        out.nodes.append({
            "id": n.iri, "name": n.name, "type": n.type, "subtype": n.subtype,
            "label": term.neo4j, "color": term.color or "#A5ABB6",
            "aliases": sorted(n.aliases - {n.name}), "kind": n.kind, "status": n.status,
            "date": n.date, "degree": degree[n.iri], "docs": sorted(set(mentioned[n.iri])),
            "sectors": sorted(sectors.get(n.iri, set()))})
    return out


def _degrees(edges: list[dict[str, Any]]) -> dict[str, int]:
    deg: dict[str, int] = defaultdict(int)
    for e in edges:
        deg[e["source"]] += 1
        deg[e["target"]] += 1
    return deg


def _tail(iri: str) -> str:
    m = DOCUMENT_SLUG.search(iri)
    return m.group(0) if m else iri


def _sectors_by_node(edges: list[dict[str, Any]], nodes: dict[str, Node]) -> dict[str, set[str]]:
    """A node belongs to a sector when it is the sector, an agreement covering it, or one step
    from such an agreement (its parties, what it establishes)."""
    covers = "COVERS_SECTOR"
    out: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["predicate"] == covers and e["target"] in nodes:
            name = nodes[e["target"]].name
            out[e["source"]].add(name)
            out[e["target"]].add(name)
    for n in nodes.values():
        if n.type == "Sector":
            out[n.iri].add(n.name)
    agreement_sectors = {k: set(v) for k, v in out.items()
                         if k in nodes and nodes[k].type == "Agreement"}
    for e in edges:
        for a, other in ((e["source"], e["target"]), (e["target"], e["source"])):
            if a in agreement_sectors:
                out[other] |= agreement_sectors[a]
    return out


def neighbourhood(g: VizGraph, focus: str, depth: int) -> VizGraph:
    """The focus entity (matched like kg query: name or alias, no accents needed) and
    everything within `depth` relations of it."""
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    cands = [(n["id"], n["name"], n["aliases"]) for n in g.nodes]
    start = match_entity(focus, cands)
    if start is None:
        raise UsageError(f"No entity named {focus!r} in the graph")
    adj: dict[str, set[str]] = defaultdict(set)
    for e in g.edges:
        adj[e["source"]].add(e["target"])
        adj[e["target"]].add(e["source"])
    keep, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {m for n in frontier for m in adj[n]} - keep
        keep |= frontier
    edges = [e for e in g.edges if e["source"] in keep and e["target"] in keep]
    nodes = [dict(n, focus=n["id"] == start) for n in g.nodes if n["id"] in keep]
    deg = _degrees(edges)
    for n in nodes:
        n["degree"] = deg[n["id"]]
    return VizGraph(nodes=nodes, edges=edges)


SAMPLE_ABOVE = 1500
SAMPLE = 300
GRAVITY = 0.8


def layout(g: VizGraph, seed: int = 7) -> None:
    """Fruchterman-Reingold in numpy, repulsion in row blocks so memory stays bounded at
    thousands of nodes; a weak pull to the centre keeps separate components in view."""
    n = len(g.nodes)
    if n == 0:
        return
    index = {node["id"]: i for i, node in enumerate(g.nodes)}
    src = np.array([index[e["source"]] for e in g.edges], dtype=np.int64)
    dst = np.array([index[e["target"]] for e in g.edges], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * math.sqrt(n)
    k = 1.0
    iterations = 80 if n <= 1000 else 50
    temp = math.sqrt(n) / 4
    exact = n <= SAMPLE_ABOVE
    block = max(1, 2_000_000 // n)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        if exact:
            for a in range(0, n, block):
                disp[a:a + block] += _repulsion(pos[a:a + block], pos, k)
        else:  # a fresh random sample of repelling nodes each round, scaled up to all of them
            others = pos[rng.choice(n, SAMPLE, replace=False)]
            disp += _repulsion(pos, others, k) * (n / SAMPLE)
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.maximum(np.sqrt((d * d).sum(-1)), 1e-4)
            f = d * (dist / k)[:, None]
            np.add.at(disp, src, -f)
            np.add.at(disp, dst, f)
        disp -= pos * GRAVITY
        length = np.maximum(np.sqrt((disp * disp).sum(-1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp = max(temp * 0.93, 0.01)
    pos -= pos.mean(0)
    scale = 90.0
    for node, (x, y) in zip(g.nodes, pos, strict=True):
        node["x"], node["y"] = round(float(x) * scale, 1), round(float(y) * scale, 1)


def _repulsion(these: np.ndarray, others: np.ndarray, k: float) -> np.ndarray:
    d = these[:, None, :] - others[None, :, :]
    dist2 = np.maximum((d * d).sum(-1), 1e-4)
    return (d * (k * k / dist2)[..., None]).sum(1)


def legend() -> list[dict[str, Any]]:
    """Entity types (the filters) with the Institution subtypes under their parent."""
    voc = vocabulary()
    subs = [{"type": j, "label": t.label, "color": t.color or "#A5ABB6"}
            for j, t in voc.subtypes.items()]
    return [{"type": j, "label": t.label, "color": t.color or "#A5ABB6",
             "subtypes": subs if j == "Institution" else []}
            for j, t in voc.entity_types.items()]


PLACEHOLDER = re.compile(r"/\*KG_(LIB|DATA|TITLE)\*/")


def _script_safe(text: str) -> str:
    """JSON inside <script>: with every <, > and & escaped no tag or comment can start, and it
    is still JSON; the JS line separators are escaped for older parsers."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(g: VizGraph, title: str = "kg graph") -> str:
    layout(g)
    data = {"nodes": g.nodes, "edges": g.edges, "types": legend(), "title": title,
            "sectors": sorted({s for n in g.nodes for s in n["sectors"]})}
    parts = {
        "LIB": resources.files("kg.viz.vendor").joinpath("cytoscape.min.js").read_text("utf-8"),
        "DATA": _script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        "TITLE": _html_escape(title),
    }
    template = resources.files("kg.viz").joinpath("viz.html").read_text("utf-8")
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def _html_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def write_page(backend: Any, output: Path, *, focus: str | None = None, depth: int = 2,
               title: str | None = None) -> tuple[int, int]:
    """Read the graph from any backend and write the page; returns (nodes, relationships)."""
    g = viz_graph(*backend.read_graph())
    if focus:
        g = neighbourhood(g, focus, depth)
    html = render_html(g, title or (f"kg graph: {focus}" if focus else "kg graph"))
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise KgError(f"{output}: {exc.strerror or exc}") from None
    return len(g.nodes), len(g.edges)
