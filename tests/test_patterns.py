"""The agreement and structure patterns on hand-built parses, without the statistical model:
each sentence is written here with its words, lemmas, tags and dependency tree, and where
parties matter its entity mentions are added by hand (doc.spans["kg"]). Sentences and company
names are invented for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from loaders.agreements import (
    AgreementReader,
    TriggerMatcher,
    _governor,
    _is_headline,
    _verb_chain,
)
from loaders.components import KgRelations, kg_resolve
from loaders.pipeline import doc_to_record
from loaders.relations import RelationReader
from loaders.structure import _majority

NLP = spacy.blank("en")
TRIGGERS = TriggerMatcher(NLP.vocab, NLP.make_doc)
CO = "Institution/Company"
NO_SPACE_BEFORE = {".", ",", "'s", ")", ":", ";", "-", "?"}
NO_SPACE_AFTER = {"(", "-"}


def parse(rows: str, mentions: list[tuple[int, int, str]] = ()) -> Doc:
    """One token a line: WORD LEMMA POS TAG DEP HEAD (HEAD: the head's index; the root points
    at itself). Mentions are (start, end, label) token spans."""
    toks = [r.split() for r in rows.strip().splitlines()]
    assert all(len(t) == 6 for t in toks), [t for t in toks if len(t) != 6]
    words = [t[0] for t in toks]
    spaces = [i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE and
              words[i] not in NO_SPACE_AFTER for i in range(len(words))]
    doc = Doc(NLP.vocab, words=words, spaces=spaces, lemmas=[t[1] for t in toks],
              pos=[t[2] for t in toks], tags=[t[3] for t in toks], deps=[t[4] for t in toks],
              heads=[int(t[5]) for t in toks])
    doc.spans["kg"] = [Span(doc, s, e, label=label) for s, e, label in mentions]
    doc.spans["kg_sectors"] = []
    return doc


def tok(doc: Doc, word: str) -> spacy.tokens.Token:
    (t,) = [t for t in doc if t.text == word]
    return t


def at(t: spacy.tokens.Token | None) -> int | None:
    return None if t is None else t.i


def untagged(text: str) -> Doc:
    """A tokenized text whose words are all tagged as nouns (no verb triggers can match)."""
    words = NLP.make_doc(text)
    return Doc(NLP.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words],
               pos=["NOUN"] * len(words), lemmas=[t.lower_ for t in words])


def found(doc: Doc) -> list[tuple[str, str, str]]:
    return [(span.text, kind, how) for span, kind, how in TRIGGERS(doc)]


def reader(doc: Doc) -> AgreementReader:
    kg_resolve(doc)
    return AgreementReader(RelationReader(doc, doc._.kg_resolver), TRIGGERS)


def record(doc: Doc):
    KgRelations(NLP)(doc)
    r = doc_to_record(doc, "hand")
    names = {e.id: e.name for e in r.entities}
    return r, {(names[x.subject], x.predicate, names[x.object]) for x in r.relations}


# "Kestrel Mining and Orban Steel signed a memorandum of understanding on 4 March 2031."
MOU = """
Kestrel Kestrel PROPN NNP compound 1
Mining Mining PROPN NNP nsubj 5
and and CCONJ CC cc 1
Orban Orban PROPN NNP compound 4
Steel Steel PROPN NNP conj 1
signed sign VERB VBD ROOT 5
a a DET DT det 7
memorandum memorandum NOUN NN dobj 5
of of ADP IN prep 7
understanding understanding NOUN NN pobj 8
on on ADP IN prep 5
4 4 NUM CD nummod 12
March March PROPN NNP pobj 10
2031 2031 NUM CD nummod 12
. . PUNCT . punct 5
"""
MOU_NAMES = [(0, 2, CO), (3, 5, CO)]

# "Vireo Labs will partner with Talbot Bank on robotics."
PARTNER = """
Vireo Vireo PROPN NNP compound 1
Labs Labs PROPN NNP nsubj 3
will will AUX MD aux 3
partner partner VERB VB ROOT 3
with with ADP IN prep 3
Talbot Talbot PROPN NNP compound 6
Bank Bank PROPN NNP pobj 4
on on ADP IN prep 3
robotics robotic NOUN NNS pobj 7
. . PUNCT . punct 3
"""
PARTNER_NAMES = [(0, 2, CO), (5, 7, "Institution/Company")]

# "Harrow Foods and Zentrix teamed up to form a joint venture."
TEAM_UP = """
Harrow Harrow PROPN NNP compound 1
Foods Foods PROPN NNPS nsubj 4
and and CCONJ CC cc 1
Zentrix Zentrix PROPN NNP conj 1
teamed team VERB VBD ROOT 4
up up ADP RP prt 4
to to PART TO aux 7
form form VERB VB advcl 4
a a DET DT det 10
joint joint ADJ JJ amod 10
venture venture NOUN NN dobj 7
. . PUNCT . punct 4
"""

# "Orban Steel is considering a tie-up with Vireo Labs."
TIE_UP = """
Orban Orban PROPN NNP compound 1
Steel Steel PROPN NNP nsubj 3
is be AUX VBZ aux 3
considering consider VERB VBG ROOT 3
a a DET DT det 7
tie tie NOUN NN compound 7
- - PUNCT HYPH punct 7
up up NOUN NN dobj 3
with with ADP IN prep 7
Vireo Vireo PROPN NNP compound 10
Labs Labs PROPN NNP pobj 8
. . PUNCT . punct 3
"""

# "Talbot Bank sent a letter of intent to Korvan."
LETTER = """
Talbot Talbot PROPN NNP compound 1
Bank Bank PROPN NNP nsubj 2
sent send VERB VBD ROOT 2
a a DET DT det 4
letter letter NOUN NN dobj 2
of of ADP IN prep 4
intent intent NOUN NN pobj 5
to to ADP IN dative 2
Korvan Korvan PROPN NNP pobj 7
. . PUNCT . punct 2
"""

# "Korvan and Zentrix are in talks on a venture."
TALKS = """
Korvan Korvan PROPN NNP nsubj 3
and and CCONJ CC cc 0
Zentrix Zentrix PROPN NNP conj 0
are be AUX VBP ROOT 3
in in ADP IN prep 3
talks talk NOUN NNS pobj 4
on on ADP IN prep 5
a a DET DT det 8
venture venture NOUN NN pobj 6
. . PUNCT . punct 3
"""

# "Korvan plans to sign an accord with Zentrix."
PLANS = """
Korvan Korvan PROPN NNP nsubj 1
plans plan VERB VBZ ROOT 1
to to PART TO aux 3
sign sign VERB VB xcomp 1
an an DET DT det 5
accord accord NOUN NN dobj 3
with with ADP IN prep 5
Zentrix Zentrix PROPN NNP pobj 6
. . PUNCT . punct 1
"""

# "Korvan did not sign the agreement with Zentrix."
NEGATED = """
Korvan Korvan PROPN NNP nsubj 3
did do AUX VBD aux 3
not not PART RB neg 3
sign sign VERB VB ROOT 3
the the DET DT det 5
agreement agreement NOUN NN dobj 3
with with ADP IN prep 5
Zentrix Zentrix PROPN NNP pobj 6
. . PUNCT . punct 3
"""

# "Korvan met Zentrix and signed a pact."
MET_AND_SIGNED = """
Korvan Korvan PROPN NNP nsubj 1
met meet VERB VBD ROOT 1
Zentrix Zentrix PROPN NNP dobj 1
and and CCONJ CC cc 1
signed sign VERB VBD conj 1
a a DET DT det 6
pact pact NOUN NN dobj 4
. . PUNCT . punct 1
"""

# "Korvan said it would form a venture." (the chain stops at the clause with a subject)
SAID_FORM = """
Korvan Korvan PROPN NNP nsubj 1
said say VERB VBD ROOT 1
it it PRON PRP nsubj 4
would would AUX MD aux 4
form form VERB VB ccomp 1
a a DET DT det 6
venture venture NOUN NN dobj 4
. . PUNCT . punct 1
"""

# headline "Korvan, Zentrix in joint venture"
HEADLINE = """
Korvan Korvan PROPN NNP ROOT 0
, , PUNCT , punct 0
Zentrix Zentrix PROPN NNP appos 0
in in ADP IN prep 0
joint joint ADJ JJ amod 5
venture venture NOUN NN pobj 3
"""


# --------------------------------------------------------------------------- trigger matcher

def test_multiword_memorandum_of_understanding_is_one_trigger():
    assert found(parse(MOU)) == [("memorandum of understanding", "mou", "noun")]


def test_joint_venture_beats_venture_and_teamed_up_is_a_phrasal_verb():
    assert found(parse(TEAM_UP)) == [("teamed up", "partnership", "verb"),
                                     ("joint venture", "partnership", "noun")]


def test_tie_up_is_matched_over_its_three_tokens():
    (span, kind, how), = TRIGGERS(parse(TIE_UP))
    assert (span.text, kind, how) == ("tie-up", "partnership", "noun")
    assert [t.text for t in span] == ["tie", "-", "up"] and span.root.text == "up"


def test_letter_of_intent_is_an_mou():
    assert found(parse(LETTER)) == [("letter of intent", "mou", "noun")]


def test_verb_trigger_needs_the_verb_not_the_noun():
    assert found(parse(PARTNER)) == [("partner", "partnership", "verb")]
    # "a partner of Talbot Bank": the noun is no cooperation verb (and no trigger noun)
    doc = parse("""
