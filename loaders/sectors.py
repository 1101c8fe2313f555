"""The `kg_sectors` component: sector mentions through the SKOS labels of the sector scheme,
each labelled with its preferred label (doc.spans["kg_sectors"])."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

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
