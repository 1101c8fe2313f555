"""Robustness through the real model: arbitrary cuts of real articles and pathological texts
never crash the extractor and give well-formed records; one document that fails costs only
itself, in `kg extract` and in `kg build`. The failure is made by a real spaCy component
added to the cached pipeline for the test, not by a mock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from conftest import DEV, invoke
from kg.record.schema import Record
from loaders.pipeline import extract_texts, load_pipeline

NEWSWIRE = DEV.parent / "newswire"
ARTICLES = sorted(DEV.glob("*.txt")) + sorted(NEWSWIRE.glob("*.txt"))
TEXTS = [p.read_text(encoding="utf-8") for p in ARTICLES]
MARKER = "KG-TEST-FAIL-MARKER-7F3A"

needs_corpus = pytest.mark.skipif(not TEXTS, reason="../shared/corpus is not beside the checkout")


@Language.component("kg_test_fail_on_marker")
def fail_on_marker(doc: Doc) -> Doc:
    """A component that refuses documents carrying the marker (in a kg component's place)."""
    if MARKER in doc.text:
        raise ValueError("the document carries the failure marker")
    return doc


@Language.component("kg_test_unread_on_marker")
def unread_on_marker(doc: Doc) -> Doc:
    """A component that leaves a marked document without its reading, so that the step from
    the parse to the record fails (doc_to_record) rather than a pipeline component."""
    if MARKER in doc.text:
        doc._.kg = None
    return doc


@pytest.fixture(scope="module")
def nlp() -> Language:
    # the same cached pipeline that extract_texts and the CLI use (load_pipeline(None))
    return load_pipeline(None)


@pytest.fixture(params=["kg_test_fail_on_marker", "kg_test_unread_on_marker"])
def failing(request, nlp):
    """The cached pipeline with a component that fails marked documents; removed afterwards."""
    nlp.add_pipe(request.param, last=True)
    try:
        yield request.param
    finally:
        nlp.remove_pipe(request.param)
    assert request.param not in nlp.pipe_names


def check_record(rec: Record, slug: str, text: str) -> None:
    """The record is valid by the spec's rules; every relation's ends exist; evidence is the
    original text between the relation's offsets (whitespace collapsed)."""
    data = rec.to_json()
    Record.from_json(json.loads(json.dumps(data)))
    assert rec.doc == slug and rec.chars == len(text)
    ids = [e.id for e in rec.entities]
    assert len(ids) == len(set(ids))
    for e in rec.entities:
        assert e.name and e.name.strip() == e.name
    for r in rec.relations:
        assert r.subject in ids and r.object in ids and r.subject != r.object
        assert 0 < r.confidence <= 1
        if r.evidence:
            assert 0 <= r.start < r.end <= len(text)
            assert r.evidence == " ".join(text[r.start:r.end].split())
        else:
            assert r.start is None and r.end is None


def extract_one(slug: str, text: str) -> Record:
    (rec,) = list(extract_texts([(slug, text)]))  # no on_error: any exception escapes
    return rec


# --------------------------------------------------------------------------- arbitrary cuts

@st.composite
def article_prefixes(draw) -> tuple[str, str]:
    i = draw(st.integers(0, len(TEXTS) - 1))
    text = TEXTS[i]
    return ARTICLES[i].stem, text[:draw(st.integers(0, len(text)))]


@needs_corpus
@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(article_prefixes())
@example(("empty", ""))
def test_any_prefix_of_a_real_article_gives_a_well_formed_record(nlp, item):
    slug, text = item
    check_record(extract_one(slug, text), slug, text)


@pytest.mark.slow
def test_whole_articles_give_well_formed_records(nlp):
    if not TEXTS:
        pytest.skip("../shared/corpus is not beside the checkout")
    records = list(extract_texts([(p.stem, t) for p, t in zip(ARTICLES, TEXTS, strict=True)]))
    assert [r.doc for r in records] == [p.stem for p in ARTICLES]
    for rec, text in zip(records, TEXTS, strict=True):
        check_record(rec, rec.doc, text)


LONG_LINE = " ".join(
    ("Larkspur Dynamics and the Vellum Institute signed a memorandum of understanding on "
     "robotics while Dr. Ines Moreau , chief scientist of Vellum , praised the tie-up").split()
    * 120)[:30_000]
PATHOLOGICAL = {
    "empty": "",
    "whitespace": " \n\n\t \r\n ",
    "punctuation": ".,;:!?()[]{}\"'-–—…/\\|*&^%$#@~`+=",
    "only-angle-brackets": "< > << >> <> <<>> < <",
    "long-single-line": LONG_LINE,
    "unbalanced-markup": "<Orrin Labs signed <a <pact with >> Talbot <Bank and < > <Vellum",
    "unclosed-markup-at-end": "Korvan Mining Corp signed a venture pact with <Talbot Bank",
    "ticker-only": "<KRV.N> <XYZ> <TLB.TO>",
    "all-caps-body": ("KORVAN MINING AND TALBOT BANK SIGN PACT\nKORVAN MINING CORP AND TALBOT "
                      "BANK SIGNED A PARTNERSHIP ON FINTECH ON 3 MAY 2031.\nTHE TWO COMPANIES "
                      "WILL COOPERATE IN ROBOTICS, DR. INES MOREAU SAID.\n"),
    "one-word": "Korvan",
    "nul-and-controls": "Korvan\x00Mining\x07 signed\x1b a pact\x0c with Talbot Bank.",
    "emoji-and-rtl": "Korvan 🚀 Mining و Talbot Bank signed a pact ‮ on robotics.",
    "many-newlines": "\n".join(["Korvan"] * 400),
    "title-then-name-at-end": "Chief Executive Officer",
    "dateline-only": "HANOI, May 3 (Reuters) -",
}
KNOWN_CRASHES = {
    # relations.py _title_after: `k < sent.end and doc[k].tag_ == "POS" or doc[k].text in
    # {...}` reads doc[k] past the end when the text ends with 'NAME, INSTITUTION'
    "ends-with-name-comma-institution": "Dr. Helena Park, Pacific Ocean Institute",
    "ends-with-name-comma-university": "Mr. Omar Vance, Talbot University ",
}


@pytest.mark.slow
@pytest.mark.parametrize("slug", sorted(PATHOLOGICAL))
def test_pathological_texts_give_well_formed_records(nlp, slug):
    text = PATHOLOGICAL[slug]
    check_record(extract_one(slug, text), slug, text)


@pytest.mark.parametrize("slug", sorted(KNOWN_CRASHES))
def test_a_text_ending_with_a_name_and_its_institution(nlp, slug):
    text = KNOWN_CRASHES[slug]
    check_record(extract_one(slug, text), slug, text)


def test_evidence_of_a_last_sentence_ending_in_markup_keeps_the_name(nlp):
    text = ("Fintech news today.\n\nThe deal covers fintech. Merrow University signed a "
            "partnership with <Quorra Bank>")
    rec = extract_one("m", text)
    parties = [r for r in rec.relations if r.predicate == "PARTY_TO"]
    assert parties and all(r.evidence.endswith("<Quorra Bank>") for r in parties)


# --------------------------------------------------------------------------- one bad document

GOOD = {
    "a-merrow": "Merrow University and Quorra Bank signed a partnership on fintech on 3 May "
                "2031.\n",
    "b-talbot": "Dr. Lena Ortiz, Rector of Talbot University, said the university signed a "
                "memorandum of understanding with Larkspur Robotics Company on robotics.\n",
}
BAD = {"c-bad": f"Korvan Mining and Vellum Bank signed an agreement. {MARKER}\n"}


def corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for slug, text in {**GOOD, **BAD}.items():
        (folder / f"{slug}.txt").write_text(text, encoding="utf-8")
    return folder


def expected_records(nlp) -> list[dict]:
    """The good documents extracted on their own (the marker component lets them through)."""
    return [r.to_json() for r in extract_texts(list(GOOD.items()))]


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("Error:")]


