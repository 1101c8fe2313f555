"""Agreements as events over the dependency parse.

A trigger (an agreement noun such as "joint venture" or "memorandum of understanding", or a
cooperation verb such as "partner" or "team up") anchors an event. Its parties are read from
the structure around the anchor: the subject of the governing verb chain, "with/between X and
Y", the agent of a passive, a possessor ("X's venture with Y"), name modifiers ("the X-Y
venture"), the head of a headline "X, Y in venture", and collective references ("the two
companies") to the latest agreement. Events with the same set of parties are one agreement;
an event without parties ("the venture will ...") refers back to the latest one, so sectors,
created bodies and dates attach to the event rather than the sentence."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from loaders import lexicon as lx
from loaders.dates import sentence_date
from ontology.vocab import fold, vocabulary

if TYPE_CHECKING:
    from loaders.coreference import Cluster
    from loaders.relations import RelationReader

PUBLISHED_KEY = "kg_published"  # doc.user_data: the document's ISO publication date
_VOC = vocabulary()
# when two reports of one agreement disagree, the higher precedence wins (ontology: kgo:precedence)
STATUS_RANK = {s: c.precedence for s, c in _VOC.agreement_statuses.items()}
KIND_RANK = {k: c.precedence for k, c in _VOC.agreement_kinds.items()}
# the notations this module decides between; a KeyError here means the ontology lost one
PARTNERSHIP = _VOC.agreement_kinds["partnership"].notation
SIGNED, PLANNED, PROPOSED = (_VOC.agreement_statuses[s].notation
                             for s in ("signed", "planned", "proposed"))


NUMBER_WORDS = {"two": 2, "three": 3, "four": 4}


@dataclass
class Event:
    anchor: Token
    kind: str
    status: str
    sent: Span
    parties: list[Cluster] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    collective: bool = False
    collective_size: int = 2
    collective_noun: str = ""  # "companies", "countries", "they"
    collective_at: int = -1  # the collective word's token
    reference: bool = False  # refers back to the latest agreement; never starts one
    creates: list[Cluster] = field(default_factory=list)
    extra: list[Cluster] = field(default_factory=list)  # parties added to the meant agreement
    extra_hint: list[Cluster] = field(default_factory=list)  # parties naming the meant agreement


@dataclass
class AgreementDraft:
    cluster: Cluster
    parties: list[Cluster] = field(default_factory=list)
    kind: str = PARTNERSHIP
    status: str = PLANNED
    date: str | None = None
    sentences: list[Span] = field(default_factory=list)
    rule: str = "agreement"
    events: list[Event] = field(default_factory=list)
    party_rules: dict[str, str] = field(default_factory=dict)


class TriggerMatcher:
    """The lexicon's triggers as matcher patterns (built once per vocabulary)."""

    def __init__(self, vocab: Vocab, make_doc) -> None:
        self.nouns = PhraseMatcher(vocab, attr="LOWER")
        for phrase, kind in lx.TRIGGER_NOUNS.items():
            self.nouns.add(kind, [make_doc(phrase)])
        self.verbs = Matcher(vocab)
        for lemma, kind in lx.TRIGGER_VERBS.items():
            self.verbs.add(kind, [[{"LEMMA": lemma, "POS": "VERB"}]])
        for (lemma, part), kind in lx.TRIGGER_PHRASAL.items():
            self.verbs.add(kind, [[{"LEMMA": lemma, "POS": "VERB"}, {"LOWER": part}]])

    def __call__(self, doc: Doc) -> list[tuple[Span, str, str]]:
        """(trigger phrase, kind, 'noun'|'verb'), longest phrase first, no overlaps; the
        phrase's root is the event's anchor."""
        found: list[tuple[int, int, str, str]] = []
        for mid, s, e in self.nouns(doc):
            found.append((s, e, doc.vocab.strings[mid], "noun"))
        for mid, s, e in self.verbs(doc):
            found.append((s, e, doc.vocab.strings[mid], "verb"))
        found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        used: set[int] = set()
        out = []
        for s, e, kind, how in found:
            if not used.isdisjoint(range(s, e)):
                continue
            used.update(range(s, e))
            out.append((doc[s:e], kind, how))
        out.sort(key=lambda x: x[0].start)
        return out


