"""Extraction components on sentences written for these tests, with the real spaCy model."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEV, invoke
from loaders.pipeline import extract_texts


def rec(text):
    (r,) = list(extract_texts([("t", text)]))
    names = {e.id: e for e in r.entities}
    rels = {(names[x.subject].name, x.predicate, names[x.object].name, x.title)
            for x in r.relations}
    return r, names, rels


def by_type(r, t):
    return {e.name for e in r.entities if e.type == t}


def test_institution_heads_and_subtypes():
    r, _, _ = rec("Researchers from Tay Nguyen University and the Institute of Coffee Science "
                  "met officials of the Ministry of Agriculture in Buon Ma Thuot.")
    subs = {e.name: e.subtype for e in r.entities if e.type == "Institution"}
    assert subs.get("Tay Nguyen University") == "University"
    assert subs.get("Institute of Coffee Science") == "ResearchInstitute"
    assert subs.get("Ministry of Agriculture") == "GovernmentBody"


def test_title_before_name_and_apposition():
    _, _, rels = rec("Dr. Helena Park, Director of the Pacific Ocean Institute, welcomed "
                     "Orion Labs Company CEO Marcus Reed.")
    assert ("Helena Park", "HOLDS_POSITION", "Pacific Ocean Institute", "Director") in rels
    assert ("Marcus Reed", "HOLDS_POSITION", "Orion Labs Company", "CEO") in rels


def test_possessive_title_keeps_its_department():
    _, _, rels = rec("Mr. Omar Said, Falcon Systems Company's Vice President of Global Affairs, "
                     "visited Hanoi.")
    assert any(r[0] == "Omar Said" and r[2] == "Falcon Systems Company" and
               r[3].startswith("Vice President") for r in rels)


def test_signed_agreement_with_coordination_and_sectors():
    r, names, rels = rec("Saffron University and Cobalt Energy Group signed a memorandum of "
                         "understanding on 4 March 2025 on renewable energy and training.")
    (a,) = [e for e in r.entities if e.type == "Agreement"]
    assert a.kind == "mou" and a.status == "signed" and a.date == "2025-03-04"
    assert ("Saffron University", "PARTY_TO", a.name, None) in rels
    assert ("Cobalt Energy Group", "PARTY_TO", a.name, None) in rels
    assert {"Energy", "Education"} <= {x[2] for x in rels if x[1] == "COVERS_SECTOR"}


def test_future_and_proposed_status():
    r, _, _ = rec("Maple University will sign a cooperation agreement with Birch Motors "
                  "Company next week.")
    assert [e.status for e in r.entities if e.type == "Agreement"] == ["planned"]
    r, _, _ = rec("Cedar Academy has proposed a partnership with Willow Software Company.")
    assert [e.status for e in r.entities if e.type == "Agreement"] == ["proposed"]


def test_negation_makes_no_agreement():
    r, _, _ = rec("Juniper University did not sign the agreement with Aspen Robotics Company.")
    assert by_type(r, "Agreement") == set()


def test_passive_voice_parties():
    r, _, rels = rec("A cooperation agreement was signed by Hazel University and Spruce "
                     "Chemicals Corporation on 9 May 2025.")
    (a,) = [e for e in r.entities if e.type == "Agreement"]
    assert a.status == "signed"
    assert {x[0] for x in rels if x[1] == "PARTY_TO"} == {"Hazel University",
                                                          "Spruce Chemicals Corporation"}


def test_resolution_surname_acronym_and_diacritics():
    r, _, _ = rec("Prof. Trần Văn Khoa, Rector of Quang Trung University (QTU), spoke first. "
                  "Khoa said QTU would expand. Tran Van Khoa thanked the university.")
    persons = [e for e in r.entities if e.type == "Person"]
    assert len(persons) == 1 and persons[0].name == "Trần Văn Khoa"
    unis = [e for e in r.entities if e.type == "Institution"]
    assert len(unis) == 1 and "QTU" in unis[0].aliases
    assert persons[0].why  # each merge explains itself


def test_noise_is_not_an_entity():
    r, _, _ = rec("The AI model runs on big data. VNA/VNS")
    assert by_type(r, "Institution") == set()


def test_part_of_partner_and_located_in():
    _, _, rels = rec("The Center for Marine Studies under Sunrise University will host the "
                     "lab. Sunrise University works with partners such as Tidewater "
                     "Institute. Harbor Tech Company is a Singapore-based company.")
    assert ("Center for Marine Studies", "PART_OF", "Sunrise University", None) in rels
    assert ("Sunrise University", "PARTNER_OF", "Tidewater Institute", None) in rels
    assert ("Harbor Tech Company", "LOCATED_IN", "Singapore", None) in rels


def test_extraction_is_deterministic_and_carries_evidence():
    text = (Path(__file__).parent.parent / "examples/corpus/vnu-education-ai.txt").read_text()
    a = [x.to_json() for x in extract_texts([("d", text)])]
    b = [x.to_json() for x in extract_texts([("d", text)])]
    assert a == b
    for r in a[0]["relations"]:
        assert r["evidence"] and 0 < r["confidence"] <= 1
        assert text[r["start"]:r["end"]].strip() == r["evidence"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    from kg.record.schema import Record
    out = [x.to_json() for x in extract_texts([("f", text)])]
    again = [x.to_json() for x in extract_texts([("f", text)])]
    assert out == again
    Record.from_json(out[0])  # the record is valid by the spec's rules


def test_extract_cli_writes_spec_jsonl(runner, tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Ivory University and Onyx Bank signed a partnership on fintech.\n")
    out = invoke(runner, ["extract", str(f), "--format", "jsonl"]).output
    (line,) = out.strip().splitlines()
    d = json.loads(line)
    assert d["doc"] == "note"
    assert {"id", "type", "name"} <= set(d["entities"][0])


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpus/dev is not beside the checkout")
def test_dev_corpus_evaluation_agrees_with_reference_scorer(runner, tmp_path):
    import subprocess
    import sys
    records = tmp_path / "sys.jsonl"
    invoke(runner, ["extract", *sorted(str(p) for p in DEV.glob("*.txt")), "-o", str(records)])
    ours = json.loads(invoke(runner, ["eval", str(DEV), "--system", str(records), "--json"])
                      .output.strip().splitlines()[-1])
    ref = subprocess.run([sys.executable, str(DEV.parent.parent / "tools" / "score.py"),
                          str(DEV), str(records)], capture_output=True, text=True, check=True)
    assert ours == json.loads(ref.stdout.strip().splitlines()[-1])
    # far above plain spaCy NER (entity F1 0.54, relation F1 0.00)
    assert ours["entity_f1"] >= 0.90 and ours["relation_f1"] >= 0.75 and ours["title_acc"] >= 0.85


NEWSWIRE = DEV.parent / "newswire"


@pytest.mark.slow
@pytest.mark.skipif(not NEWSWIRE.exists(), reason="../shared/corpus/newswire is not beside the checkout")
def test_both_corpora_together_meet_the_targets(runner, tmp_path):
    """The 31 stories of both development corpora scored as one (the issue's bar: entity F1
    >= 0.85, relation F1 >= 0.70), every story extracted, and `kg eval`'s figures equal to
    the reference scorer's."""
    import shutil
    import subprocess
    import sys

    gold = tmp_path / "gold"
    gold.mkdir()
    for corpus in (DEV, NEWSWIRE):
        for f in corpus.iterdir():
            if f.suffix in {".txt", ".json"}:
                shutil.copy(f, gold / f.name)
    records = tmp_path / "sys.jsonl"
    result = invoke(runner, ["extract", str(gold), "-o", str(records)])
    assert "Error" not in (result.stderr or "")
    assert len(records.read_text(encoding="utf-8").splitlines()) == 31
    ours = json.loads(invoke(runner, ["eval", str(gold), "--system", str(records), "--json"])
                      .output.strip().splitlines()[-1])
    ref = subprocess.run([sys.executable, str(DEV.parent.parent / "tools" / "score.py"),
                          str(gold), str(records)], capture_output=True, text=True, check=True)
    assert ours == json.loads(ref.stdout.strip().splitlines()[-1])
    assert ours["missing"] == 0
    assert ours["entity_f1"] >= 0.85 and ours["relation_f1"] >= 0.70