def test_extract_texts_reports_the_failing_document_and_keeps_the_others(nlp, failing):
    errors: list[tuple[str, str]] = []
    items = [("a-merrow", GOOD["a-merrow"]), *BAD.items(), ("b-talbot", GOOD["b-talbot"])]
    records = list(extract_texts(items, on_error=lambda s, m: errors.append((s, m))))
    assert [r.doc for r in records] == ["a-merrow", "b-talbot"]
    ((slug, message),) = errors
    assert slug == "c-bad" and "extraction failed" in message
    if failing == "kg_test_fail_on_marker":
        assert message == ("extraction failed in kg_test_fail_on_marker: ValueError: the "
                           "document carries the failure marker")
    for rec in records:
        check_record(rec, rec.doc, GOOD[rec.doc])


def test_without_on_error_the_failure_propagates(nlp, failing):
    with pytest.raises((ValueError, AttributeError)):
        list(extract_texts(list(BAD.items())))
    # the pipeline is usable afterwards
    assert [r.doc for r in extract_texts(list(GOOD.items()))] == list(GOOD)


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", ["1", "16"])
def test_kg_extract_prints_the_good_records_and_names_the_bad_one(runner, tmp_path, nlp,
                                                                     failing, batch_size):
    expected = expected_records(nlp)
    folder = corpus_folder(tmp_path)
    r = invoke(runner, ["extract", str(folder), "--batch-size", batch_size], ok=False)
    assert r.exit_code == 1, r.output + r.stderr
    assert isinstance(r.exception, SystemExit)  # a clean exit, not a crash
    got = [json.loads(ln) for ln in r.stdout.splitlines()]
    for rec in got:  # files read from disk also name their source file; texts have none
        assert rec["meta"].pop("source").endswith(f"{rec['doc']}.txt")
    assert got == expected
    lines = error_lines(r.stderr)
    assert [ln for ln in lines if ln.startswith("Error: c-bad: extraction failed")] == [lines[0]]
    assert lines == [lines[0], "Error: 1 document(s) skipped (see the errors above)"]
    assert not any(s in ln for ln in lines[1:] for s in GOOD)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout


@pytest.mark.slow
def test_kg_build_stores_the_good_documents_and_names_the_bad_one(runner, tmp_path, nlp,
                                                                  failing):
    folder = corpus_folder(tmp_path)
    store = tmp_path / "store"
    r = invoke(runner, ["build", str(folder), "--store", str(store), "-q"], ok=False)
    assert r.exit_code == 1, r.output + r.stderr
    assert isinstance(r.exception, SystemExit)
    lines = error_lines(r.stderr)
    assert len(lines) == 2 and lines[0].startswith("Error: c-bad: extraction failed")
    assert lines[1] == "Error: 1 document(s) skipped (see the errors above)"
    assert "Built 2 document(s)" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""

    stats = json.loads(invoke(runner, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["documents"]["Document"] == 2
    assert stats["entities"]["Agreement"] == 2 and stats["relations"]["PARTY_TO"] == 4
    rows = json.loads(invoke(runner, ["query", "run", "agreement-parties", "--store", str(store),
                                      "--format", "json"]).stdout)
    parties = {row["party"] for row in rows}
    assert parties == {"Merrow University", "Quorra Bank", "Talbot University",
                       "Larkspur Robotics Company"}
    assert not {"Korvan Mining", "Vellum Bank"} & parties
