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