class AgreementReader:
    def __init__(self, ctx: RelationReader, triggers: TriggerMatcher) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.triggers = triggers
        self.agreements: list[AgreementDraft] = []
        self.latest: AgreementDraft | None = None
        # events that refer to an agreement before any is read ("The agreement focuses on ..."
        # opening a story whose lede is elsewhere): they join the first agreement read
        self.pending: list[Event] = []

    # ------------------------------------------------------------------ events
    def read(self) -> list[AgreementDraft]:
        """Events sentence by sentence; a headline's events come last and only join an
        agreement the body states (the spec: a headline alone makes no party)."""
        triggers = sorted(self.triggers(self.doc) + self._founded_with(),
                          key=lambda t: t[0].start)
        sents = self.ctx.sent_list
        headline = sents[0] if sents and _is_headline(sents[0]) else None
        by_sent: dict[int, list[tuple[Span, str, str]]] = {}  # once, not triggers * sentences
        starts = [s.start for s in sents]
        for t in triggers:
            k = bisect_right(starts, t[0].start) - 1
            if k >= 0 and t[0].start < sents[k].end:
                by_sent.setdefault(sents[k].start, []).append(t)
        for sent in [s for s in sents if s != headline] + ([headline] if headline else []):
            in_sent = by_sent.get(sent.start, [])
            events = self._events(sent, in_sent) + self._secondary_events(sent, in_sent)
            for ev in events:
                self._place(ev, create=sent != headline)
        return [a for a in self.agreements if len(a.parties) >= 2]

    def _founded_with(self) -> list[tuple[Span, str, str]]:
        """'A will set up a new company with B', 'a stake in a firm to be formed with B': a
        body founded together is a joint venture; the noun anchors it like a trigger."""
        out = []
        for t in self.doc:
            if t.lower_ not in lx.NEW_BODY_NOUNS or t.pos_ != "NOUN" or \
                    t.lower_ in lx.BARE_VENTURE_NOUNS:
                continue
            verbs = [c for c in t.children if c.dep_ in {"acl", "relcl"} and
                     c.lemma_.lower() in lx.ESTABLISH_LEMMAS]
            if t.dep_ == "dobj" and t.head.lemma_.lower() in lx.ESTABLISH_LEMMAS:
                verbs.append(t.head)
            if any(c.dep_ == "prep" and c.lower_ == "with" for v in [t, *verbs]
                   for c in v.children) and verbs:
                out.append((self.doc[t.i:t.i + 1], PARTNERSHIP, "noun"))
        return out

    def _secondary_events(self, sent: Span, triggers: list[tuple[Span, str, str]]) -> list[Event]:
        """In a sentence about agreements, each 'between A and B' and 'signed by A and B' that
        no trigger governs is an agreement of its own ("the MoUs include one signed by A and B,
        and cooperation between C and D"). A sentence without a trigger that refers back
        ("the cooperation will cover ...", "both sides will ...") continues the latest one."""
        if not triggers:
            ref = self._reference(sent)
            if ref is None:
                return []
            ev = Event(anchor=ref, kind=self.latest.kind if self.latest else PARTNERSHIP,
                       status=self.latest.status if self.latest else SIGNED,
                       sent=sent, rules=[], reference=True)
            # "the cooperation with Beta ...": the agreement meant is the latest one with Beta
            ev.extra_hint = [c for prep in ref.children if prep.dep_ == "prep" and
                             prep.lower_ in lx.PARTY_PREPOSITIONS for o in _objects(prep)
                             for c in self._institutions_at(o)]
            self._creates(ev, sent[ref.i - sent.start:ref.i - sent.start + 1])
            return [ev]
        if not any(phrase.root.tag_ in {"NNS", "NNPS"} or phrase.root.lower_.endswith("s")
                   for phrase, _, how in triggers if how == "noun"):
            return []  # only a sentence about several agreements lists them one by one
        kind = triggers[0][1]
        covered = {t.i for phrase, _, _ in triggers for t in phrase.root.subtree
                   if t.head.i in {x.i for x in phrase}}
        out = []
        for t in sent:
            if t.i in covered:
                continue
            if (t.lower_ in lx.BETWEEN_PREPOSITIONS and t.dep_ == "prep") or \
                    (t.dep_ == "agent" and t.head.lemma_.lower() in lx.SIGNING_LEMMAS):
                ev = Event(anchor=t, kind=kind, status=SIGNED, sent=sent)
                for p in _objects(t):
                    for c in self._institutions_at(p):
                        if c not in ev.parties:
                            ev.parties.append(c)
                            ev.rules.append("secondary-" + t.lower_)
                if len(ev.parties) >= 2:
                    out.append(ev)
        return out

    def _events(self, sent: Span, triggers: list[tuple[Span, str, str]]) -> list[Event]:
        events: list[Event] = []
        for phrase, kind, how in triggers:
            anchor = phrase.root if how == "noun" else phrase[0]
            while how == "noun" and anchor.dep_ in {"compound", "amod", "nmod"} and \
                    anchor.head.i > anchor.i and anchor.head.pos_ in {"NOUN", "PROPN"}:
                anchor = anchor.head  # "a joint venture pact": the pact is the event's noun
                phrase = self.doc[phrase.start:anchor.i + 1]
            if how == "noun" and not self._is_cooperation(anchor):
                continue
            if self._negated(anchor):
                continue
            # one event per clause: a trigger inside another's phrase joins it
            host = next((e for e in events if self._same_event(e.anchor, anchor)), None)
            kind = self._refine_kind(anchor, kind)
            if host is not None:
                if KIND_RANK[kind] > KIND_RANK[host.kind]:
                    host.kind = kind
                extra = Event(anchor=anchor, kind=kind, status=host.status, sent=sent)
                self._parties(extra, phrase, how)
                for p, rule in zip(extra.parties, extra.rules, strict=True):
                    if p not in host.parties:
                        host.parties.append(p)
                        host.rules.append(rule)
                continue
            ev = Event(anchor=anchor, kind=kind, status=self._status(anchor), sent=sent)
            self._parties(ev, phrase, how)
            self._creates(ev, phrase)
            events.extend(_separately(ev))
        return events

    def _creates(self, ev: Event, phrase: Span) -> None:
        """What the agreement sets up: a name in apposition or in brackets after the trigger
        ("a joint venture, Acme Beta Ltd," / "the venture (AB Co)"), a name the new company is
        'called' in the sentence, or the object of a verb of founding in the event's chain."""
        ctx = self.ctx
        found: list[Cluster] = []

        def inst(t: Token) -> Cluster | None:
            hit = ctx.mention_at(t.i)
            return hit[1] if hit is not None and hit[1].type == "Institution" else None

        for t in phrase:
            for c in t.children:
                if c.dep_ in {"appos"} and (made := inst(c)):
                    found.append(made)
        if ev.anchor.dep_ == "appos" and (made := inst(ev.anchor.head)):
            found.append(made)  # "AB Co, the joint venture between A and B,"
        after = phrase.end
        while after < len(self.doc) and self.doc[after].text in {"(", "-", "–", "—", ","}:
            after += 1
        if after > phrase.end and after < len(self.doc) and (made := inst(self.doc[after])):
            found.append(made)
        for t in ev.sent:
            if t.lower_ in lx.NAMING_WORDS and t.head.lower_ in lx.NEW_BODY_NOUNS | {
                    ev.anchor.lower_}:
                for c in t.subtree:
                    if c.i > t.i and (made := inst(c)):
                        found.append(made)
                        break
        for v in _verb_chain(ev.anchor):
            if v.lemma_.lower() in lx.ESTABLISH_LEMMAS:
                for c in v.children:
                    if c.dep_ == "dobj" and c.i != ev.anchor.i and (made := inst(c)):
                        found.append(made)
        for made in found:
            if made not in ev.creates:
                ev.creates.append(made)
        if ev.creates:
            keep = [(p, r) for p, r in zip(ev.parties, ev.rules, strict=True) if p not in ev.creates]
            ev.parties, ev.rules = [p for p, _ in keep], [r for _, r in keep]

    def _same_event(self, a: Token, b: Token) -> bool:
        """'an agreement to form a joint venture', 'signed a pact and formed a venture'."""
        if a.i == b.i:
            return True
        chain_a = {a.i, *(t.i for t in _verb_chain(a))}
        chain_b = {b.i, *(t.i for t in _verb_chain(b))}
        if b in a.subtree and not any(t.dep_ in {"relcl", "advcl"} for t in _path(b, a)):
            return True
        if a in b.subtree and not any(t.dep_ in {"relcl", "advcl"} for t in _path(a, b)):
            return True
        return bool(_governor(a) is not None and _governor(a) == _governor(b)) and \
            len(chain_a & chain_b) > 0

    def _is_cooperation(self, anchor: Token) -> bool:
        """'deal' and 'agreement' name cooperation unless the clause is a transaction."""
        low = anchor.lower_
        mods = {c.lower_ for c in anchor.children if c.dep_ in {"amod", "compound", "nmod"}}
        if mods & lx.COOPERATION_WORDS:
            return True
        # the words of the clause that says what the agreement is for
        scope = [t for t in anchor.subtree]
        verb = _governor(anchor)
        if verb is not None:
            scope += [t for t in verb.children if t.dep_ in {"dobj", "xcomp", "prep", "advcl"}
                      for t in t.subtree]
        scope += _verb_chain(anchor)  # "agreed to merge in a deal"
        lemmas = {t.lemma_.lower() for t in scope} | {t.lower_ for t in scope}
        if low in lx.TRIGGER_ONLY_WITH_COOPERATION or anchor.lemma_.lower() in \
                lx.TRIGGER_ONLY_WITH_COOPERATION:
            if lemmas & lx.TRANSACTION_WORDS and not lemmas & (lx.COOPERATION_WORDS - {"development"}):
                return False
        if low in lx.BARE_VENTURE_NOUNS and not mods & lx.JOINT_WORDS and \
                not any(t.lower_ == "joint" for t in anchor.lefts):
            # "a new venture" alone may be any business; keep it only as cooperation context
            heads = {t.lemma_.lower() for t in _verb_chain(anchor)}
            return bool(heads & (lx.SIGNED_LEMMAS | lx.PLANNED_LEMMAS | lx.PROPOSED_LEMMAS)) or \
                any(c.lower_ in lx.PARTY_PREPOSITIONS for c in anchor.children) or \
                anchor.dep_ in {"nsubj", "nsubjpass", "pobj", "poss"}
        return True

    def _refine_kind(self, anchor: Token, kind: str) -> str:
        for t in anchor.subtree:
            k = lx.KIND_MODIFIERS.get(t.lower_)
            if k and KIND_RANK[k] > KIND_RANK[kind] and t.i < anchor.i + 4:
                kind = k
        if anchor.lower_ in lx.BARE_VENTURE_NOUNS:
            return PARTNERSHIP
        return kind

    def _negated(self, anchor: Token) -> bool:
        for t in anchor.ancestors:  # "A denied reports that it would form an alliance"
            if t.lemma_.lower() in lx.DENYING_LEMMAS:
                return True
        for t in [anchor, *_verb_chain(anchor)]:
            if any(c.dep_ == "neg" for c in t.children):
                return True
            if t.lemma_.lower() in lx.NEGATING_LEMMAS:
                return True
        return any(c.lower_ == "no" and c.dep_ == "det" for c in anchor.children)

    # ------------------------------------------------------------------ status
    def _status(self, anchor: Token) -> str:
        chain = [anchor, *_verb_chain(anchor)]
        words: set[str] = set()
        for t in chain:
            words.add(t.lemma_.lower())
            words.add(t.lower_)
            for c in t.children:
                if c.dep_ in {"aux", "auxpass", "amod", "advmod", "prep", "mark"}:
                    words.add(c.lower_)
                    words.add(c.lemma_.lower())
                if c.dep_ == "prep" and c.lower_ in {"in", "under"}:
                    words |= {g.lower_ for g in c.children if g.dep_ == "pobj"}
        # "in talks on a venture", "negotiations for an accord"
        head = anchor.head
        for _ in range(3):
            if head.lower_ in lx.TALKS_NOUNS:
                words.add(head.lower_)
            head = head.head
        if words & lx.PROPOSED_LEMMAS:
            return PROPOSED
        modal = any(c.dep_ == "aux" and c.lower_ in lx.MODAL_WORDS for t in chain for c in t.children)
        phrasal = anchor.i + 1 < len(anchor.doc) and \
            (anchor.lemma_.lower(), anchor.doc[anchor.i + 1].lower_) in lx.TRIGGER_PHRASAL
        if anchor.pos_ == "VERB" and (anchor.lemma_.lower() in lx.TRIGGER_VERBS or phrasal) and \
                anchor.head.lemma_.lower() == "agree" and anchor.head.tag_ in {"VBD", "VBN"} \
                and not modal:
            return SIGNED  # "A and B agreed to cooperate": the agreement is the cooperation
        if any(t.lemma_.lower() in lx.PLANNING_FRAMES and any(c.dep_ == "xcomp" for c in t.children)
               for t in chain):
            return PLANNED
        if words & lx.PLANNED_LEMMAS or any(t.tag_ == "VB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in t.children) and (
                t.dep_ == "ROOT" or t.head.pos_ not in {"VERB", "AUX"}) for t in chain):
            # "to form a venture" on its own (a headline) is a plan; "started to implement" is not
            return PLANNED
        return SIGNED

    # ------------------------------------------------------------------ parties
    def _parties(self, ev: Event, phrase: Span, how: str) -> None:
        a = ev.anchor
        found: list[tuple[Cluster, str]] = []

        def take(tok: Token, rule: str) -> None:
            for c in self._institutions_at(tok, countries=rule not in {"possessive", "modifier"}):
                found.append((c, rule))

        for c in [c for t in phrase for c in t.children if c.i < phrase.start or c.i >= phrase.end]:
            if c.dep_ == "prep" and c.lower_ in lx.PARTY_PREPOSITIONS:
                for p in _objects(c):
                    take(p, f"{c.lower_}")
                    found.extend((x, c.lower_ + "-list") for x in self._continued(p))
                if c.lower_ in lx.BETWEEN_PREPOSITIONS:
                    # every institution named in "between A of X and B": the parse of long
                    # coordinated names is often wrong, the span is not
                    for t in c.subtree:
                        hit = self.ctx.mention_at(t.i)
                        if hit is not None and hit[1].type == "Institution":
                            found.append((hit[1], c.lower_))
            if c.dep_ == "prep" and c.lower_ in lx.INVOLVING_WORDS:
                for p in _objects(c):  # "a consortium including A and B" (parsed as a preposition)
                    take(p, "acl-involving")
            if c.dep_ == "poss":
                take(c, "possessive")
            if c.dep_ in {"compound", "nmod", "amod"} and c.i < a.i:
                slash = self._slash_parties(c)
                if slash:
                    found.extend((p, "slash") for p in slash)
                    continue
                take(c, "modifier")
            if c.dep_ == "acl" or (c.dep_ == "relcl" and c.lemma_.lower() in lx.ESTABLISH_LEMMAS
                                   and any(x.dep_ == "auxpass" for x in c.children)):
                if c.lemma_.lower() in lx.INVOLVING_LEMMAS:
                    # "joint ventures involving Beta", "a consortium including A and B"
                    for g in c.children:
                        if g.dep_ == "dobj":
                            take(g, "acl-involving")
                for g in c.children:
                    if g.dep_ == "agent" or (g.dep_ == "prep" and g.lower_ in
                                             lx.PARTY_PREPOSITIONS | lx.AGENT_PREPOSITIONS):
                        for p in _objects(g):
                            take(p, "acl-" + g.lower_)
        if how == "noun" and a.dep_ == "nsubj" and a.head.lemma_.lower() in lx.MEMBER_VERBS:
            # "the alliance brings together A, B and C", "the consortium includes A and B"
            for c in a.head.children:
                if c.dep_ == "dobj":
                    take(c, "members")
                    found.extend((x, "members") for x in self._listed(c) + self._continued(c))
        if how == "noun" and a.dep_ == "pobj" and a.head.lower_ in lx.HEADLINE_PREPOSITIONS and \
                a.head.head.pos_ in {"PROPN", "NOUN"}:
            # headline "X, Y in joint venture"
            take(a.head.head, "headline")
            for p in a.head.head.children:
                if p.dep_ in {"appos", "conj", "npadvmod", "compound"}:
                    take(p, "headline")
        # "in talks with B about an alliance": nouns between the trigger and its verb
        h = a
        for _ in range(4):
            if h.head.i == h.i or h.head.pos_ in {"VERB", "AUX"}:
                break
            h = h.head
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in lx.PARTY_PREPOSITIONS and h.i != a.i:
                    for p in _objects(c):
                        take(p, c.lower_)
        for v in _verb_chain(a):
            if v.lemma_.lower() in lx.OBSERVER_VERBS and v.i != a.i:
                break  # "the government approved the venture": who approves is no party
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ in lx.PARTY_PREPOSITIONS and c.i != a.i:
                    signing = v.lemma_.lower() in lx.SIGNING_LEMMAS
                    for p in _objects(c) or (self._name_after(c) if signing else []):
                        take(p, c.lower_)
                    if c.lower_ in lx.BETWEEN_PREPOSITIONS:
                        # "was signed between A and B": every name of the phrase (the parse
                        # of coordinated long names is often wrong, the span is not)
                        for t in c.subtree:
                            hit = self.ctx.mention_at(t.i)
                            if hit is not None and hit[1].type == "Institution":
                                found.append((hit[1], c.lower_))
                if c.dep_ == "advcl" and c.lemma_.lower() in lx.INVOLVING_LEMMAS and \
                        a.head.i == v.i and a.dep_ == "dobj":
                    # "A has joint ventures ..., involving B": the parse hangs it on the verb
                    for g in c.children:
                        if g.dep_ == "dobj":
                            take(g, "acl-involving")
                if c.dep_ == "agent":
                    for p in _objects(c):
                        take(p, "agent")
            subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}]
            if subj and subj[0].dep_ == "nsubjpass" and subj[0].i == a.i:
                break
            for s in subj:  # the small model sometimes splits one subject into several
                if s.i != a.i and (how == "verb" or not _inside(s, a)):
                    reported = self._reported_subject(s)
                    if reported:
                        # "Acme said it (and Beta) will form ...": the pronoun is the reporter
                        found.extend((c, "reported-subject") for c in reported)
                        for cj in s.conjuncts:
                            take(cj, "subject")
                    elif self._collective(s):
                        ev.collective = True
                        ev.collective_size = _collective_size(s)
                        ev.collective_noun = s.lower_
                        ev.collective_at = s.i
                    elif s.lower_ in lx.TALKS_NOUNS and _inside(a, s) and v.dep_ == "ccomp" \
                            and v.head.lemma_.lower() in lx.REPORTING_LEMMAS:
                        # "Acme said talks with Beta on an alliance are continuing": the talks
                        # are the reporter's
                        for r in v.head.children:
                            if r.dep_ == "nsubj":
                                take(r, "talks-reporter")
                    else:
                        take(s, "subject")
                        for cj in s.conjuncts:
                            take(cj, "subject")
                        found.extend((c, "subject-list") for c in self._listed(s))
            if subj:
                break
            if v.dep_ not in {"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl"}:
                if v.dep_ == "ROOT" and how == "noun" and v.lemma_.lower() in lx.SIGNING_LEMMAS:
                    found.extend((c, "surface-subject") for c in self._surface_subject(v))
                continue
            if v.dep_ == "relcl":
                take(v.head, "relative")
                break
            if v.dep_ == "acl" and v.i == a.i and how == "verb" and v.head.pos_ == "PROPN":
                take(v.head, "subject")  # "Acme partnered with Beta" parsed as a modifier
                break
        # "other parties to the protocol are C and D": more parties of the agreement meant
        if a.head.dep_ == "prep" and a.head.lower_ == "to" and \
                a.head.head.lower_ in lx.PARTY_NOUNS and a.head.head.dep_ == "nsubj":
            for c in a.head.head.head.children:
                if c.dep_ in {"attr", "dobj"}:
                    for t in [c, *c.conjuncts]:
                        for inst in self._institutions_at(t):
                            found.append((inst, "parties-are"))
            if found and self.latest is not None:
                ev.reference = True
                ev.extra = [c for c, _ in found]
                return
        if how == "noun" and self.latest is not None and _definite(a) and not any(
                r in lx.PARTY_PREPOSITIONS | {"possessive", "modifier", "headline"}
                for _, r in found):
            # "the venture", "the new joint venture": the agreement already read, whatever
            # the clause around it does ("sold to the venture by Acme")
            ev.reference = True
            return
        seen: set[str] = set()
        for party, rule in found:
            if party.id not in seen:
                seen.add(party.id)
                ev.parties.append(party)
                ev.rules.append(rule)

    def _name_after(self, prep: Token) -> list[Token]:
        """A party preposition of the verb that the parse gave no object ("signed an MoU today
        with Acme Systems to ...", where the small model makes the name the subject of the
        infinitive): the institution whose name starts right after it."""
        k = prep.i + 1
        if k < len(self.doc) and self.doc[k].lower_ == "the":
            k += 1
        hit = self.ctx.mention_at(k) if k < prep.sent.end else None
        return [self.doc[k]] if hit is not None and hit[0].start == k and \
            hit[1].type == "Institution" else []

    def _surface_subject(self, verb: Token) -> list[Cluster]:
        """A signing verb the parse gave no subject ("Acme, a Lagos-based startup, on Tuesday
        signed ..."): the institution named first in its sentence, before the verb, with the
        institutions 'and' joins to it. Only an institution opening the sentence (after a
        determiner) counts: a fronted phrase or a quote leaves the clause to the parse."""
        sent = verb.sent
        k = sent.start
        while k < verb.i and self.doc[k].lower_ in {"the", "a", "an"}:
            k += 1
        first = self.ctx.mention_at(k) if k < verb.i else None
        if first is None or first[1].type != "Institution" or first[0].end > verb.i:
            return []
        out = [first[1]]
        m = first[0].end
        while m < verb.i:
            if self.doc[m].text == "(":  # "Acme (AC)": an alias in brackets
                close = next((j for j in range(m, verb.i) if self.doc[j].text == ")"), None)
                if close is None:
                    break
                m = close + 1
                continue
            if self.doc[m].lower_ != "and":
                break
            j = m + 1
            while j < verb.i and self.doc[j].lower_ == "the":
                j += 1
            nxt = self.ctx.mention_at(j) if j < verb.i else None
            if nxt is None or nxt[1].type != "Institution":
                break
            out.append(nxt[1])
            m = nxt[0].end
        return out

    def _slash_parties(self, t: Token) -> list[Cluster]:
        """'the Harlow/Bexter consortium': each part of a slash name that is the first word
        of an institution named in the story is a party."""
        hit = self.ctx.mention_at(t.i)
        text = hit[0].text if hit is not None else t.text
        parts = [fold(p) for p in text.split("/")]
        if len(parts) < 2 or not all(parts):
            return []
        out: list[Cluster] = []
        for part in parts:
            named = [c for c in self.ctx.res.clusters if c.type == "Institution" and
                     (hit is None or c is not hit[1]) and
                     any(fold(f.split()[0]) == part for f in c.forms if f.split())]
            if len(named) != 1:
                return []
            out.append(named[0])
        return out

    def _reference(self, sent: Span) -> Token | None:
        sents = self.ctx.sent_list
        idx = self.ctx.sent_index.get(sent.start, 0)
        just_after = self.latest is not None and idx > 0 and \
            any(s.start == sents[idx - 1].start for s in self.latest.sentences)
        for t in sent:
            if just_after and t.dep_ == "nsubj" and (
                    (t.lower_ == "it" and t.head.lemma_.lower() in lx.SCOPE_VERBS) or
                    (t.lower_ in lx.BARE_COOPERATION_NOUNS and not any(
                        c.dep_ in {"det", "poss", "prep"} for c in t.children))):
                # "A signed an MoU with B. It covers energy." / "Cooperation will cover ..."
                return t
            if t.lower_ in lx.AGREEMENT_REFERENCES and any(
                    c.lower_ in lx.REFERRING_DETERMINERS for c in t.children if c.dep_ in
                    {"det", "poss"}):
                return t
            if t.lower_ in lx.COLLECTIVE_PARTY_NOUNS and self._collective(t):
                return t
            if t.lower_ == "both" and t.dep_ in {"nsubj", "det", "preconj"}:
                return t
            if t.lower_ in lx.NEW_BODY_NOUNS and any(c.lower_ in lx.NEW_BODY_MODIFIERS and
                                                     c.dep_ == "amod" for c in t.children):
                return t  # "the new company": what the latest agreement set up
        return None

    def _continued(self, tok: Token) -> list[Cluster]:
        """'with A, and B': institutions that follow the object of 'with' as a list the parse
        attached elsewhere."""
        ctx = self.ctx
        hit = ctx.mention_at(tok.i)
        out: list[Cluster] = []
        k = hit[0].end if hit is not None else tok.right_edge.i + 1
        while k < len(self.doc):
            j = k
            while j < len(self.doc) and self.doc[j].lower_ in lx.LIST_JOINERS:
                j += 1
            if j == k or not any(t.lower_ in {",", "and"} for t in self.doc[k:j]):
                break
            d = j  # a descriptor before the name: "and foreign trade bank Beta"
            while d < len(self.doc) and d - j < 4 and ctx.mention_at(d) is None and \
                    self.doc[d].is_alpha and self.doc[d].pos_ in {"PROPN", "NOUN", "ADJ"}:
                d += 1
            nxt = ctx.mention_at(d) if d < len(self.doc) else None
            if nxt is None or nxt[1].type != "Institution" or nxt[0].sent.start != tok.sent.start:
                break
            out.append(nxt[1])
            k = nxt[0].end
        return out

    def _listed(self, head: Token) -> list[Cluster]:
        """'A and B' where the parse missed the coordination: the institutions of the phrase
        that only 'and', commas and articles separate from the one the head names."""
        ctx = self.ctx
        hits = []
        k = head.left_edge.i
        while k <= head.right_edge.i:
            hit = ctx.mention_at(k)
            if hit is not None:
                hits.append(hit)
                k = hit[0].end
            else:
                k += 1
        groups: list[list[tuple[Span, Cluster]]] = []
        for m, c in hits:
            if groups and all(t.lower_ in lx.LIST_JOINERS for t in
                              self.doc[groups[-1][-1][0].end:m.start]):
                groups[-1].append((m, c))
            else:
                groups.append([(m, c)])
        for g in groups:
            if len(g) > 1 and any(m.start <= head.i < m.end for m, _ in g):
                return [c for _, c in g if c.type == "Institution"]
        return []

    def _reported_subject(self, tok: Token) -> list[Cluster]:
        """The subject of the reporting verb a pronoun's clause hangs from."""
        if tok.lower_ not in lx.REPORTED_PRONOUNS:
            return []
        for v in tok.ancestors:
            if v.lemma_.lower() in lx.REPORTING_LEMMAS:
                subj = [c for c in v.children if c.dep_ == "nsubj"]
                if subj and subj[0].lower_ not in lx.PRONOUN_SUBJECTS:
                    out = self._institutions_at(subj[0])
                    if tok.lower_ == "they" and len(out) < 2:
                        return []
                    return out
                return []
        return []

    def _collective(self, tok: Token) -> bool:
        """'the two companies', 'both sides', 'they' (not 'the governments of A and B', which
        names its members)."""
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return False
        return tok.lower_ in lx.COLLECTIVE_PARTY_NOUNS and any(
            c.lower_ in lx.COLLECTIVE_DETERMINERS for c in tok.children) or \
            tok.lower_ in lx.COLLECTIVE_PRONOUNS or (
                tok.lower_ in NUMBER_WORDS and tok.dep_ in {"nsubj", "nsubjpass"} and
                any(c.lower_ == "the" for c in tok.children))  # "the two will cooperate"

    def _institutions_at(self, tok: Token, countries: bool = True) -> list[Cluster]:
        """The institutions a noun phrase names: its mention, its conjuncts, a name in apposition
        and the names coordinated with it ("the state firm Acme and Beta"), a definite
        description or a pronoun resolved to the latest subject."""
        out: list[Cluster] = []
        todo = [tok, *tok.conjuncts]
        seen: set[int] = set()
        while todo:
            t = todo.pop(0)
            if t.i in seen:
                continue
            seen.add(t.i)
            hit = self.ctx.mention_at(t.i)
            if hit is None and t.lemma_.lower() == "government" and countries:
                # "the governments of Norway and Peru": each country's government
                for of in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for o in (x for x in of.children if x.dep_ == "pobj"):
                        for place in [o, *o.conjuncts]:
                            ph = self.ctx.mention_at(place.i)
                            g = self.ctx.as_party(ph[1], ph[0]) if ph is not None else None
                            if g is not None and g not in out:
                                out.append(g)
                if out:
                    continue
            if hit is None:
                # a name inside the phrase: only an institution ("US firms" names no party)
                named = [c for c in t.children if c.dep_ in {"appos", "compound", "nmod"}
                         and (named_hit := self.ctx.mention_at(c.i))
                         and named_hit[1].type == "Institution"]
                if named:
                    todo = [named[0], *named[0].conjuncts, *todo]
                    continue
            elif not countries and hit[1].type != "Institution":
                continue  # "a Malaysian venture", "Ruritania's bank": a place is no party here
            c = self._institution_of(t)
            if c is not None and c not in out:
                out.append(c)
        return out

    def _institution_of(self, t: Token) -> Cluster | None:
        ctx = self.ctx
        hit = ctx.mention_at(t.i)
        if hit is not None:
            return ctx.as_party(hit[1], hit[0])
        # a name inside the phrase: "its Kent unit", "the state oil company Acme"
        for c in t.children:
            if c.dep_ in {"appos", "compound", "nmod", "npadvmod"} or \
                    (c.dep_ == "prep" and c.lower_ == "of" and t.lower_ in lx.PART_OF_NOUNS):
                hit = ctx.mention_at(c.i)
                if hit is not None and hit[1].type == "Institution":
                    return hit[1]
        low = t.lower_
        if low in lx.PART_OF_NOUNS:
            # "Acme's U.K. subsidiary formed ...": an unnamed unit acts for its parent
            owner = next((c for c in t.children if c.dep_ == "poss"), None)
            hit = ctx.mention_at(owner.i) if owner is not None else None
            if hit is not None and hit[1].type == "Institution":
                return hit[1]
        if low == "government" and t.text.islower():
            # "the (federal) government": the government of the country the story is about
            country = ctx.main_country()
            return ctx.res.government_of(country) if country else None
        if low in {"it", "its"} or (low in lx.DEFINITE_INSTITUTION_NOUNS and any(
                c.lower_ in {"the", "this", "that"} for c in t.children)):
            return ctx.latest_institution(t.i, head=low if low not in {"it", "its"} else None)
        if low in {"he", "she"}:
            person = ctx.latest_person(t.i)
            return ctx.positions.get(person.id) if person is not None else None
        return None

    # ------------------------------------------------------------------ agreements
    def _place(self, ev: Event, create: bool = True) -> None:
        ctx = self.ctx
        parties = ev.parties
        if ev.collective and self.latest is not None:
            # "the two companies also agreed ... with C": the latest parties and any named
            parties = list(self.latest.parties) + [p for p in ev.parties
                                                   if p not in self.latest.parties]
        elif ev.collective and ev.collective_noun in lx.COUNTRY_COLLECTIVE_NOUNS:
            # "Officials of Chile and Peru met. The two countries signed ...": their governments
            named = ctx.latest_governments(ev.anchor.i, ev.collective_size)
            parties = named + [p for p in ev.parties if p not in named] if named else parties
        elif ev.collective:
            # "the two companies" before any agreement: the latest institutions named (before
            # the sentence; "the two" alone may follow its pair in the same sentence), and
            # any the clause names ("the two companies will work with C")
            before = ev.collective_at if ev.collective_noun in NUMBER_WORDS else \
                ev.anchor.sent.start
            named = ctx.latest_institutions(before, ev.collective_size)
            parties = named + [p for p in ev.parties if p not in named]
        if len(parties) == 1 and ev.anchor.tag_ not in {"NNS", "NNPS"}:
            # "Acme said the venture will ...", "the deal with Beta": one named party of an
            # agreement already read (the latest that has it)
            known = next((a for a in reversed(self.agreements) if parties[0] in a.parties
                          and len(a.parties) >= 2), None)
            if known is not None:
                parties = list(known.parties)
        if not create:
            key = {p.id for p in parties}
            for a in self.agreements:
                if key and {p.id for p in a.parties} == key:
                    self._attach(a, ev)
            return
        if ev.extra and self.latest is not None:
            for p in ev.extra:
                if p not in self.latest.parties:
                    self.latest.parties.append(p)
                    self.latest.party_rules.setdefault(p.id, "party-parties-are")
            self._attach(self.latest, ev)
            return
        if len(parties) < 2:
            if ev.extra_hint and not parties:
                meant = next((a for a in reversed(self.agreements) if len(a.parties) >= 2 and
                              all(p in a.parties for p in ev.extra_hint)), None)
                if meant is not None:
                    self._attach(meant, ev)
                    return
            if self.latest is not None and not parties:
                self._attach(self.latest, ev)
            elif not parties and not self.agreements and (ev.reference or _definite(ev.anchor)):
                self.pending.append(ev)
            elif len(parties) == 1:
                # a partner named later ("Acme formed a venture ... Its partner is Beta")
                draft = self._draft([], ev)
                draft.parties = list(parties)
                self._attach(draft, ev)
            return
        key = {p.id for p in parties}
        for a in self.agreements:
            if {p.id for p in a.parties} == key:
                self._attach(a, ev)
                return
        # a one-party draft of the same party completed now
        for a in self.agreements:
            if len(a.parties) == 1 and a.parties[0].id in key:
                a.parties = list(parties)
                self._attach(a, ev)
                return
        draft = self._draft(parties, ev)
        self._attach(draft, ev)
        del ctx

    def _draft(self, parties: list[Cluster], ev: Event) -> AgreementDraft:
        c = self.ctx.res.new("Agreement")
        draft = AgreementDraft(cluster=c, parties=list(parties), kind=ev.kind,
                               status=ev.status, rule="+".join(sorted(set(ev.rules))) or "event")
        self.agreements.append(draft)
        return draft

    def _attach(self, a: AgreementDraft, ev: Event) -> None:
        if len(a.parties) >= 2:
            self.latest = a
        if KIND_RANK[ev.kind] > KIND_RANK[a.kind] and ev.parties:
            a.kind = ev.kind
        if a.events and STATUS_RANK[ev.status] > STATUS_RANK[a.status]:
            a.status = ev.status
        elif not a.events:
            a.status = ev.status
        for p, rule in zip(ev.parties, ev.rules, strict=False):
            a.party_rules.setdefault(p.id, f"party-{rule}")
        for p in a.parties:
            a.party_rules.setdefault(p.id, "party-collective" if ev.collective else
                                     "party-earlier-event")
        a.events.append(ev)
        a.sentences.append(ev.sent)
        a.date = a.date or _date(ev.sent, a.status)
        if len(a.parties) >= 2 and self.pending:
            # the early references join now; they tell nothing of kind, status or parties
            waiting, self.pending = self.pending, []
            for early in waiting:
                a.events.append(early)
                a.sentences.append(early.sent)


