"""What Neo4j Browser shows on connecting to a kg server: the ontology's style (the GraSS of
`kg neo4j style`) and a guide with starter queries, both served from a local folder and
applied by the server's `browser.post_connect_cmd`. Labels and types come from the ontology."""

from __future__ import annotations

import html
from pathlib import Path

from kg.backends.neo4j.style import grass
from ontology.vocab import vocabulary

STYLE_FILE = "kg.grass"
GUIDE_FILE = "kg-guide.html"


def starter_queries() -> list[tuple[str, str]]:
    """(what it asks, Cypher) for the guide and the README."""
    voc = vocabulary()
    inst, agr, person = (voc.entity_types[t].neo4j for t in ("Institution", "Agreement", "Person"))
    party, pos = voc.predicates["PARTY_TO"].neo4j, voc.predicates["HOLDS_POSITION"].neo4j
    sector, covers = voc.entity_types["Sector"].neo4j, voc.predicates["COVERS_SECTOR"].neo4j
    return [
        ("Who cooperates with whom, through which agreements",
         f"MATCH p=(:{inst})-[:{party}]->(:{agr})<-[:{party}]-(:{inst}) RETURN p LIMIT 50"),
        ("People, their titles and institutions",
         f"MATCH p=(:{person})-[:{pos}]->(:{inst}) RETURN p LIMIT 50"),
        ("Agreements and the sectors they cover",
         f"MATCH p=(:{agr})-[:{covers}]->(:{sector}) RETURN p LIMIT 50"),
        ("Newest agreements, with the documents that report them",
         f"MATCH (a:{agr}) WHERE a.date IS NOT NULL "
         f"OPTIONAL MATCH (d:{voc.document.neo4j})-[:{voc.mentions.neo4j}]->(a) "
         "RETURN a.date AS date, a.name AS agreement, d.title AS title, d.url AS url "
         "ORDER BY date DESC LIMIT 20"),
        ("Why is this edge here?",
         f"MATCH (s)-[r:{party}]->(a:{agr}) "
         "RETURN s.name, a.name, r.evidence, r.docs, r.confidence LIMIT 25"),
    ]


def guide_html() -> str:
    """A Browser guide (`:play URL`): one slide with every starter query, each put into the
    editor by a click."""
    blocks = "\n".join(
        f"""        <h4>{html.escape(title)}</h4>
        <pre class="pre-scrollable code runnable">{html.escape(cypher)}</pre>"""
        for title, cypher in starter_queries())
    return f"""<article class="guide">
  <carousel class="deck container-fluid">
    <slide class="row-fluid">
      <div class="col-sm-12">
        <h3>kg: who cooperates with whom</h3>
        <p class="lead">Institutions, people, agreements, sectors and places read from news,
        with the sentence behind every edge; colours are the ontology's (kg neo4j style).
        Click a query to put it in the editor, then run it.</p>
{blocks}
      </div>
    </slide>
  </carousel>
</article>
"""


def write_assets(folder: Path) -> list[Path]:
    """The style and the guide as files, for a local web server to serve."""
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / STYLE_FILE, folder / GUIDE_FILE]
    out[0].write_text(grass(), encoding="utf-8")
    out[1].write_text(guide_html(), encoding="utf-8")
    return out


def browser_settings(base_url: str) -> dict[str, str]:
    """neo4j.conf settings that apply the style and open the guide when the Browser connects;
    `base_url` is where `write_assets`' folder is served (its host must be allowlisted)."""
    from urllib.parse import urlparse

    host = urlparse(base_url).hostname or "localhost"
    base = base_url.rstrip("/")
    return {
        "browser.post_connect_cmd": f"style {base}/{STYLE_FILE}; play {base}/{GUIDE_FILE}",
        # Neo4j 5.26 declares it under its old name (the Browser reads the same key)
        "browser.remote_content_hostname_whitelist": ",".join(dict.fromkeys([host, "localhost",
                                                                     "127.0.0.1"])),
        "client.allow_telemetry": "false",  # no product analytics from the Browser
    }
