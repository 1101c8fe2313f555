"""Relations of the ontology read off one parsed document: positions, agreements (parties,
kind, status, date, sectors, what they establish), PART_OF, PARTNER_OF and LOCATED_IN. Each
relation keeps its sentence as evidence and a confidence that reflects the rule's strength."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from loaders import lexicon as lx
from loaders.agreements import (
    AgreementDraft,
    AgreementReader,
    Event,
    TriggerMatcher,
    _is_headline,
)
from loaders.coreference import Cluster, DocResolver, _is_acronym, government_name, initials
from loaders.mentions import SPAN_KEY, _cap, _is_title_word
from loaders.places import country_of_demonym, lookup
from loaders.sectors import SPAN_KEY as SECTOR_KEY
from loaders.sectors import concept_for, verb_of_act
from loaders.structure import StructureReader
from ontology.vocab import fold


@dataclass
class Rel:
    subject: Cluster
    predicate: str
    object: Cluster
    sent: Span
    confidence: float
    title: str | None = None
    rule: str = ""


def _caller_rule() -> str:
    """The reading method that produced a relation names its rule ('_title_after' ->
    'title-after'), so per-rule scores point at code without a registry to keep in step."""
    import sys

    return sys._getframe(2).f_code.co_name.strip("_").replace("_", "-")


class RelationReader:
    def __init__(self, doc: Doc, resolver: DocResolver) -> None:
        self.doc = doc
        self.res = resolver
        self.rels: list[Rel] = []
        self.agreements: list[AgreementDraft] = []
        self.sent_list = list(doc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sent_list)}
        self.mentions_by_sent: dict[int, list[tuple[Span, Cluster]]] = {}
        for m in doc.spans[SPAN_KEY]:
            c = resolver.cluster_of(m)
            if c is not None:
                self.mentions_by_sent.setdefault(m.sent.start, []).append((m, c))
        self.sectors_by_sent: dict[int, list[Span]] = {}
        for s in doc.spans[SECTOR_KEY]:
            if len(s) == 1 and (s[0].lower_ in lx.SECTOR_ADJECTIVES or verb_of_act(s[0])):
                continue  # a field named by an adjective or a verb is mentioned, too loosely tied
            self.sectors_by_sent.setdefault(s.sent.start, []).append(s)
        self.positions: dict[str, Cluster] = {}  # person id -> first institution
        self.last_person: Cluster | None = None

    # ------------------------------------------------------------------ helpers
    def in_sent(self, sent: Span, etype: str | None = None) -> list[tuple[Span, Cluster]]:
        ms = self.mentions_by_sent.get(sent.start, [])
        return [(m, c) for m, c in ms if etype is None or c.type == etype]

    def mention_at(self, i: int) -> tuple[Span, Cluster] | None:
        for m, c in self.mentions_by_sent.get(self.doc[i].sent.start, []):
            if m.start <= i < m.end:
                return m, c
        return None

    def add(self, s: Cluster, p: str, o: Cluster, sent: Span, conf: float,
            title: str | None = None, rule: str = "") -> None:
        if s is o:
            return
        self.rels.append(Rel(s, p, o, sent, conf, title, rule or _caller_rule()))

    def hold(self, person: Cluster, org: Cluster, sent: Span, conf: float, title: str | None,
             rule: str = "") -> None:
        """A position read: the relation, and the person's employer for later pronouns."""
        self.add(person, "HOLDS_POSITION", org, sent, conf, title, rule=rule or _caller_rule())
        self.positions.setdefault(person.id, org)

    def latest_institutions(self, before: int, n: int) -> list[Cluster]:
        """The n institutions last named before a token (for "the two companies")."""
        seen: list[tuple[int, Cluster]] = []
        for c in self.res.clusters:
            if c.type == "Institution":
                p = max((m.start for m in c.mentions if m.start < before), default=-1)
                if p >= 0:
                    seen.append((p, c))
        seen.sort(key=lambda x: -x[0])
        return [c for _, c in seen[:n]] if len(seen) >= n else []

    def latest_governments(self, before: int, n: int) -> list[Cluster]:
        """The governments of the n countries last named before a token ("the two
        governments", "both countries"), or none when fewer countries were named."""
        seen: list[tuple[int, str, str]] = []
        for c in self.res.clusters:
            if c.type != "Location":
                continue
            at = [m for m in c.mentions if m.start < before]
            place = lookup(at[-1].text) if at else None
            if place and place[1] == "country":
                last = max(at, key=lambda m: m.start)
                seen.append((last.start, place[0], last.text))
        seen.sort(key=lambda x: -x[0])
        if len(seen) < n:
            return []
        return [self.res.government_of(country, surface) for _, country, surface in seen[:n]]

    def main_country(self) -> str | None:
        """The country named most often (first named on a tie)."""
        counts: dict[str, list[int]] = {}
        for c in self.res.clusters:
            if c.type == "Location" and c.mentions:
                place = lookup(c.mentions[0].text)
                if place and place[1] == "country":
                    counts.setdefault(place[0], [0, min(m.start for m in c.mentions)])
                    counts[place[0]][0] += len(c.mentions)
        if not counts:
            return None
        return min(counts, key=lambda k: (-counts[k][0], counts[k][1]))

    def latest_person(self, before: int) -> Cluster | None:
        best, pos = None, -1
        for c in self.res.clusters:
            if c.type == "Person":
                p = max((m.start for m in c.mentions if m.start < before), default=-1)
                if p > pos:
                    best, pos = c, p
        return best

    def latest_institution(self, before: int, head: str | None = None) -> Cluster | None:
        """The institution a pronoun or a definite noun ('the company') refers back to."""
        if head and head not in {"unit", "subsidiary", "partner"}:
            c = self.res.definite(head, before)
            if c is not None:
                return c
        best, pos = None, -1
        for c in self.res.clusters:
            if c.type != "Institution":
                continue
            p = max((m.start for m in c.mentions if m.start < before), default=-1)
            if p > pos:
                best, pos = c, p
        return best

    # ------------------------------------------------------------------ positions
    def read_positions(self) -> None:
        for sent in self.sent_list:
            for m, person in self.in_sent(sent, "Person"):
                self.last_person = person
                found = self._title_before(m, person, sent) | self._title_after(m, person, sent)
                found = found or self._title_of_before(m, person, sent) \
                    or self._heads(m, person, sent) or self._as_title(m, person, sent) \
                    or self._serves_as(m, person, sent) \
                    or self._appointed(m, person, sent) or self._its_title(m, person, sent) \
                    or self._coordinated_title(m, person, sent)
                if not found:
                    self._title_before_fallback(m, person, sent)

    def _title_of_before(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'The head of Orvane Holdings, NAME, said': a title and its institution before the
        name, set off by a comma."""
        doc = self.doc
        k = m.start - 1
        if k <= sent.start or doc[k].text != "," or m.end >= sent.end or \
                doc[m.end].text not in {",", "-", "–"}:
            return False  # the name in apposition, closed on both sides
        hit = self.mention_at(k - 1)
        if hit is None or hit[1].type != "Institution":
            return False
        j = hit[0].start - 1
        while j > sent.start and doc[j].lower_ == "the":
            j -= 1
        if j <= sent.start or doc[j].lower_ not in {"of", "at"}:
            return False
        end = j
        while j - 1 >= sent.start and (doc[j - 1].lower_ in lx.TITLE_HEADS or
                                       doc[j - 1].lower_ in lx.TITLE_MODIFIERS):
            j -= 1
        title = _span_text(doc, j, end)
        if j == end or not any(w in lx.TITLE_HEADS for w in title.lower().split()):
            return False
        self.hold(person, hit[1], sent, 0.8, _title_case(title), rule="title-of-before")
        return True

    def _heads(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'NAME, who heads ORG': a verb of leading makes the title."""
        doc = self.doc
        k = m.end + 1 if m.end < sent.end and doc[m.end].text == "," else m.end
        if k + 1 < sent.end and doc[k].lower_ in {"who", "which"}:
            k += 1
        if k >= sent.end or doc[k].lemma_.lower() not in lx.LEADING_VERBS:
            return False
        j = k + 1
        while j < sent.end and doc[j].lower_ in {"the", "a", "an"}:
            j += 1
        hit = self.mention_at(j) if j < sent.end else None
        if hit is None or hit[1].type != "Institution":
            return False
        title = lx.LEADING_VERBS[doc[k].lemma_.lower()]
        self.hold(person, hit[1], sent, 0.75, title, rule="leads")
        return True

    def _subject_institution(self, verb: Token) -> Cluster | None:
        """The institution that is the verb's subject; when the small model hangs the verb on
        the name as a relative clause ("Acme, the Kisoro-based lender, on Monday appointed
        ..."), the name it hangs on."""
        for t in verb.children:
            if t.dep_ == "nsubj":
                hit = self.mention_at(t.i)
                if hit and hit[1].type == "Institution":
                    return hit[1]
        if verb.dep_ == "relcl" and verb.head.i < verb.i and \
                not any(t.dep_ in {"nsubj", "nsubjpass"} for t in verb.children):
            hit = self.mention_at(verb.head.i)
            if hit and hit[1].type == "Institution":
                return hit[1]
        return None

    def _appointed(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'Acme has appointed NAME chief financial officer'; 'NAME was named chief executive
        of Acme' (passive: the title follows the verb)."""
        verb = m.root.head
        if m.root.dep_ == "nsubjpass" and verb.lemma_.lower() in lx.APPOINTING_VERBS:
            k = verb.i + 1
            while k < sent.end and self.doc[k].lower_ in {"as", "the", "a", "an", "its", "new"}:
                k += 1
            title, _, org = self._collect_title(k, sent.end)
            if title and org is None:  # "was appointed chairman by Acme"
                org = next((c for a in verb.children if a.dep_ == "agent" for o in a.children
                            if o.dep_ == "pobj" and (c := self._inst_token(o))), None)
            if title and org is not None:
                self.hold(person, org, sent, 0.75, _title_case(title), rule="appointed")
                return True
            return False
        if _is_title_word(verb) and verb.head.i != verb.i:
            verb = verb.head  # the parse hangs the name on the title it is given
        if verb.i == m.root.i or verb.lemma_.lower() not in lx.APPOINTING_VERBS:
            return False
        title, _, org = self._collect_title(m.end, sent.end)
        org = org or self._subject_institution(verb)
        if not title or org is None:
            return False
        self.hold(person, org, sent, 0.75, _title_case(title), rule="appointed")
        return True

    def _its_title(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'Acme said its chairman, NAME, would retire': the title's owner is the subject."""
        doc = self.doc
        k = m.start - 1
        while k > sent.start and (doc[k].lower_ in lx.HONORIFICS or doc[k].text == "."):
            k -= 1  # "its Director-General, Eng. Rania Haddad"
        if k <= sent.start or doc[k].text != ",":
            return False
        j = k - 1
        while j > sent.start and k - j <= 5 and (_is_title_word(doc[j]) or (
                doc[j].text == "-" and _is_title_word(doc[j - 1]) and not doc[j].whitespace_)
                or (j < k - 1 and doc[j].is_alpha and doc[j].lower_ not in {"its", "their"} and
                    (doc[j].pos_ == "ADJ" or (doc[j].is_title and doc[j + 1].is_title)))):
            j -= 1  # "its Director-General", "the clinic's Medical Director"
        title = _span_text(doc, j + 1, k)
        if j >= k - 1 or not any(w in lx.TITLE_HEADS for w in re.split(r"[\s-]+", title.lower())):
            return False
        if doc[j].tag_ == "POS" and j - 2 >= sent.start and doc[j - 2].lower_ == "the" and \
                (doc[j - 1].lower_ in lx.INSTITUTION_HEADS or
                 doc[j - 1].lower_ in lx.DEFINITE_INSTITUTION_NOUNS):
            # "the clinic's medical director, Dr. NAME": the clinic named before
            org = self.latest_institution(j - 1, head=doc[j - 1].lower_)
            if org is None:
                return False
            self.hold(person, org, sent, 0.7, _title_case(title), rule="its-title")
            return True
        if doc[j].lower_ not in {"its", "their"}:
            return False
        org = None
        for v in doc[j].ancestors:
            if v.lemma_.lower() in lx.REPORTING_LEMMAS:
                org = self._subject_institution(v)
                break
        if org is None and j >= 4 and doc[j - 1].lower_ == "by" and \
                (hit := self.mention_at(j - 2)) is not None and hit[1].type == "Institution" and \
                doc[hit[0].start - 1].lower_ == "of" and doc[hit[0].start - 2].lower_ == "behalf":
            org = hit[1]  # "signed on behalf of ORG by its chief executive, NAME"
        if org is None and doc[j].lower_ == "its":
            # "Acme faced an inquiry. Its chief executive, NAME, said ...": the institution the
            # sentence before was about
            org = self.previous_subject(sent)
        if org is None:
            return False
        self.hold(person, org, sent, 0.75, _title_case(title), rule="its-title")
        return True

    def previous_subject(self, sent: Span) -> Cluster | None:
        """The institution that is the subject of the sentence before this one (or of this
        sentence's earlier clause), which a sentence-opening 'its' refers to."""
        idx = self.sent_index[sent.start]
        if idx == 0:
            return None
        prev = self.sent_list[idx - 1]
        for m, c in self.in_sent(prev, "Institution"):
            if m.root.dep_ in {"nsubj", "nsubjpass"} and m.root.head.dep_ == "ROOT":
                return c
        return None

    def _coordinated_title(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'ORG President A and Vice President B': the second title shares the first's ORG."""
        doc = self.doc
        j = m.start - 1
        while j > sent.start and _is_title_word(doc[j]):
            j -= 1
        if j >= m.start - 1 or doc[j].lower_ != "and" or j - 1 < sent.start:
            return False
        hit = self.mention_at(j - 1)
        if hit is None or hit[1].type != "Person" or hit[1].id not in self.positions:
            return False
        title = _span_text(doc, j + 1, m.start)
        if not any(w in lx.TITLE_HEADS for w in title.lower().split()):
            return False
        org = self.positions[hit[1].id]
        self.hold(person, org, sent, 0.7, _title_case(title), rule="coordinated-title")
        return True

    def _as_title(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'... appointed NAME as its chief executive', 'NAME as chairman of ORG'."""
        doc = self.doc
        k = m.end
        if k + 1 >= sent.end or doc[k].lower_ != "as":
            return False
        k += 1
        owner_word = doc[k].lower_ if doc[k].lower_ in {"its", "their", "the"} else None
        if owner_word:
            k += 1
        title, end, org = self._collect_title(k, sent.end)
        if not title:
            return False
        if org is None and (owner_word in {"its", "their"} or (
                owner_word is None and m.root.head.lemma_.lower() in lx.APPOINTING_VERBS)):
            # "... appointed NAME as its chief executive", "Acme appointed NAME as CFO"
            verb = m.root.head
            org = self._subject_institution(verb) if verb.i != m.root.i else None
        if org is None:
            return False
        self.hold(person, org, sent, 0.75, _title_case(title), rule="as-title")
        return True

    def _serves_as(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'NAME will serve as chief executive of ORG', 'NAME, who agreed to act as Deputy
        Director of ORG', 'NAME joined ORG as chief financial officer': a verb of taking a
        post whose subject is the person, and its 'as TITLE'."""
        for v in sent:
            if v.pos_ != "VERB" or v.lemma_.lower() not in lx.SERVING_VERBS or \
                    not m.start <= _clause_subject(v).i < m.end:
                continue
            for prep in v.children:
                if prep.dep_ != "prep" or prep.lower_ != "as":
                    continue
                k = prep.i + 1
                owner = k < sent.end and self.doc[k].lower_ in {"its", "their"}
                while k < sent.end and self.doc[k].lower_ in {"its", "their", "the", "a", "an",
                                                              "new"}:
                    k += 1
                title, _, org = self._collect_title(k, sent.end)
                if not title:
                    continue
                if org is None:  # "joined ORG as CTO", "named by ORG as its chairman"
                    org = next((c for c in (self._inst_token(x) for x in v.children
                                            if x.dep_ in {"dobj", "nsubj"} or owner)
                                if c is not None), None)
                if org is not None:
                    self.hold(person, org, sent, 0.8, _title_case(title))
                    return True
        return False

    def _inst_token(self, t: Token) -> Cluster | None:
        hit = self.mention_at(t.i)
        return hit[1] if hit is not None and hit[1].type == "Institution" else None

    def _collect_title(self, start: int, stop: int, have_org: bool = False
                       ) -> tuple[str, int, Cluster | None]:
        """Read a title forward from `start`: modifiers and head words, then an optional
        'of/for/to' complement. Returns (title, end index, institution in the complement)."""
        doc = self.doc
        k = start
        words = []
        while k < stop and (doc[k].lower_ in lx.TITLE_HEADS or doc[k].lower_ in lx.TITLE_MODIFIERS
                            or doc[k].text in {"-"} or _title_qualifier(doc, k, stop)):
            words.append(doc[k])
            k += 1
        if not any(w.lower_ in lx.TITLE_HEADS for w in words):
            return "", start, None
        org = None
        if k < stop and doc[k].lower_ in {"of", "for", "to", "at", "with"}:
            j = k + 1
            while j < stop and doc[j].lower_ in {"the"}:
                j += 1
            hit = self.mention_at(j) if j < stop else None
            if hit and hit[1].type == "Institution" and doc[k].lower_ != "to" and not have_org:
                return _span_text(doc, start, k), hit[0].end, hit[1]
            # "chair of the Indian firm": a definite description of an institution named before
            d = j
            while d < stop and doc[d].pos_ in {"ADJ", "PROPN"} and d - j < 3:
                d += 1
            if j > k + 1 and d < stop and doc[d].lower_ in lx.DEFINITE_INSTITUTION_NOUNS and \
                    doc[k].lower_ in {"of", "at"} and not have_org and (
                        d + 1 >= stop or doc[d + 1].is_punct or doc[d + 1].pos_ in {"VERB", "AUX"}):
                org = self.latest_institution(start, head=doc[d].lower_)
                if org is not None:
                    return _span_text(doc, start, k), d + 1, org
            # the complement belongs to the title ("for public affairs", "of Government Affairs")
            e = k + 1
            while e < stop and not doc[e].is_punct and doc[e].pos_ not in {"VERB", "AUX"} \
                    and doc[e].lower_ not in {"who", "which", "that"}:
                if doc[e].lower_ in {"at", "of"} and not have_org and e + 1 < stop:
                    # "director of public affairs at ORG": the employer closes the complement
                    o = e + 2 if doc[e + 1].lower_ == "the" else e + 1
                    hit = self.mention_at(o) if o < stop else None
                    if hit and hit[1].type == "Institution":
                        return _span_text(doc, start, e), hit[0].end, hit[1]
                e += 1
            return _span_text(doc, start, e), e, org
        return _span_text(doc, start, k), k, org

    def _title_after(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'NAME, [ORG's] TITLE of ORG [and TITLE of ORG]' and 'NAME, who is (also) TITLE of ORG'."""
        doc = self.doc
        k = m.end
        if k + 1 < sent.end and doc[k].lower_ in lx.COPULAS:
            pass  # "NAME is the president of ORG"
        elif k >= sent.end or doc[k].text != ",":
            return False
        else:
            k += 1
        if k + 1 < sent.end and doc[k].like_num and doc[k + 1].text == ",":
            k += 2  # "NAME, 52, president of ORG"
        if k + 1 < sent.end and doc[k].lower_ in {"who", "the", "a", "an"} | lx.COPULAS:
            while k < sent.end and doc[k].lower_ in lx.COPULAS | {"who", "also", "the", "now",
                                                     "currently", "has", "been", "a", "an"}:
                k += 1
        found = False
        while k < sent.end:
            org = None
            hit = self.mention_at(k)
            if hit and hit[1].type == "Institution":
                org = hit[1]
                k = hit[0].end
                if k < sent.end and (doc[k].tag_ == "POS" or doc[k].text in {"'s", "’s"}):
                    k += 1
            title, end, comp_org = self._collect_title(k, sent.end, have_org=org is not None)
            if not title:
                break
            org = comp_org or org
            if org is not None:
                self.hold(person, org, sent, 0.9, _title_case(title))
                found = True
            k = end
            if k < sent.end and doc[k].lower_ == "and":
                k += 1
                continue
            break
        return found

    def _title_before(self, m: Span, person: Cluster, sent: Span) -> bool:
        """'[ORG|Demonym] TITLE NAME' and 'the ORG TITLE for X, NAME'."""
        doc = self.doc
        k = m.start - 1
        while k >= sent.start and doc[k].lower_ in lx.HONORIFICS | {"."}:
            k -= 1
        comma = False
        if k >= sent.start and doc[k].text == ",":
            comma, k = True, k - 1
        end = k + 1
        # walk back over the title (and a lowercase complement before a comma)
        j = k
        while j >= sent.start and (doc[j].lower_ in lx.TITLE_HEADS or
                                   doc[j].lower_ in lx.TITLE_MODIFIERS or
                                   (comma and doc[j].is_lower and not doc[j].is_punct
                                    and doc[j].pos_ not in {"VERB", "AUX"}) or
                                   # "the Ruritanian Ambassador to Freedonia, NAME"
                                   (comma and _place_complement(self, j)) or
                                   (doc[j].lower_ == "and" and j - 1 >= sent.start and
                                    doc[j - 1].lower_ in lx.TITLE_HEADS)):
            j -= 1  # "Chairman and Chief Executive NAME": coordinated titles
        while j + 1 < end and doc[j + 1].lower_ not in lx.TITLE_HEADS | lx.TITLE_MODIFIERS:
            j += 1
        start = j + 1
        if start >= end:
            return False
        title, tend, comp_org = self._collect_title(start, end)
        if not title:
            return False
        org = comp_org
        if org is None and start - 1 >= sent.start:
            prev = self.doc[start - 1]
            hit = self.mention_at(prev.i)
            if hit is None and prev.tag_ == "POS" and start - 2 >= sent.start:
                hit = self.mention_at(start - 2)
            if hit and hit[1].type == "Institution":
                org = hit[1]
            elif country_of_demonym(prev.text) or (hit and hit[1].type == "Location"):
                country = country_of_demonym(prev.text) or (lookup(prev.text) or ("",))[0]
                org = self._government_if_known(country)
            elif hit is None and _is_acronym(prev.text):
                org = self._institution_by_initials(prev.text)  # "ACR Chairman NAME"
        if org is None:
            return False
        self.hold(person, org, sent, 0.85, _title_case(title))
        return True

    def _institution_by_initials(self, acronym: str) -> Cluster | None:
        hits = [c for c in self.res.clusters if c.type == "Institution" and
                any(fold(acronym) in initials(f) for f in c.forms)]
        return hits[0] if len(hits) == 1 else None

    def _government_if_known(self, country: str) -> Cluster | None:
        for c in self.res.clusters:
            if c.type == "Institution" and government_name(country) in \
                    [*c.forms, *c.extra_aliases]:
                return c
        return None

    def _title_before_fallback(self, m: Span, person: Cluster, sent: Span) -> None:
        """'CEO NAME' with no organisation in the phrase: the nearest institution in this or
        the next sentence (lower confidence)."""
        doc = self.doc
        k = m.start - 1
        while k >= sent.start and doc[k].lower_ in lx.HONORIFICS | {"."}:
            k -= 1
        j = k
        while j >= sent.start and (doc[j].lower_ in lx.TITLE_HEADS or
                                   doc[j].lower_ in lx.TITLE_MODIFIERS):
            j -= 1
        if j == k:
            return
        if j >= sent.start and (country_of_demonym(doc[j].text) or (
                (near := self.mention_at(j)) and near[1].type == "Location")):
            return  # a national title: only the government itself, never a nearby name
        title = _span_text(doc, j + 1, k + 1)
        if not any(w in lx.TITLE_HEADS for w in title.lower().split()):
            return
        if j >= sent.start and _cap(doc[j]) and doc[j].pos_ in {"PROPN", "ADJ", "NOUN"}:
            # "Acme president NAME" with Acme short for "Acme Bank A/S": that institution;
            # "Zembla Prime Minister NAME": the owner is named, and no institution of the story
            word = fold(doc[j].text)
            named = [c for c in self.res.clusters if c.type == "Institution" and c.mentions
                     and any(f.split() and fold(f.split()[0]) == word for f in c.forms)]
            if len(named) == 1 and not lx.PUBLIC_OFFICE_TITLES & set(title.lower().split()):
                self.hold(person, named[0], sent, 0.6, _title_case(title))
                return
            if doc[j].pos_ == "PROPN" or named:
                return
        if j >= sent.start and doc[j].lower_ in {"its", "their"}:
            # "Its chairman NAME said": the institution the sentence before was about, or none
            owner = self.previous_subject(sent) if j == sent.start else None
            if owner is not None:
                self.hold(person, owner, sent, 0.6, _title_case(title))
            return
        public = bool(set(title.lower().split()) & lx.PUBLIC_OFFICE_TITLES)
        # "Deputy Minister NAME signed for the ministry": the definite noun names the employer
        for t in doc[m.end:sent.end]:
            if t.lower_ in lx.INSTITUTION_HEADS and t.text[:1].islower() and \
                    t.i - 2 >= m.end and doc[t.i - 1].lower_ == "the" and \
                    doc[t.i - 2].lower_ in {"for", "of", "at"}:
                c = self.res.definite(t.lower_, t.i)
                if c is not None:
                    self.hold(person, c, sent, 0.6, _title_case(title))
                    return
        idx = self.sent_index[sent.start]
        for s in self.sent_list[idx:idx + 3]:
            # an institution followed by a title is another person's ("A Chairman X and B
            # Chairman Y")
            insts = [(mm, c) for mm, c in self.in_sent(s, "Institution")
                     if (s is not sent or mm.start > m.end) and not (
                         mm.end < len(doc) and _is_title_word(doc[mm.end])) and
                     (not public or c.subtype == "GovernmentBody")]
            if insts:
                # the institution a clause is about ("..., Acme pursues") before one named in
                # a phrase ("from the labs of Beta University")
                subj = [c for mm, c in insts if mm.root.dep_ in {"nsubj", "nsubjpass"}]
                self.hold(person, (subj or [insts[0][1]])[0], sent, 0.5, _title_case(title))
                return

    # ------------------------------------------------------------------ agreements
    def read_agreements(self, triggers: TriggerMatcher) -> None:
        self.agreements = AgreementReader(self, triggers).read()
        self._anchors: dict[int, list[int]] = {}  # sentence start -> event anchors, once
        for other in self.agreements:
            for e in other.events:
                self._anchors.setdefault(e.sent.start, []).append(e.anchor.i)
        for a in self.agreements:
            for ev in a.events:
                self._sectors_for_event(a, ev)
                self._establishes(a, ev.sent)
                for c in ev.creates:
                    if c not in a.parties:
                        self.add(a.cluster, "ESTABLISHES", c, ev.sent, 0.75, rule="creates")

    def _sectors_for_event(self, a: AgreementDraft, ev: Event) -> None:
        """Sectors of the event's sentence; with several events in a sentence, each sector
        goes to the nearest anchor."""
        anchors = self._anchors[ev.sent.start]
        for s in self.sectors_by_sent.get(ev.sent.start, []):
            nearest = min(anchors, key=lambda i: abs(i - s.start))
            if nearest == ev.anchor.i:
                self._cover(a, s, ev.sent)
        for verb in _purpose_verbs(ev.anchor):
            pref = concept_for(lx.PURPOSE_VERB_SECTORS[verb.lemma_.lower()])
            if pref:
                self.add(a.cluster, "COVERS_SECTOR", self.res.sector(pref), ev.sent, 0.6,
                         rule="purpose-verb")

    def _coordinated_parties(self, i: int, sent: Span, stop: int | None = None) -> list[Cluster]:
        """Institutions (or countries) in 'A and B', 'A, B and C' starting at token i."""
        doc = self.doc
        stop = stop or sent.end
        out: list[Cluster] = []
        k = i
        while k < stop:
            t = doc[k]
            hit = self.mention_at(k)
            if hit:
                m, c = hit
                party = self.as_party(c, m)
                added = False
                if party is not None and party not in out:
                    out.append(party)
                    added = True
                k = m.end
                if k < stop and doc[k].tag_ == "POS":
                    # "X's unit Y": the possessor is not the party
                    if added:
                        out.pop()
                    k += 1
                continue
            low = t.lower_
            if low in {"and", ",", "the", "its", "their", "unit", "subsidiary", "'s", "’s",
                       "both", "state", "firm", "company", "oil", "partner"} or t.is_punct \
                    and t.text not in {".", ";", ":"}:
                k += 1
                continue
            if (t.pos_ in {"ADJ", "NOUN"} and low not in lx.AGREEMENT_REFERENCES and k < stop - 1
                    and self.mention_at(k + 1)):
                k += 1
                continue
            if low in {"the"}:
                k += 1
                continue
            if t.text[:1].islower() and low in lx.INSTITUTION_HEADS and k > 0 \
                    and doc[k - 1].lower_ == "the":
                named = self.res.definite(low, k)
                if named and named not in out:
                    out.append(named)
                k += 1
                continue
            break
        return out

    def as_party(self, c: Cluster, m: Span) -> Cluster | None:
        if c.type == "Institution":
            return c
        if c.type == "Location":
            place = lookup(m.text)
            if place and place[1] == "country":
                return self.res.government_of(place[0], m.text)
        if c.type == "Person":
            return self.positions.get(c.id)
        return None

    def _cover(self, a: AgreementDraft, s: Span, sent: Span) -> None:
        c = self.res.sector(s.label_)
        self.add(a.cluster, "COVERS_SECTOR", c, sent, 0.75, rule="sector-in-event")

    def _establishes(self, a: AgreementDraft, sent: Span) -> None:
        if not any(t.lemma_.lower() in lx.ESTABLISH_WORDS or t.lower_ in lx.ESTABLISH_WORDS
                   for t in sent):
            return
        for m, c in self.in_sent(sent, "Institution"):
            if c.subtype in {"ResearchInstitute", "Other"} and c not in a.parties:
                before = self.doc[max(sent.start, m.start - 4):m.start]
                if any(t.lemma_.lower() in lx.ESTABLISH_WORDS or t.lower_ in lx.ESTABLISH_WORDS
                       for t in before):
                    self.add(a.cluster, "ESTABLISHES", c, sent, 0.8, rule="establish-verb")

    # ------------------------------------------------------------------ structure
    def read_structure(self, matcher: DependencyMatcher) -> None:
        doc = self.doc
        structure = StructureReader(self, matcher)
        party_pairs = set()
        for a in self.agreements:
            for p in a.parties:
                for q in a.parties:
                    party_pairs.add((p.id, q.id))
        for sent in self.sent_list:
            ms = self.in_sent(sent)
            for idx, (m, c) in enumerate(ms):
                nxt = ms[idx + 1] if idx + 1 < len(ms) else None
                if nxt and idx + 2 < len(ms) and _bracketed(doc, nxt[0]):
                    nxt = ms[idx + 2]  # "Acme Group (AG) of Ruritania": past the acronym
                gap = doc[m.end:nxt[0].start] if nxt else None
                gap_words = _without_brackets([t.lower_ for t in gap] if gap is not None else [])
                if len(gap_words) >= 2 and gap_words[0] == gap_words[1] and \
                        gap_words[0] in {"'s", "’s"}:
                    gap_words = gap_words[1:]  # "Acme SpA's <AC.MI> 's Beta BV": a ticker dropped
                # X under Y
                if nxt and c.type == nxt[1].type == "Institution" and gap_words in (["under"],
                                                                                   ["under", "the"]):
                    self.add(c, "PART_OF", nxt[1], sent, 0.8, rule="under")
                # Y's unit X, Y's Brazilian unit, X
                unit_gap = gap_words[:-1] if gap_words[-1:] == [","] else gap_words
                if nxt and c.type == nxt[1].type == "Institution" and len(unit_gap) in (2, 3) \
                        and unit_gap[0] in {"'s", "’s", "'", "’"} and \
                        unit_gap[-1] in lx.PART_OF_NOUNS:
                    self.add(nxt[1], "PART_OF", c, sent, 0.8, rule="unit-possessive")
                # X, 70 pct owned by Y; X, a wholly owned subsidiary of Y (a majority only)
                if nxt and c.type == nxt[1].type == "Institution" and _majority_owned(gap_words):
                    self.add(c, "PART_OF", nxt[1], sent, 0.7, rule="owned-by")
                # Y's X: a company that another names as its own ("Acme's Beta Ltd")
                if nxt and c.type == nxt[1].type == "Institution" and \
                        gap_words in (["'s"], ["’s"], ["'"], ["’"]) and \
                        nxt[1].subtype == "Company" and c.subtype == "Company" and \
                        not _any_partner_word(doc, nxt[0]):
                    self.add(nxt[1], "PART_OF", c, sent, 0.6, rule="possessed-company")
                # X, a unit of Y; X is the trading arm of Y; X, (which is) part of Y
                if nxt and c.type == nxt[1].type == "Institution" and (
                        gap_words[:1] == [","] or gap_words[:1] in (["is"], ["was"])) and \
                        any(w in lx.PART_OF_NOUNS | {"part"} for w in gap_words) and \
                        gap_words[-1] == "of" and len(gap_words) <= 5:
                    self.add(c, "PART_OF", nxt[1], sent, 0.75, rule="unit-of")
                # X of Y (place): "Acme Ltd of Canada"
                if nxt and c.type == "Institution" and nxt[1].type == "Location" and \
                        gap_words in (["of"], ["of", "the"]):
                    self.add(c, "LOCATED_IN", nxt[1], sent, 0.7, rule="of-place")
                # X in/at Y (place), X-based
                if nxt and c.type in {"Institution", "Location"} and nxt[1].type == "Location" \
                        and _without_compass([w for w in gap_words if w != ","]) in lx.LOCATED_GAPS \
                        and not (gap_words == [","] and c.type == "Institution"):
                    if gap_words == [","] and not _region_after(doc, nxt[0]):
                        continue  # "Springfield, Ruritania", not a list "Paris, Rome and Oslo"
                    if c.type == "Institution" and gap_words in (["in"], ["at"]) and (
                            not m.start <= doc[m.end].head.i < m.end or _party_object(m) or
                            _is_headline(sent)):
                        # "signed with Acme in Oslo": where it happened, not Acme; a headline
                        # "A, B in Ruritania venture" says where the venture is
                        continue
                    place = lookup(m.text) if c.type == "Location" else None
                    if place and place[1] == "country":
                        continue  # "in Ruritania in Freedonia": two settings, not a nesting
                    self.add(c, "LOCATED_IN", nxt[1], sent, 0.7, rule="in-place")
                # "Beta SpA, a Springfield investment bank": a city before the noun that
                # describes the institution (a country there is a nationality: no relation)
                if nxt and c.type == "Institution" and nxt[1].type == "Location" and \
                        gap_words in ([",", "a"], [",", "an"], [",", "the"]) and \
                        nxt[0].end < sent.end and \
                        doc[nxt[0].end].pos_ in {"NOUN", "ADJ"} and \
                        (lookup(nxt[0].text) or ("", ""))[1] == "city":
                    self.add(c, "LOCATED_IN", nxt[1], sent, 0.65, rule="appositive-place")
                if nxt and c.type == "Location" and nxt[1].type == "Institution" and \
                        _place_based_gap(gap_words):
                    self.add(nxt[1], "LOCATED_IN", c, sent, 0.8, rule="place-based")
            structure.read(sent)
            self._other_members(sent)
            self._based(sent)
            self._described_as_based(sent)
            self._nominal_based(sent)
            self._partners(sent, party_pairs)

    def _nominal_based(self, sent: Span) -> None:
        """'The bank, headquartered in Kano, has 90 branches': a sentence that opens with a
        definite noun referring back to an institution, then where it is based, places that
        institution."""
        doc = self.doc
        k = sent.start
        if k + 5 >= sent.end or doc[k].lower_ != "the":
            return
        noun = doc[k + 1]
        if noun.lower_ not in lx.DEFINITE_INSTITUTION_NOUNS or doc[k + 2].text != "," or \
                doc[k + 3].lower_ not in lx.LOCATED_CUES or doc[k + 4].lower_ != "in":
            return
        hit = self.mention_at(k + 5)
        if hit is None or hit[1].type != "Location" or hit[0].start != k + 5:
            return
        org = self.res.definite(noun.lower_, noun.i)  # only an institution the noun fits
        if org is not None:
            self.add(org, "LOCATED_IN", hit[1], sent, 0.65, rule="nominal-based")

    def _other_members(self, sent: Span) -> None:
        """'... from other companies in the Tavora group': the one company of the story named
        after the group is a member of it."""
        for m, group in self.in_sent(sent, "Institution"):
            if not m.text.endswith(" group") or len(m) < 2:
                continue
            prep = m[-1].head if m[-1].head.i not in range(m.start, m.end) else m.root.head
            noun = prep.head
            if prep.lower_ not in {"in", "of", "within"} or \
                    noun.lower_ not in lx.GROUP_MEMBER_NOUNS or \
                    not any(c.lower_ == "other" for c in noun.children):
                continue
            family = fold(m[0].text)
            members = [c for c in self.res.clusters if c.type == "Institution" and c is not group
                       and c.mentions and fold(c.name.split()[0]) == family]
            if len(members) == 1:
                self.add(members[0], "PART_OF", group, sent, 0.6, rule="other-members")

    def _based(self, sent: Span) -> None:
        """'X, a Y-based company' / 'X is a Y-based firm' / 'the Y-based X'."""
        doc = self.doc
        for t in sent:
            if t.lower_ not in lx.LOCATED_CUES or t.i < sent.start + 2 or doc[t.i - 1].text != "-":
                continue
            hit = self.mention_at(t.i - 2)
            if not hit or hit[1].type != "Location":
                continue
            place = hit[1]
            after = self.mention_at(t.i + 1) if t.i + 1 < sent.end else None
            if after and after[1].type == "Institution":
                self.add(after[1], "LOCATED_IN", place, sent, 0.8)
                continue
            before = [(m, c) for m, c in self.in_sent(sent, "Institution") if m.end <= hit[0].start]
            if before:
                gap = [x.lower_ for x in doc[before[-1][0].end:hit[0].start]]
                if set(gap) <= {",", "is", "a", "an", "was", "the"}:
                    self.add(before[-1][1], "LOCATED_IN", place, sent, 0.8)

    def _described_as_based(self, sent: Span) -> None:
        """'X, a utility based in P,' / 'X is a securities business located in P': the place
        of the noun that describes the institution (in apposition, or after a copula)."""
        for t in sent:
            if t.lower_ not in lx.LOCATED_CUES or t.dep_ != "acl" or t.head.pos_ != "NOUN":
                continue
            place = None
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ in {"in", "at"}:
                    for o in prep.children:
                        hit = self.mention_at(o.i) if o.dep_ == "pobj" else None
                        if hit is not None and hit[1].type == "Location":
                            place = hit[1]
            if place is None:
                continue
            noun = t.head
            inst = None
            if noun.dep_ == "appos":
                inst = self._institution_at(noun.head)
            elif noun.dep_ == "attr" and noun.head.lemma_ == "be":
                inst = next((c for c in (self._institution_at(x) for x in noun.head.children
                                         if x.dep_ == "nsubj") if c is not None), None)
            if inst is not None:
                self.add(inst, "LOCATED_IN", place, sent, 0.75)

    def _institution_at(self, t: Token) -> Cluster | None:
        hit = self.mention_at(t.i)
        return hit[1] if hit is not None and hit[1].type == "Institution" else None

    def _jointly(self, sent: Span, party_pairs: set[tuple[str, str]]) -> None:
        """'A is jointly exploring with B', 'A and B will jointly develop a car': working
        together stated outside an agreement makes partners."""
        for t in sent:
            if t.lower_ not in lx.JOINTLY_WORDS or t.dep_ != "advmod" or t.head.pos_ != "VERB":
                continue
            v = t.head
            subj = _clause_subject(v)
            named = [c for x in [subj, *subj.conjuncts] if (c := self._institution_at(x))]
            named += [c for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "with"
                      for o in prep.children if o.dep_ == "pobj"
                      for x in [o, *o.conjuncts, *(n for n in o.children if n.dep_ in
                                                    {"appos", "compound"})]
                      if (c := self._institution_at(x))]
            for i, p in enumerate(named):
                for q in named[i + 1:]:
                    if p is not q and (p.id, q.id) not in party_pairs:
                        self.add(p, "PARTNER_OF", q, sent, 0.6, rule="jointly")

    def _partners(self, sent: Span, party_pairs: set[tuple[str, str]]) -> None:
        doc = self.doc
        self._jointly(sent, party_pairs)
        for t in sent:
            if t.lower_ in {"partners", "allies"} and t.dep_ == "attr" and \
                    t.head.lemma_ in {"be", "become", "remain"}:
                # "A and B have been partners since 2010"
                subj = [c for c in t.head.children if c.dep_ == "nsubj"]
                named = [c for x in subj for c in [self._institution_at(x)] +
                         [self._institution_at(cj) for cj in x.conjuncts] if c is not None]
                for i, p in enumerate(named):
                    for q in named[i + 1:]:
                        if p is not q and (p.id, q.id) not in party_pairs:
                            self.add(p, "PARTNER_OF", q, sent, 0.65, rule="partners-copula")
            if t.lower_ not in lx.PARTNER_NOUNS or t.lower_ == "partnership":
                continue
            k = t.i + 1
            while k < sent.end and doc[k].lower_ in {",", "such", "as", "including", "like",
                                                     "particularly", "notably", "especially",
                                                     "namely", "in", "particular", "of"}:
                k += 1
            if k == t.i + 1:
                continue
            partners = [p for p in self._coordinated_parties(k, sent)
                        if any(p in [c for _, c in self.in_sent(sent, "Institution")] for _ in [0])]
            if not partners:
                continue
            owner = None
            before = [(m, c) for m, c in self.in_sent(sent, "Institution") if m.end <= t.i]
            if before:
                owner = before[-1][1]
            elif self.last_person is not None:
                owner = self.positions.get(self.last_person.id)
            if owner is None:
                continue
            for p in partners:
                if (owner.id, p.id) not in party_pairs and p is not owner:
                    self.add(owner, "PARTNER_OF", p, sent, 0.65)


# ---------------------------------------------------------------------- text cues

def _majority_owned(gap: list[str]) -> bool:
    """', 70 pct owned by', ', a wholly owned unit of' and the like: more than half owned (a
    minority stake makes no unit)."""
    words = [w for w in gap if w not in {",", "-", "a", "an"}]
    if words[-2:] != ["owned", "by"] and not (words[-1:] == ["of"] and "owned" in words):
        return False
    if {"wholly", "majority", "fully", "wholly-owned", "majority-owned"} & set(words):
        return True
    nums = [w for w in words if w.replace(".", "", 1).isdigit()]
    return len(words) <= 5 and len(nums) == 1 and float(nums[0]) > 50 and \
        bool(set(words) & {"pct", "percent", "%", "per"})


def _region_after(doc: Doc, place: Span) -> bool:
    """The place after 'CITY,' is its country or state, not the next item of a list."""
    known = lookup(place.text)
    if known is None or known[1] not in {"country", "state"}:
        return False
    return not (place.end < len(doc) and doc[place.end].lower_ in {",", "and", "or"}
                and place.end + 1 < len(doc) and doc[place.end + 1].ent_type_ == "GPE")


def _clause_subject(v: Token) -> Token:
    """The subject a verb's clause is about: its own, or up through 'agreed to serve',
    coordinated verbs and a relative clause ('NAME, who ... agreed to serve'); the verb itself
    when none."""
    cur = v
    for _ in range(5):
        subj = [c for c in cur.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            if subj[0].lower_ in {"who", "that"} and cur.dep_ == "relcl":
                return cur.head
            if subj[0].lower_ == "who":
                # "NAME, who ..., and who agreed ...": the parse hangs the second relative
                # clause elsewhere; the person is the first one's
                first = next((w for w in subj[0].sent if w.i < subj[0].i and w.lower_ == "who"
                              and w.head.dep_ == "relcl"), None)
                if first is not None:
                    return first.head.head
            return subj[0]
        if cur.dep_ == "relcl":
            return cur.head
        if cur.dep_ not in {"xcomp", "conj"} or cur.head.i == cur.i:
            break
        cur = cur.head
    return v


def _place_complement(reader: RelationReader, j: int) -> bool:
    """Token j is in a place named as a title's complement ('Ambassador to the Freedonia')."""
    hit = reader.mention_at(j)
    if hit is None or hit[1].type != "Location":
        return False
    k = hit[0].start - 1
    if k >= 0 and reader.doc[k].lower_ == "the":
        k -= 1
    return k >= 0 and reader.doc[k].lower_ in {"to", "in", "for"}


def _place_based_gap(words: list[str]) -> bool:
    """'Boston-based Acme', 'the U.K. based group Acme', 'a Lisbon-based bank, Acme': after
    '(-)based' at most a few lower-case descriptor words."""
    cues = lx.LOCATED_CUES
    rest = words[2:] if words[:1] == ["-"] and words[1:2] and words[1] in cues else \
        words[1:] if words[:1] and words[0] in cues else None
    return rest is not None and len(rest) <= 3 and all(
        w.isalpha() and w.islower() or w == "," for w in rest)


def _any_partner_word(doc: Doc, m: Span) -> bool:
    """'Acme's Beta partnership', 'Acme's Beta venture': the name modifies another noun."""
    return m.end < len(doc) and (doc[m.end].lower_ in lx.PARTNER_NOUNS or
                                 doc[m.end].lower_ in lx.TRIGGER_NOUNS or doc[m.end].is_lower
                                 and doc[m.end].pos_ == "NOUN")


def _party_object(m: Span) -> bool:
    """The name is the object of 'with/between' (a party of something done there)."""
    root = m.root
    return root.dep_ == "pobj" and root.head.lower_ in lx.PARTY_PREPOSITIONS


def _without_compass(words: list[str]) -> list[str]:
    """'at Marbury in southern Wessex': a compass adjective before the place is no gap."""
    if len(words) >= 2 and words[-1] in lx.COMPASS_ADJECTIVES:
        return words[:-1]
    return words


def _bracketed(doc: Doc, m: Span) -> bool:
    return m.start > 0 and m.end < len(doc) and doc[m.start - 1].text == "(" and \
        doc[m.end].text == ")"


def _without_brackets(words: list[str]) -> list[str]:
    """'Acme Group (AG) of Ruritania': an acronym in brackets does not part a name from its
    place."""
    if len(words) >= 3 and words[0] == "(" and ")" in words[:4]:
        return words[words.index(")") + 1:]
    return words


def _purpose_verbs(anchor: Token) -> list[Token]:
    """'a venture to make trucks', 'formed a company which will assemble cars', 'signed a pact
    to produce chips': verbs of purpose hanging from the trigger or its verb."""
    heads = [anchor, anchor.head] if anchor.head.pos_ in {"VERB", "AUX"} else [anchor]
    out = []
    for h in heads:
        for c in h.children:
            if c.dep_ in {"xcomp", "advcl", "acl", "relcl", "ccomp"} and \
                    c.lemma_.lower() in lx.PURPOSE_VERB_SECTORS:
                out.append(c)
            if c.dep_ == "prep" and c.lower_ in {"to", "for"}:
                out += [g for g in c.children if g.dep_ in {"pcomp", "pobj"}
                        and g.lemma_.lower() in lx.PURPOSE_VERB_SECTORS]
    # a light verb needs a concrete object ("to make trucks", not "to make payments easier")
    return [v for v in out if not any(c.dep_ in {"dobj", "ccomp", "xcomp", "oprd"} and
                                      c.lower_ in lx.ABSTRACT_OBJECTS for c in v.children)
            and any(c.dep_ == "dobj" for c in v.children)]


def _title_qualifier(doc: Doc, k: int, stop: int) -> bool:
    """'group vice president', 'marketing director': a lower-case noun or adjective that
    a title head follows within two words."""
    t = doc[k]
    if not t.is_lower or not t.is_alpha or t.pos_ not in {"NOUN", "ADJ"}:
        return False
    return any(doc[j].lower_ in lx.TITLE_HEADS for j in range(k + 1, min(stop, k + 3)))


def _span_text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text.strip(" ,")


def _title_case(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return title[:1].upper() + title[1:] if title else title