Vireo Vireo PROPN NNP nsubj 1
is be AUX VBZ ROOT 1
a a DET DT det 3
partner partner NOUN NN attr 1
of of ADP IN prep 3
Talbot Talbot PROPN NNP pobj 4
. . PUNCT . punct 1
""")
    assert found(doc) == []


def test_team_without_up_is_no_trigger():
    doc = parse("""
Zentrix Zentrix PROPN NNP nsubj 1
teamed team VERB VBD ROOT 1
with with ADP IN prep 1
Korvan Korvan PROPN NNP pobj 2
. . PUNCT . punct 1
""")
    assert found(doc) == []


def test_trigger_nouns_match_in_any_case_and_in_order():
    doc = untagged("KORVAN SIGNS JOINT VENTURE PACT, A Memorandum Of Understanding "
                       "AND A COOPERATION AGREEMENT")
    assert found(doc) == [("JOINT VENTURE", "partnership", "noun"),
                          ("PACT", "cooperation_agreement", "noun"),
                          ("Memorandum Of Understanding", "mou", "noun"),
                          ("COOPERATION AGREEMENT", "cooperation_agreement", "noun")]


def test_overlapping_triggers_keep_the_longest_and_never_share_a_token():
    doc = untagged("memoranda of understanding and letters of intent and joint-venture")
    spans = TRIGGERS(doc)
    assert [s.text for s, _, _ in spans] == ["memoranda of understanding", "letters of intent",
                                             "joint-venture"]
    tokens = [i for s, _, _ in spans for i in range(s.start, s.end)]
    assert len(tokens) == len(set(tokens))


def test_no_trigger_in_plain_text():
    assert TRIGGERS(untagged("Korvan opened a plant in the north.")) == []
    assert TRIGGERS(untagged("")) == []


# --------------------------------------------------------------------------- the parse helpers

def test_governor_climbs_through_prepositions_to_the_verb():
    doc = parse(TIE_UP)
    assert at(_governor(tok(doc, "Labs"))) == at(_governor(tok(doc, "up"))) == 3  # considering
    assert _governor(tok(doc, "considering")) is None  # the root governs nothing
    # an auxiliary is a verb for this purpose: "are in talks on a venture"
    doc = parse(TALKS)
    assert at(_governor(tok(doc, "venture"))) == tok(doc, "are").i


def test_governor_of_a_verbless_headline_is_none():
    doc = parse(HEADLINE)
    assert _governor(tok(doc, "venture")) is None
    assert _verb_chain(tok(doc, "venture")) == []


def test_verb_chain_climbs_to_the_clause_with_a_subject():
    doc = parse(TEAM_UP)
    assert [t.text for t in _verb_chain(tok(doc, "venture"))] == ["form", "teamed"]
    doc = parse(PLANS)
    assert [t.text for t in _verb_chain(tok(doc, "accord"))] == ["sign", "plans"]
    doc = parse(MET_AND_SIGNED)
    assert [t.text for t in _verb_chain(tok(doc, "pact"))] == ["signed", "met"]


def test_verb_chain_stops_at_a_reported_clause_and_starts_at_a_verb():
    doc = parse(SAID_FORM)
    assert [t.text for t in _verb_chain(tok(doc, "venture"))] == ["form"]
    doc = parse(PARTNER)
    assert [t.text for t in _verb_chain(tok(doc, "partner"))] == ["partner"]


def test_a_headline_is_a_first_line_without_a_full_stop():
    doc = parse(HEADLINE)
    assert _is_headline(doc[:])
    assert not _is_headline(parse(MOU)[:])


# --------------------------------------------------------------------------- status, negation

@pytest.mark.parametrize("rows, anchor, status", [
    (MOU, "memorandum", "signed"),
    (PARTNER, "partner", "planned"),        # will partner
    (PLANS, "accord", "planned"),           # plans to sign
    (TALKS, "venture", "proposed"),         # in talks on
    (TIE_UP, "up", "proposed"),             # is considering
    (HEADLINE, "venture", "signed"),        # "X, Y in joint venture"
    (SAID_FORM, "venture", "planned"),      # would form
    (MET_AND_SIGNED, "pact", "signed"),
])
def test_status_is_read_off_the_verb_chain(rows, anchor, status):
    doc = parse(rows)
    assert reader(doc)._status(tok(doc, anchor)) == status


def test_negated_events_are_recognised():
    doc = parse(NEGATED)
    r = reader(doc)
    assert r._negated(tok(doc, "agreement"))
    assert not r._negated(tok(parse(MOU), "memorandum"))


def test_a_negated_agreement_makes_no_event():
    doc = parse(NEGATED, [(0, 1, CO), (7, 8, CO)])
    assert reader(doc).read() == []


# --------------------------------------------------------------------------- events and parties

def test_subject_and_conjunct_are_the_parties_of_a_signed_mou():
    doc = parse(MOU, MOU_NAMES)
    (a,) = reader(doc).read()
    assert [p.name for p in a.parties] == ["Kestrel Mining", "Orban Steel"]
    assert (a.kind, a.status, a.date) == ("mou", "signed", "2031-03-04")


def test_an_embedded_verb_trigger_takes_the_subject_of_its_clause_and_the_with_phrase():
    # "Korvan agreed to cooperate with Zentrix."
    doc = parse("""
