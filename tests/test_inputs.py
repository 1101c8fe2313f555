"""Real inputs: saved web pages, JSONL/CSV article dumps, RSS/Atom feeds and text files, read
by ending or --input-format, into one graph whose documents know their URL, title and date
on both backends. Every page, dump and feed here is written by the test, with invented names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke
from kg.sources.registry import Problems, ReadOptions, get, read_documents
from loaders.dates import sentence_date

PAGE = """<!doctype html><html><head><title>Quillon and Marrow sign pact | Harbour Ledger</title>
<meta property="og:title" content="Quillon Robotics and Marrow University sign robotics accord">
<meta property="og:url" content="https://ledger.example.org/2025/03/quillon-marrow">
<meta property="og:site_name" content="Harbour Ledger">
<meta property="article:published_time" content="2025-03-14T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/biz">Business</a> | Zircon Mattress Company deals</nav>
<div class="advert">Sponsored: Pelican Insurance Group offers, click now</div>
<article><h1>Quillon Robotics and Marrow University sign robotics accord</h1>
<p>Quillon Robotics Company and Marrow University signed a memorandum of understanding on
Thursday to cooperate in robotics research and the training of engineers.</p>
<p>The agreement covers joint laboratories and student exchanges, the two sides said in a
statement published on their websites.</p></article>
<footer>Copyright 2025 Harbour Ledger. Contact us. Advertise with Tamsin Media Company.</footer>
</body></html>"""

DUMP = [
    {"uid": "ledger-7781", "link": "https://wire.example.com/a/7781",
     "headline": "Borealis Bank and Kestrel Software team up",
     "published_at": "2024-11-02T10:00:00Z",
     "body": "Borealis Bank and Kestrel Software Company signed a partnership agreement on "
             "28 October to develop digital banking services."},
    "not json at all",
    {"uid": "ledger-7782", "headline": "A line with no body"},
    {"uid": "ledger-7783", "link": "https://wire.example.com/a/7783",
     "headline": "Corvina Shipping and Delmar Port Authority sign deal",
     "published_at": "January 9, 2025",
     "body": "Corvina Shipping Group and Delmar Port Authority signed a cooperation agreement "
             "on 20 December to modernise logistics at the port."},
]

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lantern Tech Feed</title>
<link>https://feed.example.net/</link><description>Technology news</description>
<item><title>Lumen Energy and Halvard Institute of Technology sign accord</title>
<link>https://feed.example.net/news/lumen-halvard.html</link>
<pubDate>Tue, 05 Aug 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Lumen Energy Corporation and Halvard Institute of Technology signed a
cooperation agreement on 1 August to work on renewable energy research.&lt;/p&gt;</description>
</item>
<item><title>Tarn Analytics plans alliance with Oskar University</title>
<link>https://feed.example.net/news/tarn-oskar</link>
<pubDate>Fri, 08 Aug 2025 08:00:00 +0000</pubDate>
<description>Tarn Analytics Company will sign a partnership agreement with Oskar University on
Monday to develop healthcare software.</description></item>
</channel></rss>"""

TEXT = """Orchid Telecom and Tamarind University sign MoU

Orchid Telecom Company and Tamarind University signed a memorandum of understanding on
12 May 2025 to cooperate in telecommunications training.
"""


def _mixed(folder: Path, bad_line: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quillon-marrow.html").write_text(PAGE, encoding="utf-8")
    rows = DUMP if bad_line else [DUMP[0], DUMP[3]]
    (folder / "wire.jsonl").write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
        encoding="utf-8")
    (folder / "lantern.rss").write_text(FEED, encoding="utf-8")
    (folder / "orchid-tamarind.txt").write_text(TEXT, encoding="utf-8")
    return folder


def _read(path: Path, fmt: str | None = None, fields: tuple[str, ...] = ()):
    warned, bad = [], []
    docs = list(read_documents(path, get(fmt) if fmt else None, ReadOptions.parse(fields),
                               Problems(warn=warned.append, bad=bad.append)))
    return docs, warned, bad


# ------------------------------------------------------------------------------ readers

