"""The kg pipeline components, registered as spaCy factories so that a pipeline built from a
config (or `load_pipeline`) runs the whole extraction inside `nlp(text)`:

    kg_layout     before the parser: line breaks that end a headline or a paragraph start a
                  sentence (wire copy has no full stop after its headline)
    kg_mentions   institution, person and place mentions (doc.spans["kg"])
    kg_sectors    sector mentions from the SKOS scheme (doc.spans["kg_sectors"])
    kg_resolve    within-document resolution into entity clusters (doc._.kg_resolver)
    kg_relations  positions, agreement events, structure (doc._.kg, a RelationReader)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from loaders import lexicon as lx
from loaders import mentions as _mentions  # noqa: F401  (registers kg_mentions)
from loaders import sectors as _sectors  # noqa: F401  (registers kg_sectors)
from loaders.agreements import TriggerMatcher
from loaders.coreference import DocResolver
from loaders.mentions import SPAN_KEY
from loaders.relations import RelationReader
from loaders.sectors import SPAN_KEY as SECTOR_KEY
from loaders.structure import make_structure_matcher

if TYPE_CHECKING:
    from thinc.types import Ints2d

for _name in ("kg_resolver", "kg"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


SENTENCE_END = {".", "!", "?", ":", ";", "\"", "'", "”", "’", ")", "...", "…"}


@Language.component("kg_layout")
def kg_layout(doc: Doc) -> Doc:
    """A line break starts a sentence; inside a line a sentence starts only after closing
    punctuation (the small model otherwise splits long names of foreign companies). Written as
    one array: setting `Token.is_sent_start` one token at a time is quadratic."""
    starts = numpy.zeros(len(doc), dtype="int64")  # 1 starts, -1 does not, 0 parser decides
    run = 0  # tokens since the last start
    for t in doc[1:]:
        prev = doc[t.i - 1]
        run += 1
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not t.is_space:
                starts[t.i] = 1
        elif run >= lx.MAX_PATTERN_SENTENCE and not t.is_space:
            # no sentence of news is this long ("a a a ..." a whole file): cut it, or the
            # parser and the patterns work on one unbounded "sentence"
            starts[t.i] = 1
        elif not t.is_space and not prev.is_space and (
                (prev.text not in SENTENCE_END and not prev.text.endswith(".")) or
                (prev.text.endswith(".") and len(prev.text) > 1 and (t.is_lower or t.is_punct))):
            starts[t.i] = -1  # "... of the U.S. and Beta": an abbreviation, not an end
        elif prev.text == "." and t.i >= 2 and not doc[t.i - 2].whitespace_ and \
                doc[t.i - 2].lower_ in lx.HONORIFICS and doc[t.i - 2].is_title:
            starts[t.i] = -1  # "Eng. Rania Haddad": the tokenizer cut an honorific's dot
        if starts[t.i] == 1:
            run = 0
    for k in _dateline_ends(doc):
        starts[k] = 1
    if len(doc):
        starts[0] = 1
        # spaCy's dtype; the stubs want thinc's Ints2d, which a numpy array is at run time
        doc.from_array([SENT_START], cast("Ints2d", starts.astype("uint64").reshape(-1, 1)))
    return doc


MAX_DATELINE = 12  # tokens: "CITY, Country, 14 May 2025 (Agency) —" and no longer


def _dateline_ends(doc: Doc) -> list[int]:
    """Where the story starts after a dateline ("LYON, Rhône — Acme said ...", "BONN, Oct 14
    - ..."): a line that opens with capitalised words, commas, dates and an agency in
    brackets, then a spaced dash. The parser reads the dateline's place as the subject of the
    story's first clause unless the clause is a sentence of its own."""
    out = []
    line = 0
    for t in doc:
        if t.i and ("\n" in doc[t.i - 1].whitespace_ or doc[t.i - 1].is_space):
            line = t.i
        if t.text not in lx.DATELINE_DASHES or t.i == line or t.i - line > MAX_DATELINE or \
                not doc[t.i - 1].whitespace_ or not t.whitespace_ or t.i + 1 >= len(doc):
            continue
        head = doc[line:t.i]
        if head[0].text[:1].isupper() and "," in head.text and \
                all(w.text[:1].isupper() or w.is_punct or w.like_num for w in head) and \
                doc[t.i + 1].text[:1].isupper():
            out.append(t.i + 1)
    return out


@Language.component("kg_resolve")
def kg_resolve(doc: Doc) -> Doc:
    resolver = DocResolver(doc)
    resolver.resolve(list(doc.spans[SPAN_KEY]))
    for s in doc.spans[SECTOR_KEY]:
        resolver.sector(s.label_)
    doc._.kg_resolver = resolver
    return doc


@Language.factory("kg_relations")
def make_kg_relations(nlp: Language, name: str) -> KgRelations:
    return KgRelations(nlp)


class KgRelations:
    def __init__(self, nlp: Language) -> None:
        self.triggers = TriggerMatcher(nlp.vocab, nlp.make_doc)
        self.structure = make_structure_matcher(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        resolver = doc._.kg_resolver
        if resolver is None:
            resolver = kg_resolve(doc)._.kg_resolver
        reader = RelationReader(doc, resolver)
        reader.read_positions()
        reader.read_agreements(self.triggers)
        reader.read_positions()  # again: governments that agreements made parties hold titles
        reader.read_structure(self.structure)
        doc._.kg = reader
        return doc