# ---------------------------------------------------------------------------- the parse

def _separately(ev: Event) -> list[Event]:
    """'A is separately partnering with B and C': one agreement per partner."""
    if not any(t.lower_ in lx.SEPARATELY_WORDS for t in ev.sent):
        return [ev]
    subjects = [(p, r) for p, r in zip(ev.parties, ev.rules, strict=True) if "subject" in r]
    others = [(p, r) for p, r in zip(ev.parties, ev.rules, strict=True) if "subject" not in r]
    if len(subjects) != 1 or len(others) < 2:
        return [ev]
    out = []
    for p, r in others:
        out.append(Event(anchor=ev.anchor, kind=ev.kind, status=ev.status, sent=ev.sent,
                         parties=[subjects[0][0], p], rules=[subjects[0][1], r]))
    return out


def _definite(anchor: Token) -> bool:
    return any(c.dep_ in {"det", "poss"} and c.lower_ in lx.REFERRING_DETERMINERS - {"their",
               "our", "its"} for c in anchor.children)


def _collective_size(tok: Token) -> int:
    if tok.lower_ in NUMBER_WORDS:
        return NUMBER_WORDS[tok.lower_]  # "the two will cooperate"
    for c in tok.children:
        if c.like_num:
            try:
                return max(2, min(6, int(c.text)))
            except ValueError:
                return {"two": 2, "three": 3, "four": 4, "five": 5}.get(c.lower_, 2)
    return 2


