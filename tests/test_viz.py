"""kg viz: the page is self-contained, shows exactly the graph, and a real headless Chromium
(Debian's package, never a downloaded browser) renders it, clicks a node and finds its
evidence. The screenshot lands in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, invoke

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags of shared/notes: no sandbox as root, and no background traffic on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"
# An article whose evidence sentence carries markup: it must stay text in the page.
HOSTILE = ("Hanoi Institute of Technology signed a cooperation agreement with Lotus Robotics "
           "Company on robotics </script><script>window.pwned=1</script> <!-- <img src=x "
           "onerror=window.pwned=2>.\n")


def stats(runner, store: Path) -> dict:
    return json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)


def page_data(html: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page carries its data inline"
    return json.loads(m.group(1))


def test_page_is_self_contained_and_matches_the_graph(runner, built_store, tmp_path):
    out = tmp_path / "graph.html"
    res = invoke(runner, ["viz", "-o", str(out), "--store", str(built_store)])
    assert res.stdout == ""  # the page goes to the file, the summary to stderr
    html = out.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no network fetch"
    assert "cytoscape" in html and len(html) > 300_000  # the library is inlined
    data = page_data(html)
    st = stats(runner, built_store)
    assert len(data["nodes"]) == sum(st["entities"].values())
    assert len(data["edges"]) == sum(st["relations"].values())
    assert f"{len(data['nodes'])} nodes, {len(data['edges'])} relationships" in res.stderr
    # colours are the Neo4j Browser style's (both read kgo:color)
    grass = invoke(runner, ["neo4j", "style"]).stdout
    for n in data["nodes"]:
        assert f"node.{n['label']} {{\n  color: {n['color']};" in grass
    # every relation carries its evidence with document and confidence
    for e in data["edges"]:
        assert e["evidence"] and all(ev["text"] and ev["doc"] and 0 < ev["confidence"] <= 1
                                     for ev in e["evidence"])
    # same input, same page
    again = tmp_path / "again.html"
    invoke(runner, ["viz", "-o", str(again), "--store", str(built_store)])
    assert again.read_text("utf-8") == html


def test_focus_keeps_the_neighbourhood_only(runner, built_store, tmp_path):
    out = tmp_path / "focus.html"
    invoke(runner, ["viz", "-o", str(out), "--store", str(built_store), "--focus", "VNU",
                    "--depth", "1"])
    data = page_data(out.read_text("utf-8"))
    focus = [n for n in data["nodes"] if n.get("focus")]
    assert [n["name"] for n in focus] == ["Vietnam National University, Hanoi"]
    fid = focus[0]["id"]
    assert data["edges"] and all(fid in (e["source"], e["target"]) for e in data["edges"])
    assert {n["id"] for n in data["nodes"]} == \
        {fid} | {e["source"] for e in data["edges"]} | {e["target"] for e in data["edges"]}
    invoke(runner, ["viz", "-o", str(out), "--store", str(built_store), "--focus", "VNU",
                    "--depth", "2"])
    assert len(page_data(out.read_text("utf-8"))["nodes"]) > len(data["nodes"])


def test_unknown_focus_and_empty_store_are_clear_errors(runner, built_store, tmp_path):
    res = invoke(runner, ["viz", "-o", str(tmp_path / "x.html"), "--store", str(built_store),
                          "--focus", "No Such Org"], ok=False)
    assert res.exit_code == 2 and "No entity named 'No Such Org'" in res.stderr
    assert not (tmp_path / "x.html").exists()
    res = invoke(runner, ["viz", "-o", str(tmp_path / "y.html"), "--store",
                          str(tmp_path / "nothing")], ok=False)
    assert res.exit_code == 1 and "Traceback" not in res.output


@pytest.mark.neo4j
def test_neo4j_backend_draws_the_same_graph(runner, built_store, clean_neo4j, neo4j_env,
                                            tmp_path):
    invoke(runner, ["load", "neo4j", "--store", str(built_store), "-q"], env=neo4j_env)
    rdf, neo = tmp_path / "rdf.html", tmp_path / "neo.html"
    invoke(runner, ["viz", "-o", str(rdf), "--store", str(built_store)])
    invoke(runner, ["viz", "-o", str(neo), "--backend", "neo4j"], env=neo4j_env)

    def shape(path: Path) -> tuple:
        d = page_data(path.read_text("utf-8"))
        nodes = sorted((n["id"], n["name"], n["type"], n["subtype"], tuple(n["aliases"]),
                        n["degree"], tuple(n["docs"]), tuple(n["sectors"])) for n in d["nodes"])
        edges = sorted((e["source"], e["predicate"], e["target"], e["title"] or "",
                        json.dumps(e["evidence"], sort_keys=True)) for e in d["edges"])
        return nodes, edges

    assert shape(rdf) == shape(neo)


def test_hostile_text_stays_text(runner, tmp_path):
    """Evidence containing markup must not end the data script or run as HTML."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    store = tmp_path / "store"
    invoke(runner, ["build", str(src), "--store", str(store), "-q"])
    out = tmp_path / "h.html"
    invoke(runner, ["viz", "-o", str(out), "--store", str(store)])
    html = out.read_text("utf-8")
    data = page_data(html)
    assert any("</script><script>window.pwned=1" in ev["text"]
               for e in data["edges"] for ev in e["evidence"])
    assert "<script>window.pwned" not in html and "<img src=x" not in html