def test_a_company_named_without_its_tail_or_tagged_as_a_place_is_one_institution():
    """NER tags a short company name as a place or a person; the document's own usage wins."""
    for text, full, short in [
        ("Kestrel University signed a cooperation agreement with Zentara AI on healthcare. "
         "Engineers from Zentara will train students, and the cooperation agreement between "
         "Kestrel University and Zentara AI is expected to grow.", "Zentara AI", "Zentara"),
        ("Hanoi Polytechnic signed a cooperation agreement with Qinghe AI on education. Qinghe "
         "will send engineers. The cooperation agreement between Hanoi Polytechnic and Qinghe "
         "AI runs for five years.", "Qinghe AI", "Qinghe"),
    ]:
        r, _, rels = rec(text)
        insts = [e for e in r.entities if e.type == "Institution" and e.name == full]
        assert len(insts) == 1 and short in insts[0].aliases
        assert not [e for e in r.entities if e.type in {"Location", "Person"}
                    and short in e.name]
        (a,) = [e for e in r.entities if e.type == "Agreement"]
        assert (full, "PARTY_TO", a.name, None) in rels


def test_a_name_closed_by_its_head_word_ends_at_and():
    r, _, rels = rec("Delta Group and Orbitron signed a memorandum of understanding on "
                     "semiconductors.")
    assert {"Delta Group", "Orbitron"} <= by_type(r, "Institution")
    assert not any(" and " in n for n in by_type(r, "Institution"))
    # ... but a name whose "and" joins two fields stays whole
    r, _, _ = rec("The Ministry of Science and Technology hosted the talks.")
    assert by_type(r, "Institution") == {"Ministry of Science and Technology"}


def test_honorifics_alone_department_in_title_and_country_in_country():
    r, _, rels = rec("Assoc. Prof. Tran Minh Duc, Rector of Lotus University, spoke. Omar Said, "
                     "Falcon Systems Company's Director of Government Relations, visited "
                     "Hanoi. Investors in Vietnam in the United States welcomed the news.")
    assert by_type(r, "Person") == {"Tran Minh Duc", "Omar Said"}
    assert "Government Relations" not in by_type(r, "Institution")
    assert ("Omar Said", "HOLDS_POSITION", "Falcon Systems Company",
            "Director of Government Relations") in rels
    assert not [x for x in rels if x[1] == "LOCATED_IN"]


def test_a_title_signing_for_the_definite_institution_holds_it_there():
    _, _, rels = rec("The Ministry of Transport and Harbor Link Corporation signed a memorandum "
                     "of understanding on logistics. Vice Minister Trần Văn Khoa signed for the "
                     "ministry. Harbor Link Corporation sent its engineers.")
    assert ("Trần Văn Khoa", "HOLDS_POSITION", "Ministry of Transport", "Vice Minister") in rels
    assert not [x for x in rels if x[0] == "Trần Văn Khoa" and x[2] != "Ministry of Transport"]
