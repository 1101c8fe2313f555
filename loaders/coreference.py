"""Within-document resolution: mentions -> entity clusters. Deterministic, and every merge
records why (surname of a full name, acronym of a long name, same name up to diacritics,
definite description of the latest matching institution)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from loaders import lexicon as lx
from loaders.places import country_of_demonym, lookup
from ontology.vocab import fold


@dataclass
class Cluster:
    id: str
    type: str
    subtype: str | None = None
    forms: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    extra_aliases: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.type == "Location":
            place = lookup(self.forms[0]) if self.forms else None
            if place:
                for f in self.forms:  # keep the article's own spelling when it is the place
                    if fold(f) == fold(place[0]):
                        return _best_spelling(self.forms, f)
        candidates = [f for f in self.forms if not _is_acronym(f)] or self.forms
        longest = max(candidates, key=lambda f: (len(fold(f)), _diacritics(f)))
        return _best_spelling(self.forms, longest)

    @property
    def aliases(self) -> list[str]:
        name = self.name
        seen, out = {name}, []
        for f in [*self.forms, *self.extra_aliases]:
            if f not in seen:
                seen.add(f)
                out.append(f)
        return out

    def add(self, span: Span | None, form: str | None = None) -> None:
        if span is not None:
            self.mentions.append(span)
        form = _clean_form(form if form is not None else span.text if span is not None else "")
        inner = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)\s*", form)
        forms = [form]
        if inner and inner.end() < len(form):
            # "the Digital Trade (DT) Ministry": the name without the bracket, and the acronym
            rest = form[inner.end():]
            forms = [form[:inner.start()] + " " + rest, inner.group(1) + " " + rest,
                     inner.group(1)]
        for f in forms:
            if f and f not in self.forms and not f.lower().startswith("the "):
                self.forms.append(f)


def _clean_form(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"['’]s$", "", text)


def _diacritics(text: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c)) + \
        text.count("đ") + text.count("Đ")


def _best_spelling(forms: list[str], chosen: str) -> str:
    same = [f for f in forms if fold(f) == fold(chosen)]
    return max(same, key=lambda f: (_diacritics(f), not f.isupper(), f))


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and " " not in text and sum(c.isupper() for c in letters) >= \
        max(2, len(letters) - 1)


def _spells(acronym: str, word: str) -> bool:
    """'vw' in 'volkswagen': first letters equal, the rest in order."""
    if not word.startswith(acronym[0]):
        return False
    k = 1
    for ch in word[1:]:
        if k < len(acronym) and ch == acronym[k]:
            k += 1
    return k == len(acronym)


def initials(name: str) -> set[str]:
    """Possible acronyms of a name: initials of its capitalised words, with and without
    connector words and with internal capitals ('PetroRuritania' -> 'PR')."""
    words = re.findall(r"[A-Za-zÀ-ỹĐđ][\w’']*|&", name)
    words = [re.sub(r"^[ldLD]['’](?=[A-ZÀ-Ỹ])", "", w) for w in words]  # "l'Union" -> "Union"
    variants = [words]
    while len(words) > 2 and words[-1].lower().strip(".") in lx.LEGAL_FORMS:
        words = words[:-1]  # "Acme Beta Corp Bhd" is also "AB"
        variants.append(words)
    out = set()
    for words in variants:
        core = [w for w in words if w[0].isupper()]
        out.add("".join(w[0] for w in core))
        out.add("".join(w[0] for w in words if w != "&"))
        out.add("".join("".join(c for c in w if c.isupper()) or w[0] for w in core))
    return {fold(x) for x in out if len(x) >= 2}


def _same_head(head: str, word: str) -> bool:
    """'the clinic' for 'Clínica San Telmo', 'the institute' for 'Instituto Vela': an
    English head word and a head word of another language that share their first five
    letters (diacritics aside) are the same head."""
    w = fold(word)
    return len(head) >= 5 and w != head and w in lx.INSTITUTION_HEADS and \
        fold(head)[:5] == w[:5]


def government_name(country: str) -> str:
    words = country.lower().split()
    article = "the " if set(words) & lx.ARTICLE_COUNTRY_WORDS else ""
    return f"Government of {article}{country}"


class DocResolver:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.clusters: list[Cluster] = []
        self.by_mention: dict[tuple[int, int], Cluster] = {}
        self._n = 0

    def new(self, etype: str, subtype: str | None = None) -> Cluster:
        self._n += 1
        c = Cluster(id=f"e{self._n}", type=etype, subtype=subtype)
        self.clusters.append(c)
        return c

    def cluster_of(self, span: Span) -> Cluster | None:
        return self.by_mention.get((span.start, span.end))

    def resolve(self, mentions: list[Span]) -> list[Cluster]:
        persons = [m for m in mentions if m.label_ == "Person" and len(m) > 1]
        person_tokens: dict[str, Span] = {}
        for p in persons:
            for t in p:
                if t.text[:1].isupper() and len(t.text) > 1 and not t.text.endswith("."):
                    person_tokens.setdefault(fold(t.text), p)
        keyed: dict[tuple[str, str], Cluster] = {}
        for m in mentions:
            etype, _, sub = m.label_.partition("/")
            text = m.text
            # a single word that is part of a person's full name is that person
            if len(m) == 1 and fold(text) in person_tokens and etype != "Location" \
                    or (len(m) == 1 and etype == "Location" and fold(text) in person_tokens
                        and not lookup(text)):
                full = person_tokens[fold(text)]
                c = keyed.get(("Person", fold(full.text)))
                if c is None:
                    c = self.new("Person")
                    c.add(None, full.text)
                    keyed[("Person", fold(full.text))] = c
                c.add(m)
                c.why.append(f"'{text}' is part of the full name '{full.text}'")
                self.by_mention[(m.start, m.end)] = c
                continue
            key = (etype, fold(text))
            if etype == "Location":
                place = lookup(text)
                if place:
                    key = (etype, fold(place[0]))
            c = keyed.get(key)
            if c is None:
                c = self.new(etype, sub or None)
                keyed[key] = c
            elif fold(text) and text not in c.forms:
                c.why.append(f"'{text}' equals '{c.forms[0]}' up to case, diacritics "
                             "and punctuation")
            c.add(m)
            self.by_mention[(m.start, m.end)] = c
        self._merge_acronyms()
        self._merge_prefixed()
        self._merge_short_forms()
        self._governments()
        return self.clusters

    def _absorb(self, keep: Cluster, gone: Cluster, why: str) -> None:
        for f in gone.forms:
            if f not in keep.forms:
                keep.forms.append(f)
        keep.mentions += gone.mentions
        keep.why += [why, *gone.why]
        if keep.subtype in (None, "Company") and gone.subtype not in (None, "Company"):
            keep.subtype = gone.subtype
        for k, v in list(self.by_mention.items()):
            if v is gone:
                self.by_mention[k] = keep
        self.clusters.remove(gone)

    def _merge_acronyms(self) -> None:
        insts = [c for c in self.clusters if c.type == "Institution"]
        # explicit "Long Name (ACR)"
        for c in list(insts):
            for m in c.mentions:
                e = m.end
                if e + 2 < len(self.doc) and self.doc[e].text == "(" and self.doc[e + 2].text == ")":
                    acr = self.doc[e + 1].text
                    for other in list(self.clusters):
                        if other is not c and other.type in ("Institution", "Location") and \
                                any(f == acr for f in other.forms) and other in self.clusters:
                            self._absorb(c, other, f"'{acr}' is given in brackets after "
                                                   f"'{m.text}'")
                    if acr not in c.forms and _is_acronym(acr):
                        c.forms.append(acr)
        # "Long Name, ACR," / "Long Name ACR said": an acronym in apposition
        for c in [c for c in self.clusters if c.type == "Institution"]:
            for m in list(c.mentions):
                e = m.end + (1 if m.end < len(self.doc) and self.doc[m.end].text == "," else 0)
                if e >= len(self.doc) or e == m.end and True:
                    continue
                acr = self.doc[e].text
                if not _is_acronym(acr) or acr[0].lower() != fold(m.text)[:1]:
                    continue
                if e + 1 < len(self.doc) and self.doc[e + 1].text not in {",", ".", ")", ";"}:
                    continue
                for other in list(self.clusters):
                    if other is not c and other in self.clusters and other.type == "Institution" \
                            and acr in other.forms and c in self.clusters:
                        self._absorb(c, other, f"'{acr}' follows '{m.text}' in apposition")
                if acr not in c.forms:
                    c.forms.append(acr)
        insts = [c for c in self.clusters if c.type == "Institution"]
        longs = [c for c in insts if any(not _is_acronym(f) for f in c.forms)]
        for c in list(insts):
            if c not in self.clusters or not all(_is_acronym(f) for f in c.forms):
                continue
            acr = fold(c.forms[0])
            hits = [lc for lc in longs if lc is not c and lc in self.clusters
                    and any(acr in initials(f) for f in lc.forms)]
            if len(hits) == 1:
                self._absorb(hits[0], c, f"'{c.forms[0]}' is the initials of '{hits[0].name}'")

    def _merge_prefixed(self) -> None:
        """'RNU-Springfield' and 'RNU': a short name plus a place is the same institution."""
        insts = [c for c in self.clusters if c.type == "Institution"]
        for c in insts:
            for f in list(c.forms):
                m = re.match(r"^(.+?)\s*[-–,]\s*(.+)$", f)
                if not m or not lookup(m.group(2)):
                    continue
                for other in list(self.clusters):
                    if other is not c and other.type == "Institution" and other in self.clusters \
                            and fold(m.group(1)) in {fold(x) for x in other.forms}:
                        keep, gone = (c, other)
                        self._absorb(keep, gone, f"'{f}' is '{m.group(1)}' with its place")

    def _merge_short_forms(self) -> None:
        """'Orbitron' and 'Orbitron AI' (or 'Delta' and 'Delta Group'): a name met without its
        generic tail is the one institution whose name it begins, when there is exactly one."""
        insts = [c for c in self.clusters if c.type == "Institution"]
        for c in insts:
            if c not in self.clusters or len({fold(f) for f in c.forms}) != 1 or \
                    len(c.forms[0].split()) > 2:
                continue
            short, n = fold(c.forms[0]), len(c.forms[0].split())
            place = lookup(c.forms[0])  # once per name, not per name * other name
            named = not (place and place[1] != "city") and not country_of_demonym(c.forms[0])
            hits = []
            for other in insts:
                if other is c or other not in self.clusters:
                    continue
                for f in other.forms:
                    words = f.split()
                    if len(words) > n and fold(" ".join(words[:n])) == short and named:
                        hits.append((other, f))
                        break
            if len(hits) > 1 and len(named_hits := [(o, f) for o, f in hits
                                                    if not f.split()[-1].islower()]) == 1:
                hits = named_hits  # "Acme" with "Acme Motors" and "the Acme group": the company
            if len(hits) > 1:
                # "Acme" with "Acme AG" and "Acme Anlagen AG": the one that adds only a legal form
                hits = [(o, f) for o, f in hits if all(
                    w.lower().strip(".") in lx.NAME_TAILS | lx.LEGAL_FORMS for w in f.split()[n:])]
            if len(hits) == 1:
                other, f = hits[0]
                self._absorb(other, c, f"'{c.forms[0]}' is '{f}' without its generic tail")
        self._merge_name_words()
        self._merge_head_nouns()

    def _merge_head_nouns(self) -> None:
        """'the Authority', 'the Institute': a capitalised head word after 'the', used alone,
        refers back to the one institution named before whose name holds that word."""
        insts = [c for c in self.clusters if c.type == "Institution"]
        for c in insts:
            if c not in self.clusters or not c.mentions or len({fold(f) for f in c.forms}) != 1:
                continue
            word = c.forms[0]
            if " " in word or fold(word) not in lx.INSTITUTION_HEADS or not word[:1].isupper() \
                    or not all(m.start > 0 and self.doc[m.start - 1].lower_ == "the"
                               for m in c.mentions):
                continue
            first = min(m.start for m in c.mentions)
            hits = [o for o in insts if o is not c and o in self.clusters and
                    any(m.start < first for m in o.mentions) and
                    any(fold(word) in [fold(w) for w in f.split()] for f in o.forms)]
            if len(hits) == 1:
                self._absorb(hits[0], c, f"'the {word}' refers back to '{hits[0].forms[0]}'")

    def _merge_name_words(self) -> None:
        """'Ferraldi' for 'Officine Ferraldi SpA', 'KW' for 'Kraftwagen AG': a one-word
        institution that is a distinctive word of exactly one longer name (or whose capitals
        spell that word's first letters in order) is that institution."""
        insts = [c for c in self.clusters if c.type == "Institution"]
        for c in insts:
            if c not in self.clusters or len({fold(f) for f in c.forms}) != 1 or " " in c.forms[0]:
                continue
            word = c.forms[0]
            low = fold(word)
            place = lookup(word)
            if low in lx.INSTITUTION_HEADS or low in lx.GENERIC_NAME_WORDS or \
                    (place and place[1] != "city") or country_of_demonym(word) or len(low) < 2:
                continue
            hits = []
            for other in insts:
                if other is c or other not in self.clusters:
                    continue
                for f in other.forms:
                    words = [fold(w) for w in re.split(r"[\s-]+", f) if fold(w) not in lx.LEGAL_FORMS]
                    if len(re.split(r"[\s-]+", f)) > 1 and (low in words or (
                            _is_acronym(word) and len(words) == 1 and _spells(low, words[0]))):
                        hits.append((other, f))
                        break
            if len(hits) == 1:
                other, f = hits[0]
                self._absorb(other, c, f"'{word}' is a short form of '{f}'")

    def _governments(self) -> None:
        for c in self.clusters:
            if c.type == "Institution" and c.forms and fold(c.forms[0]).endswith("government"):
                country = country_of_demonym(c.forms[0].split()[0])
                if country:
                    c.extra_aliases.append(government_name(country))

    def government_of(self, country: str, surface: str | None = None) -> Cluster:
        """A country acting as a party is its government (the spec's convention)."""
        name = government_name(country)
        for c in self.clusters:
            if c.type == "Institution" and name in [*c.forms, *c.extra_aliases]:
                if surface and surface not in c.extra_aliases:
                    c.extra_aliases.append(surface)
                return c
        c = self.new("Institution", "GovernmentBody")
        c.forms.append(name)
        c.extra_aliases.append(country)
        if surface and surface != country:
            c.extra_aliases.append(surface)
        c.why.append(f"'{country}' acts as a party, so its government is the institution")
        return c

    def sector(self, pref: str) -> Cluster:
        for c in self.clusters:
            if c.type == "Sector" and c.forms and c.forms[0] == pref:
                return c
        c = self.new("Sector")
        c.forms.append(pref)
        return c

    def definite(self, head: str, before: int) -> Cluster | None:
        """'the academy', 'the university', 'the company' -> latest matching institution."""
        best, best_pos = None, -1
        for c in self.clusters:
            if c.type != "Institution":
                continue
            ok = any(head in f.lower().split() or any(_same_head(head, w) for w in f.split())
                     for f in c.forms) or \
                lx.INSTITUTION_HEADS.get(head) == c.subtype and head in {"university", "company"}
            if not ok:
                continue
            pos = max((m.start for m in c.mentions if m.start < before), default=-1)
            if pos > best_pos:
                best, best_pos = c, pos
        return best
