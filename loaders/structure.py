"""Belonging read off the dependency parse: which institution is a unit of which.

    unit-possessive   "Acme's unit Beta", "its Beta subsidiary", "Acme's Beta unit"
    its-named         "Acme said its Beta Group signed ..."
    unit-of           "Beta, a unit of Acme", "Beta is a subsidiary of Acme", "part of Acme"
    owned-by          "Beta, 80 pct owned by Acme", "wholly owned by Acme" (a minority stake
                      is not belonging: the spec keeps PART_OF for units and majority holdings)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, cast

from spacy.attrs import DEP, HEAD, POS
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from loaders import lexicon as lx

if TYPE_CHECKING:
    from thinc.types import Ints2d

    from loaders.coreference import Cluster
    from loaders.relations import RelationReader


def _patterns() -> dict[str, list[list[dict]]]:
    """The anchors of belonging as dependency patterns, from the lexicon's word lists."""
    units = sorted(lx.PART_OF_NOUNS)
    return {
        "unit-possessive": [[
            {"RIGHT_ID": "unit", "RIGHT_ATTRS": {"LOWER": {"IN": units}}},
            {"LEFT_ID": "unit", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "poss"}},
        ]],
        "unit-of": [[
            {"RIGHT_ID": "unit", "RIGHT_ATTRS": {"LOWER": {"IN": [*units, "part"]}}},
            {"LEFT_ID": "unit", "REL_OP": ">", "RIGHT_ID": "of",
             "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "of"}},
            {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "pobj"}},
        ], [
            {"RIGHT_ID": "unit", "RIGHT_ATTRS": {"LOWER": {"IN": units}, "DEP": "appos"}},
            {"LEFT_ID": "unit", "REL_OP": ">", "RIGHT_ID": "owner",
             "RIGHT_ATTRS": {"DEP": {"IN": ["compound", "nmod"]}}},
        ]],
        "owned-by": [[
            {"RIGHT_ID": "owned", "RIGHT_ATTRS": {"LOWER": "owned"}},
            {"LEFT_ID": "owned", "REL_OP": ">", "RIGHT_ID": "agent", "RIGHT_ATTRS": {"DEP": "agent"}},
            {"LEFT_ID": "agent", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "pobj"}},
        ]],
        "its-named": [[
            {"RIGHT_ID": "unit", "RIGHT_ATTRS": {"POS": {"IN": ["PROPN", "NOUN"]}}},
            {"LEFT_ID": "unit", "REL_OP": ">", "RIGHT_ID": "its",
             "RIGHT_ATTRS": {"LOWER": "its", "DEP": "poss"}},
        ]],
    }


_ATTRS = [POS, DEP, HEAD]


@cache
def _required_words() -> frozenset[str] | None:
    """Words without which no pattern matches: of each pattern, one node's LOWER values
    (None when a pattern has no such node: every sentence must then be matched)."""
    out: set[str] = set()
    for patterns in _patterns().values():
        for pattern in patterns:
            lowers = [n["RIGHT_ATTRS"]["LOWER"] for n in pattern if "LOWER" in n["RIGHT_ATTRS"]]
            if not lowers:
                return None
            first = lowers[0]
            out.update(first["IN"] if isinstance(first, dict) else [first])
    return frozenset(out)


def make_structure_matcher(vocab: Vocab) -> DependencyMatcher:
    matcher = DependencyMatcher(vocab)
    for name, patterns in _patterns().items():
        matcher.add(name, patterns)
    return matcher