Korvan Korvan PROPN NNP nsubj 1
agreed agree VERB VBD ROOT 1
to to PART TO aux 3
cooperate cooperate VERB VB xcomp 1
with with ADP IN prep 3
Zentrix Zentrix PROPN NNP pobj 4
. . PUNCT . punct 1
""", [(0, 1, CO), (5, 6, CO)])
    (a,) = reader(doc).read()
    assert [p.name for p in a.parties] == ["Zentrix", "Korvan"]
    # having agreed to cooperate is the cooperation agreed (spec: "agreed to sign" is a plan)
    assert (a.kind, a.status) == ("cooperation_agreement", "signed")


def test_the_with_phrase_of_a_verb_trigger_is_a_party():
    doc = parse(PARTNER, PARTNER_NAMES)
    (ev,) = reader(doc)._events(doc[:], TRIGGERS(doc))
    assert sorted(p.name for p in ev.parties) == ["Talbot Bank", "Vireo Labs"]
    assert sorted(ev.rules) == ["subject", "with"]


def test_the_subject_of_a_verb_trigger_is_a_party():
    doc = parse(PARTNER, PARTNER_NAMES)
    (a,) = reader(doc).read()
    assert sorted(p.name for p in a.parties) == ["Talbot Bank", "Vireo Labs"]
    assert (a.kind, a.status) == ("partnership", "planned")


def test_teaming_up_to_form_a_venture_is_one_agreement():
    doc = parse(TEAM_UP, [(0, 2, CO), (3, 4, CO)])
    (a,) = reader(doc).read()
    assert sorted(p.name for p in a.parties) == ["Harrow Foods", "Zentrix"]
    assert a.kind == "partnership"


def test_teaming_up_to_form_a_venture_is_signed():
    doc = parse(TEAM_UP, [(0, 2, CO), (3, 4, CO)])
    (a,) = reader(doc).read()
    assert a.status == "signed"


def test_a_headline_event_alone_makes_no_agreement_but_names_its_parties():
    doc = parse(HEADLINE, [(0, 1, CO), (2, 3, CO)])
    r = reader(doc)
    assert r.read() == []  # the spec: a headline alone makes no party
    (ev,) = r._events(doc[:], TRIGGERS(doc))
    assert sorted(p.name for p in ev.parties) == ["Korvan", "Zentrix"]
    assert set(ev.rules) == {"headline"} and ev.status == "signed"


def test_hand_built_parse_to_record():
    r, rels = record(parse(MOU, MOU_NAMES))
    (agreement,) = [e for e in r.entities if e.type == "Agreement"]
    assert agreement.name == "Kestrel Mining–Orban Steel memorandum of understanding"
    assert rels == {("Kestrel Mining", "PARTY_TO", agreement.name),
                    ("Orban Steel", "PARTY_TO", agreement.name)}
    for x in r.relations:
        assert x.evidence == "Kestrel Mining and Orban Steel signed a memorandum of " \
                             "understanding on 4 March 2031."


# --------------------------------------------------------------------------- structure

def owned(share: list[tuple[str, str, str, str]]) -> Doc:
    """'Vireo Labs, SHARE owned by Kestrel Mining, expanded.'"""
    rows = ["Vireo Vireo PROPN NNP compound 1", "Labs Labs PROPN NNP nsubj {root}",
            ", , PUNCT , punct 1"]
    owned_at = 3 + len(share)
    for word, lemma, pos, tag in share:
        rows.append(f"{word} {lemma} {pos} {tag} npadvmod {owned_at}")
    rows += ["owned own VERB VBN acl 1", f"by by ADP IN agent {owned_at}",
             f"Kestrel Kestrel PROPN NNP compound {owned_at + 3}",
             f"Mining Mining PROPN NNP pobj {owned_at + 1}", ", , PUNCT , punct 1",
             "expanded expand VERB VBD ROOT {root}", ". . PUNCT . punct {root}"]
    root = owned_at + 5
    text = "\n".join(r.replace("{root}", str(root)) for r in rows)
    return parse(text, [(0, 2, CO), (owned_at + 2, owned_at + 4, CO)])


@pytest.mark.parametrize("share, part_of", [
    ([("wholly", "wholly", "ADV", "RB")], True),
    ([("80", "80", "NUM", "CD"), ("pct", "pct", "NOUN", "NN")], True),
    ([("majority", "majority", "NOUN", "NN")], True),
    ([("30", "30", "NUM", "CD"), ("pct", "pct", "NOUN", "NN")], False),
    ([], False),
])
def test_owned_by_needs_a_majority(share, part_of):
    _, rels = record(owned(share))
    assert (("Vireo Labs", "PART_OF", "Kestrel Mining") in rels) is part_of


@pytest.mark.parametrize("words, majority", [
    ("wholly", True), ("fully", True), ("majority", True), ("100", True),
    ("80 pct", True), ("51 %", True), ("50.5 pct", True), ("a 75 pct", True),
    ("50 pct", False), ("49.9 pct", False), ("30", False), ("minority", False),
    ("partly", False), ("", False), ("pct", False), ("a - 1", False),
])
def test_majority(words, majority):
    assert _majority(words) is majority