def _is_headline(sent: Span) -> bool:
    """The first line, ended by a line break rather than a full stop."""
    text = sent.text.rstrip()
    after = sent.text[len(text):] + sent.doc.text[sent.end_char:sent.end_char + 2]
    return bool(text) and text[-1] not in ".!?\"'" and ("\n" in after or
                                                       sent.end == len(sent.doc))


def _governor(t: Token) -> Token | None:
    """The verb that governs a noun: through prepositions, conjunctions and appositions."""
    h = t
    for _ in range(6):
        if h.head.i == h.i:
            return None
        h = h.head
        if h.pos_ in {"VERB", "AUX"}:
            return h
    return None


def _verb_chain(t: Token) -> list[Token]:
    """The governing verb and the verbs it hangs from up to the clause that has a subject:
    'A and B agreed to set up a venture' -> [set, agreed]."""
    out: list[Token] = []
    v = t if t.pos_ in {"VERB", "AUX"} else _governor(t)
    while v is not None and len(out) < 5 and v not in out:
        out.append(v)
        if any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in v.children):
            break
        if v.dep_ in {"xcomp", "conj", "advcl", "pcomp", "acomp", "ccomp", "prep"} and \
                v.head.i != v.i:
            nxt = v.head if v.head.pos_ in {"VERB", "AUX"} else _governor(v.head)
            v = nxt
            continue
        break
    return out


def _objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]


def _path(t: Token, ancestor: Token) -> list[Token]:
    out = []
    while t.i != ancestor.i and t.head.i != t.i:
        out.append(t)
        t = t.head
    return out


def _inside(t: Token, phrase: Token) -> bool:
    return t in phrase.subtree


def _date(sent: Span, status: str = "signed") -> str | None:
    """The first valid calendar date of the sentence; with the document's publication date a
    date without a year, or a weekday, resolves against it (`loaders.dates`)."""
    return sentence_date(sent.text, status, sent.doc.user_data.get(PUBLISHED_KEY))