class StructureReader:
    def __init__(self, ctx: RelationReader, matcher: DependencyMatcher) -> None:
        self.ctx = ctx
        self.matches: dict[int, list[tuple[str, list[int]]]] = {}
        doc = ctx.doc
        # Each sentence that can match is copied into a Doc of its own from arrays read once:
        # the matcher's own copy (`Span.as_doc`) reads the whole document's arrays and
        # entities each time, quadratic in a long text, and one call on the whole document
        # walks every matched token's ancestors, slow on deep parses of broken layouts.
        # The patterns read only LOWER, POS, DEP and the heads, which the copy keeps.
        words = _required_words()
        arr = doc.to_array(_ATTRS)
        for sent in ctx.sent_list:
            if len(sent) > lx.MAX_PATTERN_SENTENCE:
                continue  # a run-on "sentence" is a layout failure; the matcher is superlinear
            if words is not None and not any(t.lower_ in words for t in sent):
                continue  # no pattern matches without one of its words
            copy = Doc(doc.vocab, words=[t.text for t in sent],
                       spaces=[bool(t.whitespace_) for t in sent])
            copy.from_array(_ATTRS, cast("Ints2d", arr[sent.start:sent.end]))
            for match_id, ids in matcher(copy):
                self.matches.setdefault(sent.start, []).append(
                    (doc.vocab.strings[match_id], [sent.start + i for i in ids]))

    def read(self, sent: Span) -> None:
        doc = self.ctx.doc
        for t in sent:
            if t.lower_ in lx.PARENT_NOUNS:
                self._parent_noun(t, sent)
            elif t.lower_ in lx.NAMED_UNIT_NOUNS:
                self._owner_modifies_unit(t, sent)
        done: set[tuple[str, int]] = set()
        for rule, ids in sorted(self.matches.get(sent.start, []), key=lambda m: m[1]):
            anchor = doc[ids[0]]
            if (rule, anchor.i) in done:
                continue
            done.add((rule, anchor.i))
            if rule == "its-named":
                self._its_named(doc[ids[1]], sent)
            elif rule in {"unit-possessive", "unit-of"}:
                if ("unit", anchor.i) not in done:
                    done.add(("unit", anchor.i))
                    self._unit_noun(anchor, sent)
            elif rule == "owned-by":
                self._owned_by(anchor, sent)

    def _inst(self, t: Token) -> Cluster | None:
        hit = self.ctx.mention_at(t.i)
        if hit is not None and hit[1].type == "Institution":
            return hit[1]
        return None

    def _owner_of_pronoun(self, t: Token) -> Cluster | None:
        """'its unit': the subject of the clause the phrase sits in, else the latest name."""
        for v in t.ancestors:
            subj = [c for c in v.children if c.dep_ == "nsubj" and c.i < t.i]
            for s in subj:
                c = self._inst(s) or next((self._inst(x) for x in s.subtree if self._inst(x)), None)
                if c is not None:
                    return c
        return self.ctx.latest_institution(t.i)

    def _unit_noun(self, n: Token, sent: Span) -> None:
        owner: Cluster | None = None
        nominal: Token | None = None
        for c in n.children:
            if c.dep_ == "poss":
                owner = self._owner_of_pronoun(c) if c.lower_ in {"its", "their"} else self._inst(c)
                if owner is None and c.lower_ in lx.DEFINITE_INSTITUTION_NOUNS and \
                        any(d.lower_ == "the" for d in c.children):
                    nominal = c  # "X, the company's local subsidiary": resolved below
            if c.dep_ == "prep" and c.lower_ == "of":
                for o in c.children:
                    if o.dep_ == "pobj":
                        owner = self._inst(o) or next(
                            (self._inst(x) for x in o.children if x.dep_ in {"compound", "appos"}
                             and self._inst(x)), None)
        if owner is None and nominal is not None and n.dep_ == "appos" and \
                (unit := self._inst(n.head)) is not None:
            owner = self._referent(nominal, unit)
            if owner is not None:
                self.ctx.add(unit, "PART_OF", owner, sent, 0.75, rule="unit-possessive")
            return
        if owner is None and n.dep_ == "appos":
            # "Beta, an Acme subsidiary,": the owner modifies the noun
            owner = next((self._inst(c) for c in n.children if c.dep_ in {"compound", "nmod"}
                          and self._inst(c)), None)
            if owner is not None and (head := self._inst(n.head)):
                self.ctx.add(head, "PART_OF", owner, sent, 0.8, rule="unit-of")
            return
        if owner is None:
            return
        units: list[Cluster] = []
        inside = self._inst(n)
        if inside is not None:
            units.append(inside)  # "its Beta Subsidiary" names the unit with the noun
        for c in n.children:
            if c.dep_ in {"appos", "compound", "nmod"} and (unit := self._inst(c)):
                units.append(unit)
        if n.dep_ == "appos" and (unit := self._inst(n.head)):
            units.append(unit)  # "Beta, a unit of Acme"
        if n.dep_ in {"attr"}:
            subj = [c for c in n.head.children if c.dep_ == "nsubj"]
            if subj and (unit := self._inst(subj[0])):
                units.append(unit)  # "Beta is a unit of Acme"
        for u in units:
            if u is not owner:
                self.ctx.add(u, "PART_OF", owner, sent, 0.8, rule=(
                    "unit-of" if any(c.lower_ == "of" for c in n.children) else "unit-possessive"))

    def _referent(self, noun: Token, unit: Cluster) -> Cluster | None:
        """'the company' in 'X, the company's subsidiary': the institution last named before
        that the noun fits, other than the unit itself (which was named just before)."""
        best, pos = None, -1
        head = noun.lower_
        for c in self.ctx.res.clusters:
            if c.type != "Institution" or c is unit:
                continue
            fits = any(head in f.lower().split() for f in c.forms) or \
                (lx.INSTITUTION_HEADS.get(head) == c.subtype and head in {"company", "university"})
            p = max((m.start for m in c.mentions if m.start < noun.i), default=-1)
            if fits and p > pos:
                best, pos = c, p
        return best

    def _parent_noun(self, t: Token, sent: Span) -> None:
        """'P, the parent company of U', 'U's parent, P', 'P, its parent company' (in a clause
        about U), 'P is the parent of U': the unit is PART_OF the parent."""
        n = t.head if t.dep_ == "compound" and t.head.pos_ == "NOUN" else t
        parents: list[Cluster] = []
        if n.dep_ == "appos" and (p := self._inst(n.head)):
            parents.append(p)
        parents += [p for c in n.children if c.dep_ == "appos" and (p := self._inst(c))]
        if n.dep_ == "attr" and n.head.lemma_ == "be":
            parents += [p for c in n.head.children if c.dep_ == "nsubj" and (p := self._inst(c))]
        units: list[Cluster] = []
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                units += [u for o in c.children if o.dep_ == "pobj" and (u := self._inst(o))]
            if c.dep_ == "poss" and c.lower_ in {"its", "their"}:
                # "Beta said Acme, its parent, ...": the pronoun is a subject other than Acme
                units += [u for v in c.ancestors for x in v.children if x.dep_ == "nsubj"
                          and x.i < c.i and (u := self._inst(x)) and u not in parents][:1]
            elif c.dep_ == "poss" and (u := self._inst(c)):
                units.append(u)
        for u in units:
            for p in parents:
                if u is not p:
                    self.ctx.add(u, "PART_OF", p, sent, 0.75, rule="parent-of")

    def _owner_modifies_unit(self, n: Token, sent: Span) -> None:
        """'Another Acme subsidiary, Beta AG, signed ...': the owner modifies the unit noun and
        the unit's name stands in apposition to it."""
        if n.dep_ == "appos" or any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of")
                                    for c in n.children):
            return  # the possessive and "of" patterns read these
        owner = next((o for c in n.children if c.dep_ in {"compound", "nmod"}
                      and (o := self._inst(c))), None)
        if owner is None or self._inst(n) is not None:
            return
        for c in n.children:
            if c.dep_ == "appos" and (unit := self._inst(c)) and unit is not owner:
                self.ctx.add(unit, "PART_OF", owner, sent, 0.75, rule="unit-appositive")

    def _its_named(self, its: Token, sent: Span) -> None:
        """'Acme said its Beta Group has signed ...': a named institution that the reporting
        subject calls its own is its unit."""
        unit = self._inst(its.head)
        if unit is None or any(x.lower_ in lx.PARTNER_NOUNS for x in its.head.subtree):
            return
        for v in its.ancestors:
            if v.lemma_.lower() in lx.REPORTING_LEMMAS:
                subj = [c for c in v.children if c.dep_ == "nsubj"]
                owner = self._inst(subj[0]) if subj else None
                if owner is not None and owner is not unit:
                    self.ctx.add(unit, "PART_OF", owner, sent, 0.7, rule="its-named")
                return

    def _owned_by(self, t: Token, sent: Span) -> None:
        agents = [c for c in t.children if c.dep_ == "agent"]
        if not agents:
            return
        owner = next((self._inst(o) for o in agents[0].children if o.dep_ == "pobj"), None)
        head = t.head
        left = " ".join(x.lower_ for x in t.subtree if x.i < t.i)
        if head.lower_ in lx.SHARE_NOUNS and head.i != head.head.i:
            # "Beta, 80 pct owned by Acme": the share is in apposition to the unit
            left = " ".join(x.lower_ for x in head.subtree if x.i < t.i)
            head = head.head
        unit = self._inst(head) if head.i != t.i else None
        lead = head.left_edge.i if head.i != t.i else t.left_edge.i
        if unit is None and lead >= 2 and self.ctx.doc[lead - 1].text == ",":
            unit = self._inst(self.ctx.doc[lead - 2])  # "Beta GmbH, 75 pct owned by Acme,"
        if owner is None or unit is None or unit is owner:
            return
        if not _majority(left):
            return
        self.ctx.add(unit, "PART_OF", owner, sent, 0.7, rule="owned-by")


def _majority(words: str) -> bool:
    if any(w in words.split() for w in ("wholly", "majority", "fully", "100")):
        return True
    for w in words.split():
        try:
            if float(w) > 50:
                return True
        except ValueError:
            continue
    return False