def test_html_page_gives_main_text_and_page_metadata(tmp_path):
    f = tmp_path / "quillon-marrow.html"
    f.write_text(PAGE, encoding="utf-8")
    [doc], _, bad = _read(f)
    assert not bad
    assert doc.slug == "quillon-marrow" and doc.format == "html"
    assert doc.title == "Quillon Robotics and Marrow University sign robotics accord"
    assert doc.url == "https://ledger.example.org/2025/03/quillon-marrow"
    assert doc.published == "2025-03-14" and doc.site == "Harbour Ledger"
    assert doc.text.splitlines()[0] == doc.title  # the title is the headline
    assert "Quillon Robotics Company and Marrow University signed" in " ".join(doc.text.split())
    for noise in ("Zircon Mattress", "Pelican Insurance", "Tamsin Media", "Home", "<p>"):
        assert noise not in doc.text


def test_jsonl_dump_maps_fields_names_bad_lines_and_reads_the_rest(tmp_path):
    f = tmp_path / "wire.jsonl"
    f.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in DUMP),
                 encoding="utf-8")
    docs, warned, bad = _read(f, fields=("id=uid", "text=body"))
    assert [d.slug for d in docs] == ["ledger-7781", "ledger-7783"]
    assert bad == [f"{f}:2: not valid JSON (Expecting value)",
                   f"{f}:3: no article text in field 'body'"]
    first = docs[0]
    assert (first.url, first.published) == ("https://wire.example.com/a/7781", "2024-11-02")
    assert first.title == "Borealis Bank and Kestrel Software team up"  # "headline" by synonym
    assert docs[1].published == "2025-01-09"  # "January 9, 2025"
    assert first.where == f"{f}:1"


def test_jsonl_dump_with_an_unknown_role_is_a_usage_error():
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="unknown role 'body'"):
        ReadOptions.parse(("body=text",))
    with pytest.raises(UsageError, match="ROLE=NAME"):
        ReadOptions.parse(("text",))


