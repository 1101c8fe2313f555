"""Constructions of general English news that the extractor reads, each with invented
sentences through the real model and the real pipeline (loaders/*). Every name here is made
up for these tests."""

from __future__ import annotations

from loaders.normalize import normalize
from tests.test_sentences import agreements, read


def test_wire_capital_after_an_abbreviation_is_lower_cased_with_the_same_offsets():
    raw = "the venture of Harlan Dynamics Inc of the U.S. And Petrov Industries AG, a U.K. Based firm"
    c = normalize(raw)
    assert c.text == raw.replace("U.S. And", "U.S. and").replace("U.K. Based", "U.K. based")
    assert c.origin == list(range(len(raw) + 1))
    # a sentence that starts after an abbreviation keeps its capital
    assert normalize("He moved to the U.S. The firm grew.").text == \
        "He moved to the U.S. The firm grew."


def test_between_two_names_across_a_wire_capital_and_a_closed_name_of_the_place():
    ents, rels = read("Zorvex Labs (ZL), the joint venture between Harlan Dynamics Inc of the "
                      "U.S. And Petrov Industries AG, said it would open a plant.")
    names = {e["name"] for e in ents.values()}
    assert {"Harlan Dynamics Inc", "Petrov Industries AG"} <= names
    assert not any("And" in n or " of the " in n for n in names)
    (parties, kind, _), = agreements(ents, rels).values()
    assert parties == {"Harlan Dynamics Inc", "Petrov Industries AG"}
    assert kind == "partnership"
    assert ("Harlan Dynamics Inc", "LOCATED_IN", "U.S.") in {r[:3] for r in rels}


def located(text: str) -> set[tuple[str, str]]:
    _, rels = read(text)
    return {(s, o) for s, p, o, _, _ in rels if p == "LOCATED_IN"}


def test_based_in_on_the_noun_that_describes_the_institution():
    # in apposition
    assert ("Vantor Energy", "Denver") in located(
        "Vantor Energy, a utility based in Denver, signed a joint venture agreement with Orlo Gas.")
    # after a copula, the participle behind a comma
    assert ("Tavera Bank", "Lisbon") in located(
        "He said Tavera Bank is a ten-year-old investment business, based in Lisbon and backed "
        "by 40 mln dlrs capital, which owns several funds.")
    assert ("Orlo Gas", "Tulsa") in located("Orlo Gas is a pipeline company located in Tulsa.")


def test_a_described_noun_without_a_place_cue_gives_no_place():
    assert located("Vantor Energy, a utility that sells power in Denver, signed a joint venture "
                   "agreement with Orlo Gas.") == set()


def test_a_compass_adjective_before_the_place_is_no_gap():
    assert ("Keswick", "Wales") in located("Harwick Cables has a plant at Keswick in northern Wales.")