# --------------------------------------------------------------------------- real browser

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith("file:") else None)
    page.on("pageerror", lambda exc: remote.append(f"page error: {exc}"))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    return page, remote


@pytest.mark.browser
def test_browser_renders_every_node_and_edge_and_shows_evidence_on_click(
        runner, browser, tmp_path):
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    (src / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    store = tmp_path / "store"
    invoke(runner, ["build", str(src), "--store", str(store), "-q"])
    out = tmp_path / "graph.html"
    invoke(runner, ["viz", "-o", str(out), "--store", str(store)])
    st = stats(runner, store)
    n_nodes, n_edges = sum(st["entities"].values()), sum(st["relations"].values())

    page, remote = open_page(browser, out)
    assert remote == []  # nothing fetched, no script error
    assert page.evaluate("window.pwned") is None
    counts = page.evaluate("""() => {
        const cy = kgViz.cy, ext = cy.extent();
        const inView = n => { const p = n.position();
            return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2; };
        return {nodes: cy.nodes(':visible').filter(inView).length,
                edges: cy.edges(':visible').length};
    }""")
    assert counts == {"nodes": n_nodes, "edges": n_edges}
    assert page.inner_text("#counts") == \
        f"{n_nodes} of {n_nodes} nodes, {n_edges} of {n_edges} relationships"

    # click the person node holding a position: its evidence appears in the side panel
    why = json.loads(invoke(runner, ["why", "Nguyen Hoang Nam", "HOLDS_POSITION", "--store",
                                     str(store), "--format", "json"]).stdout)
    sentence = why[0]["evidence"]
    node_id = page.evaluate("""name => kgViz.data.nodes.find(n => n.name === name).id""",
                            "Nguyễn Hoàng Nam")
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate("id => kgViz.cy.getElementById(id).renderedPosition()", node_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("#panel h2")
    panel = page.inner_text("#panel")
    assert panel.startswith("Nguyễn Hoàng Nam")
    assert sentence in panel and "HOLDS_POSITION (Vice President)" in panel
    assert "confidence" in panel

    # the type filter hides exactly that type; the search box finds names without accents
    page.locator("#types input[value='Person']").uncheck()
    assert page.evaluate("kgViz.cy.nodes(':visible').length") == n_nodes - st["entities"]["Person"]
    page.locator("#types input[value='Person']").check()
    page.fill("#search", "nguyen hoang")
    assert page.evaluate("kgViz.cy.nodes('.hit').map(n => n.data('name'))") == ["Nguyễn Hoàng Nam"]
    page.fill("#search", "")
    page.select_option("#sector", "Healthcare")
    shown = page.evaluate("kgViz.cy.nodes(':visible').map(n => n.data('name'))")
    assert "Healthcare" in shown and len(shown) < n_nodes
    page.select_option("#sector", "")
    page.locator("#fit").click()
    pos = page.evaluate("id => kgViz.cy.getElementById(id).renderedPosition()", node_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert sentence in page.inner_text("#panel")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz.png"))
    assert (ARTIFACTS / "viz.png").stat().st_size > 20_000


@pytest.mark.browser
@pytest.mark.slow
def test_browser_stays_usable_at_5000_nodes(browser, tmp_path):
    """A synthetic 5,000-node graph: the page opens, shows every node, zooms and pans."""
    import random

    from kg.viz.page import VizGraph, render_html

    rnd = random.Random(3)
    nodes = [{"id": f"n{i}", "name": f"Org {i}", "type": "Institution", "subtype": None,
              "label": "Institution", "color": "#4C8EDA", "aliases": [], "kind": None,
              "status": None, "date": None, "degree": 1, "docs": ["d"], "sectors": []}
             for i in range(5000)]
    edges = [{"id": f"r{i}", "source": f"n{i}", "target": f"n{rnd.randrange(max(0, i - 40), i)}",
              "predicate": "PARTNER_OF", "label": "PARTNER_OF", "title": None,
              "confidence": 0.8, "evidence": [{"doc": "d", "sentence": 0, "text": f"s{i}",
                                               "confidence": 0.8}]}
             for i in range(1, 5000)]
    out = tmp_path / "big.html"
    out.write_text(render_html(VizGraph(nodes, edges)), encoding="utf-8")
    page, remote = open_page(browser, out)
    assert remote == []
    assert page.evaluate("[kgViz.cy.nodes().length, kgViz.cy.edges().length]") == [5000, 4999]
    page.mouse.move(500, 450)
    page.mouse.wheel(0, -600)
    page.fill("#search", "Org 4321")
    assert page.evaluate("kgViz.cy.nodes('.hit').length") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-5000.png"))
