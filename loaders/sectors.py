"""The `kg_sectors` component: sector mentions through the SKOS labels of the sector scheme,
each labelled with its preferred label (doc.spans["kg_sectors"])."""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from loaders import lexicon as lx
from loaders.mentions import SPAN_KEY as MENTIONS_KEY
from ontology.vocab import vocabulary

SPAN_KEY = "kg_sectors"


@Language.factory("kg_sectors")
def make_kg_sectors(nlp: Language, name: str) -> KgSectors:
    return KgSectors(nlp)


class KgSectors:
    def __init__(self, nlp: Language) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")  # short acronyms: case matters
        for concept in vocabulary().sectors:
            labels = {concept.pref, *concept.alts}
            short = [lab for lab in labels if len(lab) <= 3 or lab.isupper()]
            rest = [lab for lab in labels if lab not in short]
            if rest:
                self.lower.add(concept.pref, [nlp.make_doc(lab) for lab in rest])
            if short:
                self.exact.add(concept.pref, [nlp.make_doc(lab) for lab in short])

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.lower(doc)) + list(self.exact(doc))
        matches += [(self._adjective_label(doc, t.lower_), t.i, t.i + 1) for t in doc
                    if t.lower_ in lx.SECTOR_ADJECTIVES and t.dep_ in {"amod", "conj"} and
                    t.head.lower_ in lx.COOPERATION_HEADS]
        matches = [m for m in matches if m[0] and not _field_of_modifier(doc, m[1], m[2])]
        names: set[int] = set()
        for m in doc.spans[MENTIONS_KEY] if MENTIONS_KEY in doc.spans else []:
            names.update(range(m.start, m.end))
        # a sector word inside a name ("Acme Power Corp") is the name's
        spans = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in matches
                 if names.isdisjoint(range(s, e)) and not _in_title(doc, s, e)]
        # longest first, no overlaps ("higher education" beats "education")
        spans.sort(key=lambda sp: (-(sp.end - sp.start), sp.start))
        kept: list[Span] = []
        used: set[int] = set()
        for sp in spans:
            if used.isdisjoint(range(sp.start, sp.end)):
                kept.append(sp)
                used.update(range(sp.start, sp.end))
        doc.spans[SPAN_KEY] = sorted(kept, key=lambda sp: sp.start)
        return doc

    @staticmethod
    def _adjective_label(doc: Doc, adjective: str) -> int:
        """'industrial joint ventures', 'an industrial cooperation pact': an adjective of a
        field modifying a noun of cooperation mentions the field (alone, 'industrial waste' or
        'the industrial city of X' names none). The relation reader ties no agreement to it:
        an adjective states the field too loosely for COVERS_SECTOR."""
        pref = _adjective_concept(adjective)
        return doc.vocab.strings.add(pref) if pref else 0


def verb_of_act(t: Token) -> bool:
    """'learning about 5G use cases': a verb with its own object or complement names an act;
    the field is mentioned, but too loosely to say what an agreement covers (a modifier, 'a
    van manufacturing venture', names the field)."""
    return t.pos_ == "VERB" and t.dep_ not in {"amod", "compound", "nmod", "pobj"} and \
        any(c.dep_ in {"dobj", "prep"} for c in t.children)


def _field_of_modifier(doc: Doc, s: int, e: int) -> bool:
    """'the telecommunication industry', 'the car industry': a generic field noun with a
    modifier names the modifier's field, not the generic one."""
    t = doc[s]
    return e - s == 1 and t.lower_ in lx.GENERIC_FIELD_NOUNS and any(
        c.dep_ in {"compound", "amod", "nmod"} and c.i < t.i for c in t.children)


@cache
def _adjective_concept(adjective: str) -> str | None:
    return concept_for(lx.SECTOR_ADJECTIVES[adjective])


def _in_title(doc: Doc, s: int, e: int) -> bool:
    """'chief financial officer', 'Minister of Health': a field inside a title names a post."""
    if e < len(doc) and doc[e].lower_ in lx.TITLE_HEADS:
        return True
    return s >= 2 and doc[s - 1].lower_ in {"of", "for"} and doc[s - 2].lower_ in lx.TITLE_HEADS


def concept_for(label: str) -> str | None:
    """The preferred label of the concept that has this label (any case)."""
    key = label.casefold()
    for concept in vocabulary().sectors:
        if key == concept.pref.casefold() or key in {a.casefold() for a in concept.alts}:
            return concept.pref
    return None