def test_csv_dump_reads_rows_and_names_a_row_with_extra_cells(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text('story,address,heading,when,content\n'
                 's1,https://x.example/1,Ferro Bank and Ilex University team up,2025-06-02,'
                 '"Ferro Bank and Ilex University signed a partnership agreement, the two said."\n'
                 's2,https://x.example/2,Too many,2025-06-03,text,extra\n'
                 's3,https://x.example/3,No text,2025-06-04,\n', encoding="utf-8")
    docs, _, bad = _read(f, fields=("id=story", "url=address", "title=heading", "date=when",
                                    "text=content"))
    assert [d.slug for d in docs] == ["s1"]
    assert docs[0].published == "2025-06-02" and docs[0].url == "https://x.example/1"
    assert bad == [f"{f}:3: 6 cells for 5 columns", f"{f}:4: no article text in field 'content'"]


def test_feed_gives_one_document_per_entry(tmp_path):
    f = tmp_path / "lantern.rss"
    f.write_text(FEED, encoding="utf-8")
    docs, _, bad = _read(f)
    assert not bad
    assert [d.slug for d in docs] == ["lantern-lumen-halvard", "lantern-tarn-oskar"]
    assert [d.published for d in docs] == ["2025-08-05", "2025-08-08"]
    assert {d.site for d in docs} == {"Lantern Tech Feed"}
    assert docs[0].url == "https://feed.example.net/news/lumen-halvard.html"
    assert "<p>" not in docs[0].text and "Lumen Energy Corporation" in docs[0].text


def test_atom_file_read_with_input_format_whatever_its_ending(tmp_path):
    f = tmp_path / "updates.xml"
    f.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Brisk Notes</title><id>urn:x</id>
<updated>2025-02-01T00:00:00Z</updated>
<entry><title>Selkie Bank and Wren College sign MoU</title><id>urn:x:1</id>
<link href="https://notes.example.org/selkie-wren"/><updated>2025-02-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;Selkie Bank and Wren College signed a memorandum of
understanding.&lt;/p&gt;</content></entry></feed>""", encoding="utf-8")
    [doc], _, _ = _read(f, "atom")
    assert doc.url == "https://notes.example.org/selkie-wren" and doc.published == "2025-02-01"
    assert doc.site == "Brisk Notes"


def test_a_file_that_is_no_feed_is_refused_in_one_line(tmp_path):
    from kg.errors import InputError

    f = tmp_path / "broken.rss"
    f.write_text("this is not a feed", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.rss: no feed entries found"):
        _read(f)


# ------------------------------------------------------------------------------ dates

@pytest.mark.parametrize("sentence,status,published,expected", [
    ("They signed the accord on 14 March.", "signed", "2025-03-20", "2025-03-14"),
    ("They signed the accord on March 14th.", "signed", "2025-03-20", "2025-03-14"),
    # a December date in a January article is last year's, a January one in December next year's
    ("The deal was signed on 20 December.", "signed", "2025-01-09", "2024-12-20"),
    ("They will sign it on 10 January.", "planned", "2024-12-28", "2025-01-10"),
    # 2025-03-14 is a Friday: "on Thursday" is the day before, a planned "Monday" the next one
    ("The two signed an agreement on Thursday.", "signed", "2025-03-14", "2025-03-13"),
    ("They will sign the agreement on Monday.", "planned", "2025-03-14", "2025-03-17"),
    ("They signed it on Friday.", "signed", "2025-03-14", "2025-03-14"),
    ("They signed it last Friday.", "signed", "2025-03-14", "2025-03-07"),
    ("They are in talks since Tuesday.", "proposed", "2025-03-14", None),
    # the text's own year wins; without a publication date nothing is guessed
    ("It was signed on 3 May 2023.", "signed", "2025-03-14", "2023-05-03"),
    ("The two signed an agreement on Thursday.", "signed", None, None),
    ("They signed the accord on 14 March.", "signed", None, None),
    ("They signed on 31 February.", "signed", "2025-03-01", None),
])
def test_dates_resolve_against_the_publication_date(sentence, status, published, expected):
    assert sentence_date(sentence, status, published) == expected


# ------------------------------------------------------------------------------ one graph

@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory, runner):
    root = tmp_path_factory.mktemp("mixed")
    folder = _mixed(root / "inputs")
    store = root / "store"
    r = invoke(runner, ["build", str(folder), "--store", str(store), "-q", "--field", "id=uid"])
    assert r.exception is None and "Built 6 document(s)" in r.stderr
    return store


EXPECTED_DOCS = {
    "quillon-marrow": ("https://ledger.example.org/2025/03/quillon-marrow",
                       "Quillon Robotics and Marrow University sign robotics accord",
                       "2025-03-14"),
    "ledger-7781": ("https://wire.example.com/a/7781",
                    "Borealis Bank and Kestrel Software team up", "2024-11-02"),
    "ledger-7783": ("https://wire.example.com/a/7783",
                    "Corvina Shipping and Delmar Port Authority sign deal", "2025-01-09"),
    "lantern-lumen-halvard": ("https://feed.example.net/news/lumen-halvard.html",
                              "Lumen Energy and Halvard Institute of Technology sign accord",
                              "2025-08-05"),
    "lantern-tarn-oskar": ("https://feed.example.net/news/tarn-oskar",
                           "Tarn Analytics plans alliance with Oskar University", "2025-08-08"),
    "orchid-tamarind": (None, None, None),
}
DOCS_SPARQL = """SELECT ?slug ?url ?title ?published ?source WHERE {
  ?d a kgo:Document ; kgo:slug ?slug ; dcterms:source ?source .
  OPTIONAL { ?d schema:url ?url } OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?d schema:datePublished ?published } }"""


def test_mixed_folder_builds_one_graph_with_document_metadata(runner, mixed_store):
    rows = json.loads(invoke(runner, ["query", "sparql", DOCS_SPARQL, "--store",
                                      str(mixed_store), "--format", "json"]).output)
    got = {r["slug"]: (r["url"], r["title"], r["published"]) for r in rows}
    # the dump's ids (--field id=uid) name its documents; the text file has only its source
    assert got == EXPECTED_DOCS
    assert {Path(r["source"]).name for r in rows} == {"quillon-marrow.html", "wire.jsonl",
                                                     "lantern.rss", "orchid-tamarind.txt"}


def test_agreement_dates_take_year_and_weekday_from_the_publication(runner, mixed_store):
    rows = json.loads(invoke(runner, ["query", "run", "agreements-in-period", "-p",
                                      "org=Quillon Robotics Company", "-p", "since=2025-03",
                                      "-p", "until=2025-03", "--store", str(mixed_store),
                                      "--format", "json"]).output)
    assert [r["date"] for r in rows] == ["2025-03-13"]  # "on Thursday", published Fri 14
    rows = json.loads(invoke(runner, ["query", "run", "agreements-in-period", "-p",
                                      "org=Delmar Port Authority", "-p", "since=2024",
                                      "-p", "until=2024", "--store", str(mixed_store),
                                      "--format", "json"]).output)
    assert [r["date"] for r in rows] == ["2024-12-20"]  # "on 20 December", published in Jan


def test_why_names_the_documents_date_and_url(runner, mixed_store):
    rows = json.loads(invoke(runner, ["why", "Borealis Bank", "PARTY_TO", "--store",
                                      str(mixed_store), "--format", "json"]).output)
    assert rows and rows[0]["document"] == "ledger-7781"
    assert rows[0]["published"] == "2024-11-02"
    assert rows[0]["url"] == "https://wire.example.com/a/7781"


def test_extraction_records_carry_the_document_metadata(runner, tmp_path):
    folder = _mixed(tmp_path / "in")
    r = invoke(runner, ["extract", str(folder / "lantern.rss"), str(folder / "wire.jsonl"),
                        "--field", "id=uid"])
    metas = {json.loads(ln)["doc"]: json.loads(ln)["meta"] for ln in r.output.splitlines()}
    assert metas["lantern-tarn-oskar"]["url"] == "https://feed.example.net/news/tarn-oskar"
    assert metas["lantern-tarn-oskar"]["site"] == "Lantern Tech Feed"
    assert metas["ledger-7783"]["published"] == "2025-01-09"
    assert metas["ledger-7783"]["source"] == str(folder / "wire.jsonl")
    from kg.record.schema import Record

    back = Record.from_json(json.loads(r.output.splitlines()[0]))
    assert back.url and back.published and back.title  # read back, not dropped


def test_bad_dump_lines_are_named_and_the_rest_is_built(runner, tmp_path):
    folder = _mixed(tmp_path / "in", bad_line=True)
    r = invoke(runner, ["build", str(folder), "--store", str(tmp_path / "st"), "-q",
                        "--field", "id=uid"], ok=False)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{folder / 'wire.jsonl'}:2: not valid JSON" in r.stderr
    assert f"{folder / 'wire.jsonl'}:3: no article text" in r.stderr
    assert "Built 6 document(s)" in r.stderr


def test_a_folder_of_extraction_records_is_named_as_such(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "records.jsonl").write_text(json.dumps({"doc": "x", "entities": [],
                                                      "relations": []}) + "\n")
    r = invoke(runner, ["extract", str(folder)], ok=False)
    assert r.exit_code == 1
    assert "records.jsonl:1: an extraction record (kg extract output), not an article" in r.stderr


def test_unknown_input_format_lists_the_choices(runner, tmp_path):
    r = invoke(runner, ["extract", str(tmp_path), "--input-format", "docx"], ok=False)
    assert r.exit_code == 2
    assert "Unknown input format 'docx'. Available: text, html, jsonl, csv, feed" in r.stderr


def test_the_metadata_is_valid_and_exported(runner, mixed_store, tmp_path):
    r = invoke(runner, ["validate", "--store", str(mixed_store)])
    assert "passed" in r.output
    out = tmp_path / "g.ttl"
    invoke(runner, ["export", "--format", "turtle", "-o", str(out), "--store", str(mixed_store)])
    import rdflib

    g = rdflib.Graph().parse(out, format="turtle")
    dates = {str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/datePublished"))}
    assert {"2025-03-14", "2024-11-02", "2025-08-05"} <= dates


@pytest.mark.neo4j
def test_document_metadata_is_the_same_on_neo4j(runner, mixed_store, clean_neo4j, neo4j_env):
    invoke(runner, ["load", "neo4j", "--store", str(mixed_store), "-q"], env=neo4j_env)
    rows = json.loads(invoke(runner, [
        "query", "cypher", "MATCH (d:Document) RETURN d.slug AS slug, d.url AS url, "
        "d.title AS title, d.published AS published", "--format", "json"],
        env=neo4j_env).output)
    assert {r["slug"]: (r["url"], r["title"], r["published"]) for r in rows} == EXPECTED_DOCS
    for name in ("agreements-by-month", "newest-agreements"):
        rdf = json.loads(invoke(runner, ["query", "run", name, "--store", str(mixed_store),
                                         "--format", "json"]).output)
        neo = json.loads(invoke(runner, ["query", "run", name, "--backend", "neo4j",
                                         "--format", "json"], env=neo4j_env).output)
        assert rdf and sorted(map(json.dumps, rdf)) == sorted(map(json.dumps, neo))


def test_a_fifo_dump_is_refused_not_waited_on(runner, tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "feed.jsonl")
    (folder / "note.txt").write_text("Orion Labs signed an agreement with Vela University.\n",
                                     encoding="utf-8")
    r = invoke(runner, ["extract", str(folder), "--input-format", "jsonl"], ok=False)
    assert r.exit_code == 1
    assert "feed.jsonl: a FIFO, not a regular file" in r.stderr
