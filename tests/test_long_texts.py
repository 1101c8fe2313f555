"""The kg components read a long text in time proportional to it: the shortcuts that made them
so (sentence copies for the structure patterns, entity membership from IOB tags, one grouping of
triggers by sentence) must find exactly what the per-sentence forms found. Real model, real
parse; invented names. (Speed itself is measured in benchmarks/run.py, not here.)"""

from __future__ import annotations

from loaders.mentions import _in_entity
from loaders.pipeline import load_pipeline
from loaders.structure import StructureReader

STORY = (
    "Harlow Dynamics said its Pellam Robotics unit signed a deal with Corvin Bank.\n"
    "Pellam Robotics, a subsidiary of Harlow Dynamics, opened a plant in Westmarch.\n"
    "Quarry Steel Company, 80 pct owned by Marlow Energy Corporation, will build a mill.\n"
    "Corvin Bank's unit Tessaly Capital joined the project, and it is part of Corvin Bank.\n"
    "The weather in Lorvale was fine and nothing else happened.\n\n"
)


def test_structure_matches_are_those_of_the_matcher_on_each_sentence():
    nlp = load_pipeline()
    doc = nlp(STORY * 30)
    reader = doc._.kg
    matcher = nlp.get_pipe("kg_relations").structure
    by_sentence: dict[int, list[tuple[str, list[int]]]] = {}
    for sent in reader.sent_list:  # the matcher's own copy of each sentence (Span.as_doc)
        for match_id, ids in matcher(sent):
            by_sentence.setdefault(sent.start, []).append(
                (doc.vocab.strings[match_id], [sent.start + i for i in ids]))
    got = StructureReader(reader, matcher).matches
    assert got == by_sentence
    rules = {rule for ms in got.values() for rule, _ in ms}
    assert {"its-named", "unit-of", "owned-by", "unit-possessive"} <= rules
    # a sentence without any pattern word is never copied, and has no match either way
    quiet = [s for s in reader.sent_list if s.text.startswith("The weather")]
    assert quiet and all(s.start not in got for s in quiet)
    assert sum(1 for r in reader.rels if r.predicate == "PART_OF") >= 30


def test_entity_membership_from_iob_is_membership_in_doc_ents():
    doc = load_pipeline()(STORY * 5)
    inside = {i for e in doc.ents for i in range(e.start, e.end)}
    assert inside  # the model read entities
    assert {t.i for t in doc if _in_entity(t)} == inside
