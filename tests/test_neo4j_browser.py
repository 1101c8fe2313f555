"""Neo4j Browser, verified: the project's server (tests/neo4j_server.py, started as `run` starts
it) serves the Browser at /browser/; on connect it applies kg's style and opens kg's guide
(browser.post_connect_cmd). A real headless Chromium logs in, runs the guide's first starter
query and finds the drawn nodes in the ontology's colours (kgo:color). The screenshot goes to
a temporary file; with KG_UPDATE_SCREENSHOT=1 it replaces docs/neo4j-browser.png, shown in the
README (so a test run leaves the checkout as it was)."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from test_viz import CHROMIUM, CHROMIUM_ARGS

from conftest import ROOT

DOC_SHOT = ROOT / "docs" / "neo4j-browser.png"


@pytest.fixture(scope="module")
def browser_server(built_store):
    import neo4j_server as ns
    from kg.backends.neo4j.store import Neo4jStore
    from kg.backends.rdf.store import EmbeddedStore

    srv = ns.start(browser=True)
    try:
        with EmbeddedStore(built_store, read_only=True) as st, \
                Neo4jStore(srv.uri, "neo4j", srv.password) as neo:
            neo.load(*st.read_graph())
        yield srv
    finally:
        srv.stop()


def _wait(predicate, timeout: float = 60, what: str = "") -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.neo4j
@pytest.mark.browser
@pytest.mark.slow
def test_browser_opens_with_kg_style_and_guide(browser_server, tmp_path):
    from playwright.sync_api import sync_playwright

    from kg.backends.neo4j.browser import starter_queries
    from ontology.vocab import vocabulary

    srv = browser_server
    shot = tmp_path / "neo4j-browser.png"
    bolt = srv.uri.rsplit(":", 1)[1]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"http://127.0.0.1:{srv.http_port}/browser/?dbms=bolt://neo4j@127.0.0.1:"
                  f"{bolt}&preselectAuthMethod=NATIVE", wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid=boltaddress]", timeout=60_000)
        page.select_option("[data-testid=bolt-scheme-select]", "bolt://")
        page.fill("[data-testid=boltaddress]", f"127.0.0.1:{bolt}")
        page.fill("[data-testid=username]", "neo4j")
        page.fill("[data-testid=password]", srv.password)
        page.click("[data-testid=connect]")

        # the post-connect command: kg's style applied, kg's guide opened
        def commands() -> list[str]:
            return page.locator("[data-testid=frameCommand]").all_inner_texts()

        _wait(lambda: any(":style http" in c for c in commands()) and
              any(":play http" in c for c in commands()), what="style and guide frames")
        page.wait_for_selector("text=kg: who cooperates with whom", timeout=30_000)
        frames = page.inner_text("[data-testid=stream]")
        assert "Could not parse grass" not in frames and "not allowed" not in frames

        # the guide's first starter query, typed into the editor and run
        first = starter_queries()[0][1]
        assert first in frames  # the guide shows it
        page.click("[data-testid=activeEditor]")
        page.keyboard.type(first)
        _wait(lambda: "PARTY_TO" in page.inner_text("[data-testid=activeEditor]"),
              what="the starter query in the editor")
        page.click("[data-testid=editor-Run]")
        page.wait_for_selector("g.node circle.b-outline", timeout=60_000)
        time.sleep(3)  # the force layout settles
        fills = set(page.eval_on_selector_all(
            "g.node circle.b-outline", "els => els.map(e => (e.getAttribute('fill') || '')"
            ".toUpperCase())"))
        voc = vocabulary()
        agreement = voc.entity_types["Agreement"].color.upper()
        institution = {t.color.upper() for t in voc.subtypes.values()} | \
            {voc.entity_types["Institution"].color.upper()}
        assert agreement in fills, fills
        assert fills & institution, fills
        assert fills <= institution | {agreement}, fills  # nothing in the Browser's defaults
        page.screenshot(path=str(shot))
        b.close()
    assert shot.stat().st_size > 30_000
    if os.environ.get("KG_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, DOC_SHOT)
