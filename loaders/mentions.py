"""The `kg_mentions` component: institution, person and place mentions from the statistical
NER corrected by rules of the language (institution head words, honorifics and titles before
names, place lists, noise filters). Results go to doc.spans["kg"], labelled
"Institution/<Subtype>", "Person" or "Location"."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from loaders import lexicon as lx
from loaders.places import country_of_demonym, lookup

SPAN_KEY = "kg"
MARKED_KEY = "kg_marked"  # doc.user_data: character spans of names marked up in wire copy


def _cap(t: Token) -> bool:
    w = t.text
    return bool(w) and (w[0].isupper() or (w[0].isdigit() and any(c.isalpha() for c in w))) \
        and w.lower() not in {"the"}


def _is_title_word(t: Token) -> bool:
    return t.lower_ in lx.TITLE_HEADS or t.lower_ in lx.TITLE_MODIFIERS


def institution_subtype(words: list[str]) -> str | None:
    """The subtype a name's head words or legal form suggest, None when nothing in the name
    says it is an institution. A legal form may open the name ("PT Awan Biru")."""
    if len(words) > 1 and words[0] in lx.LEGAL_FORM_PREFIXES and words[1][:1].isupper():
        return "Company"
    low = [w.lower().strip(".") for w in words]
    sub = None
    for w in low:
        if w in lx.INSTITUTION_HEADS:
            sub = lx.INSTITUTION_HEADS[w]
            if w in ("university", "academy", "institute", "embassy", "ministry"):
                break
    if sub is None:
        return None
    joined = " ".join(low)
    for cue, hint in lx.SUBTYPE_HINTS.items():
        if cue in joined and not (hint == "ResearchInstitute" and sub == "University"):
            sub = hint
    return sub


def capitalised_chunks(sent: Span) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by name connectors and tight hyphens."""
    out: list[tuple[int, int]] = []
    toks = list(sent)
    i = 0
    while i < len(toks):
        if not _cap(toks[i]) or toks[i].is_punct:
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            t = toks[j]
            if _cap(t) and not t.is_punct and toks[j - 1].lower_ in lx.LEGAL_FORMS and \
                    toks[j - 1].text.endswith(".") and t.lower_.strip(".") not in lx.LEGAL_FORMS:
                break  # "Acme Corp. Under the deal": a name closed by its legal form ends there
            if _cap(t) and not t.is_punct:
                j += 1
            elif (t.text in {"-", "–", "."} and not toks[j - 1].whitespace_ and j + 1 < len(toks)
                  and _cap(toks[j + 1])):
                j += 1
            elif t.text == "/" and not toks[j - 1].whitespace_ and not t.whitespace_ and \
                    j + 1 < len(toks) and len(toks[j - 1].text) == 1 and \
                    len(toks[j + 1].text) == 1 and toks[j + 1].is_upper:
                j += 1  # "Acme Bank A/S": a Nordic legal form
            elif t.lower_ in lx.NAME_CONNECTORS and j + 1 < len(toks) and _cap(toks[j + 1]) \
                    and toks[j + 1].ent_type_ not in {"DATE", "TIME"} and not (
                        toks[j - 1].lower_.strip(".") in lx.LEGAL_FORMS and t.lower_ != "&"):
                j += 1  # not across a closed name ("Acme Ltd on Monday")
            elif t.text == "(" and j + 3 < len(toks) and toks[j + 2].text == ")" and \
                    _is_acronym_token(toks[j + 1]) and _cap(toks[j + 3]) and not toks[j + 3].is_punct:
                j += 3  # "the Digital Trade (DT) Ministry": the acronym inside the name
            elif t.lower_ == "of" and j + 2 < len(toks) and toks[j + 1].lower_ == "the" and \
                    _cap(toks[j + 2]) and not toks[j + 2].is_punct and \
                    toks[j - 1].lower_.strip(".") not in lx.LEGAL_FORMS:
                j += 2  # "Bank for Foreign Trade of the Republic"
            else:
                break
        # do not end on a connector
        while j > i and toks[j - 1].lower_ in lx.NAME_CONNECTORS:
            j -= 1
        if j > i:
            out.append((toks[i].i, toks[j - 1].i + 1))
        i = max(j, i + 1)
    return out


def _split_institutions(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a chunk at 'and'/'in' where both sides stand as names of their own."""
    for k in range(start + 1, end - 1):
        t = doc[k]
        if t.lower_ == "and":
            left, right = [x.text for x in doc[start:k]], [x.text for x in doc[k + 1:end]]
            if doc[k + 1].lower_.strip(".") in lx.LEGAL_FORMS | {"sons", "company", "partners"}:
                continue  # "Smith and Co Inc"
            if _separate_entities(doc, k) or (k == start + 1 and _is_acronym_token(doc[start])
                                               and institution_subtype(right)):
                return [(start, k)] + _split_institutions(doc, k + 1, end)
            if lookup(" ".join(left)) and institution_subtype(right):
                return _split_institutions(doc, k + 1, end)
            if institution_subtype(left) and institution_subtype(right):
                return _split_institutions(doc, start, k) + _split_institutions(doc, k + 1, end)
            if institution_subtype(left) and _entity_after_and(doc, k):
                # "Instituto de Suelos and Kavango Seeds": a head-first name, then another name
                return [(start, k)] + _split_institutions(doc, k + 1, end)
            if len(left) > 1 and left[-1].lower().strip(".") in lx.INSTITUTION_HEADS:
                # "Delta Group and Orbitron": a name closed by its head word ends at "and"
                return [(start, k)] + _split_institutions(doc, k + 1, end)
        if t.lower_ == "of" and _of_place_split(doc, start, end) == k:
            return [(start, k)]  # "Acme Ltd of Canada": the company, then its place
        if t.lower_ == "in":
            left = [x.lower_ for x in doc[start:k]]
            place = doc[k + 1:end].text
            known = lookup(place) or all(x.ent_type_ in {"GPE", "LOC"} for x in doc[k + 1:end])
            if known and not (set(left) & lx.NAME_CONTINUES_WITH_PLACE):
                return [(start, k)]
            if not lookup(place) and not institution_subtype([x.text for x in doc[k + 1:end]]):
                continue
    return [(start, end)]


def _closed_name(span: Span) -> bool:
    """A name that ends in a legal form is complete: what follows is not part of it."""
    return len(span) > 1 and span[-1].lower_.strip(".") in lx.LEGAL_FORMS | {
        w.strip(".") for w in lx.LEGAL_FORMS}


def _of_place_split(doc: Doc, s: int, e: int) -> int | None:
    """'Acme Ltd of Canada', 'Beta of Springfield': where the institution ends and its place
    begins, for names whose own head is not one that takes 'of' ('Bank of X', 'University of
    X' keep their place)."""
    for k in range(s + 1, e - 1):
        at = k + 2 if doc[k + 1].lower_ == "the" and k + 2 < e else k + 1  # "of the U.S."
        if doc[k].lower_ != "of" or not lookup(doc[at:e].text):
            continue
        left = doc[s:k]
        if _closed_name(left) or not institution_subtype([t.text for t in left]) or \
                left[-1].lower_ not in lx.OF_TAKING_HEADS:
            return k
    return None


def _is_acronym_token(t: Token) -> bool:
    letters = [c for c in t.text if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


def _separate_entities(doc: Doc, k: int) -> bool:
    """The model reads two organisations on either side of this 'and'."""
    a, b = doc[k - 1], doc[k + 1]
    return a.ent_type_ == "ORG" and b.ent_type_ == "ORG" and b.ent_iob_ == "B" and \
        a.ent_iob_ in {"B", "I"} and not _in_entity(doc[k])


def _entity_after_and(doc: Doc, k: int) -> bool:
    """The model ends an organisation before this 'and' and starts another entity after it."""
    a, b = doc[k - 1], doc[k + 1]
    return a.ent_type_ == "ORG" and b.ent_iob_ == "B" and b.ent_type_ in {"ORG", "PERSON"} \
        and not _in_entity(doc[k])


def _in_entity(t: Token) -> bool:
    """Whether a token lies inside one of `doc.ents`, read off its own IOB tag (as doc.ents
    builds them: "I" continues an entity, "B" with a label starts one) -- `doc.ents` builds
    every entity of the document, so asking it once per "and" was quadratic in a long text."""
    return t.ent_iob_ == "I" or (t.ent_iob_ == "B" and t.ent_type != 0)


def _after_person(doc: Doc, start: int, end: int) -> int:
    """'Nadia Osei of the Brimley Institute': a person the model reads, then 'of' her
    institution; the chunk's institution starts after the 'of'."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ == "of" and all(t.ent_type_ == "PERSON" for t in doc[start:k]):
            k += 1
            while k < end and doc[k].lower_ == "the":
                k += 1
            return k
    return start


def _strip_title_prefix(doc: Doc, start: int, end: int) -> int:
    """'Chairman of Orlo Alumni Network' -> 'Orlo Alumni Network'."""
    k = start
    while k < end and (_is_title_word(doc[k]) or doc[k].lower_ in lx.HONORIFICS):
        k += 1
    if k > start and k < end and doc[k].lower_ in {"of", "for", "at"}:
        return k + 1
    if any(t.lower_ in lx.TITLE_HEADS for t in doc[start:k]):
        # "CEO Mei Lin of Orion Company": a titled name, then "of" the institution
        for j in range(k + 1, min(end, k + 5)):
            if doc[j].lower_ in lx.INSTITUTION_HEADS:
                break
            if doc[j].lower_ in {"of", "at"}:
                return j + 1
    return start


def _cut_at_title(doc: Doc, start: int, end: int) -> int:
    """'Orion Labs Company CEO Marcus Reed' -> 'Orion Labs Company'."""
    for k in range(start + 1, end):
        t = doc[k]
        if (t.lower_ in lx.TITLE_HEADS or (t.lower_ in lx.TITLE_MODIFIERS and k + 1 < end
                                           and doc[k + 1].lower_ in lx.TITLE_HEADS)) \
                and (institution_subtype([x.text for x in doc[start:k]]) or (
                    k == start + 1 and _is_acronym_token(doc[start]) and t.is_title
                    and k + 1 < end)):
            return k  # "XU Rector Ana Ruiz": the acronym is the institution, then a title
    return end


def _inside_possessive_title(doc: Doc, s: int) -> bool:
    k = s - 1
    while k >= 0 and doc[k].lower_ in {"the", "of", "for"}:
        k -= 1
    j = k
    while j >= 0 and (doc[j].lower_ in lx.TITLE_HEADS or doc[j].lower_ in lx.TITLE_MODIFIERS):
        j -= 1
    return j < k and j >= 0 and doc[j].tag_ == "POS"


def _place_and_generic(span: Span) -> bool:
    """'Ruritanian Firm', 'Freedonia Subsidiary', 'Japanese Bank': a place or nationality with common
    nouns names nobody."""
    generic = [t for t in span if t.lower_ in lx.GENERIC_NAME_WORDS]
    return bool(generic) and all(t.lower_ in lx.GENERIC_NAME_WORDS or t.is_punct or
                                 _is_country(t.text) or country_of_demonym(t.text) for t in span)


def _is_country(text: str) -> bool:
    place = lookup(text)
    return place is not None and place[1] in {"country", "state"}


def _located_context(doc: Doc, s: int, e: int) -> bool:
    """A city name the model did not tag as a place is a place where the sentence says so:
    after a locative preposition, before ', COUNTRY' or '-based'."""
    if s > 0 and doc[s - 1].lower_ in lx.LOCATIVE_PREPOSITIONS:
        return True
    if _listed_place(doc, s):
        return True
    if doc[s:e].text.isupper() and e < len(doc) and doc[e].text in {":", "—", "–", "-", "("} \
            and (s == 0 or "\n" in doc[s - 1].text + doc[s - 1].whitespace_):
        return True  # a dateline: "CITY: ..." at the start of a line
    if e + 1 < len(doc) and doc[e].text == "," and lookup(doc[e + 1].text):
        return True
    return e + 1 < len(doc) and doc[e].text in {"-", "–"} and doc[e + 1].lower_ in lx.LOCATED_CUES


def _dateline_place(doc: Doc, s: int, e: int) -> bool:
    """'BONN, Oct 14 -', 'VALPARAÍSO, 14 May 2025 —': the all-capitals words that open a
    dateline (a sentence of its own, see `components._dateline_ends`) name its place, whether
    or not the gazetteer knows it."""
    sent = doc[s].sent
    return s == sent.start and e < sent.end and doc[e].text == "," and \
        doc[s:e].text.isupper() and sent[-1].text in lx.DATELINE_DASHES and \
        all(t.is_alpha or t.text in {"-", "."} for t in doc[s:e])


def _place_lists(doc: Doc, chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """'in Tarnow and Kielce': a chunk that is no place but whose parts around 'and' all are
    known places is read part by part."""
    out = []
    for s, e in chunks:
        cuts = [k for k in range(s + 1, e - 1) if doc[k].lower_ == "and"]
        if cuts and not lookup(doc[s:e].text):
            parts = list(zip([s] + [k + 1 for k in cuts], cuts + [e], strict=True))
            if all(lookup(doc[a:b].text) for a, b in parts):
                out += parts
                continue
        out.append((s, e))
    return out


def _listed_place(doc: Doc, s: int) -> bool:
    """'plants in Tarnow and Kelby': a name listed after a known place that a locative
    preposition introduces."""
    k = s - 1
    while k > 1 and doc[k].lower_ in {",", "and", "or"} and lookup(doc[k - 1].text):
        k -= 2
        if k >= 0 and doc[k].lower_ in lx.LOCATIVE_PREPOSITIONS:
            return True
    return False


def _based_cue(doc: Doc, e: int) -> bool:
    """'Bergen-based', 'Oslo-headquartered': a place before a hyphen and a cue of location."""
    return e + 1 < len(doc) and doc[e].text in {"-", "–"} and doc[e + 1].lower_ in lx.LOCATED_CUES


def _facility_context(doc: Doc, s: int, e: int) -> bool:
    """'Acme's Springfield plant': between a possessive and a facility noun stands a place."""
    return s > 0 and doc[s - 1].tag_ == "POS" and e < len(doc) and \
        doc[e].lower_ in lx.FACILITY_NOUNS


def _product_name(doc: Doc, s: int, e: int) -> bool:
    """'the Orca model', 'its Vela platform', 'its Wren handsets', 'the Ferro and Astra
    brands': a bare name (or a list of them) that a determiner and a product or document noun
    enclose names the thing, not an institution (a name with an institution's head word, 'the
    Acme Group project', stays the group). A market index is never an institution ('the Orbis
    100 index', 'the Kestrel average')."""
    if institution_subtype([t.text for t in doc[s:e]]) is not None:
        return False
    k = e
    while k < len(doc) and (doc[k].like_num or doc[k].lower_ in lx.INDEX_MODIFIERS):
        k += 1  # "the Orbis 100 index", "the Kestrel composite index"
    if k < len(doc) and doc[k].is_lower and doc[k].lower_ in lx.INDEX_NOUNS and (
            k > e or doc[k].lower_ != "average"):
        return True
    b = s
    while b > 1 and doc[b - 1].lower_ in {",", "and", "or"} and _cap(doc[b - 2]) and \
            not doc[b - 2].is_punct:
        b -= 2  # "the Ferro and Astra brands", read from Astra
        while b > 0 and _cap(doc[b - 1]) and not doc[b - 1].is_punct:
            b -= 1
    if b == 0 or doc[b - 1].lower_ not in {"the", "a", "an", "its", "their", "his", "her", "our"}:
        return False
    tails = lx.NON_INSTITUTION_TAILS | lx.PRODUCT_NOUNS
    if e < len(doc) and doc[e].is_lower and doc[e].lower_ in tails:
        return True
    # "the Ferro and Astra brands": the names of a list, then the noun
    while k < len(doc) and (doc[k].lower_ in {",", "and", "or"} or
                            (_cap(doc[k]) and not doc[k].is_punct)):
        k += 1
    return k > e + 1 and k < len(doc) and doc[k].is_lower and doc[k].lower_ in lx.PRODUCT_NOUNS


def _cited_outlet(doc: Doc, s: int, e: int) -> bool:
    """'..., the Freedonia Daily said': a newspaper's name heading a reporting verb is a
    source, not an institution of the story."""
    if doc[e - 1].lower_ not in lx.OUTLET_HEADS or e - s < 2:
        return False
    if s >= 2 and doc[s - 1].lower_ in {"with", "to"} and doc[s - 2].lower_ in {"interview",
                                                                               "interviews"}:
        return True  # "in an interview with Rovia Television"
    root = doc[s:e].root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in lx.REPORTING_LEMMAS


def _is_noise(text: str) -> bool:
    low = text.lower().strip()
    if low in lx.NOISE_WORDS or not any(c.isalpha() for c in low):
        return True
    if "/" in text and text.replace("/", "").isupper():
        return True  # bylines such as AGENCY/AGENCY
    return False


def _descriptor_start(doc: Doc, start: int, end: int) -> bool:
    """'Carmaker Jorvik said ...': a common noun that describes the company, capitalised only
    because it opens the sentence, is no part of the name."""
    t = doc[start]
    return end - start >= 2 and t.is_sent_start is True and t.is_title and \
        (t.lower_ in lx.DESCRIPTOR_NOUNS or t.lower_.endswith("maker")) and \
        doc[start + 1].is_title and doc[start + 1].is_alpha


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in {"the", "a", "an"} | lx.NAME_PREFIX_WORDS
                           or doc[start].is_punct):
        start += 1
    if start < end and _descriptor_start(doc, start, end):
        start += 1
    if end - start >= 3 and doc[start + 1].lower_ in lx.FOREIGN_HEADS and \
            country_of_demonym(doc[start].text):
        start += 1  # "the French Institut Aquitain": English copy's adjective, not the name
    if end - start >= 3 and doc[start].is_sent_start is True and doc[start].pos_ == "NOUN" and \
            doc[start].lower_ not in lx.INSTITUTION_HEADS and \
            doc[start + 1].lower_ in {"in", "of", "for", "at", "on"}:
        # "Shares in Acme rose", "Sales of the Acme cars": the sentence's first noun, not a name
        return _trim(doc, start + 2, end)
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"
                           or doc[end - 1].text in {"'s", "’s", "’", "'"}):
        end -= 1
    return start, end


def _hyphenated_given_names(doc: Doc) -> list[tuple[int, int]]:
    """'Soon-hee Park', 'Bong-hwan Kim': a hyphenated given name with a lower-case second
    half, then a capitalised family name (the small model misses most of them)."""
    out = []
    for k in range(len(doc) - 3):
        a, h, b = doc[k], doc[k + 1], doc[k + 2]
        if not (a.is_title and a.is_alpha and h.text == "-" and b.is_lower and b.is_alpha
                and not a.whitespace_ and not h.whitespace_):
            continue
        e = k + 3
        while e < len(doc) and e - k < 5 and doc[e].is_title and doc[e].is_alpha and \
                not _is_title_word(doc[e]):
            e += 1
        if e > k + 3:
            out.append((k, e))
    return out


def _described_company(doc: Doc, s: int, e: int) -> bool:
    """A name right after a lower-case noun that describes a company ('drinks firm X',
    'car maker X', 'rival X'), or where people work ('analysts at X', 'an economist with X'):
    a company, whatever the model says."""
    if s == 0 or not all(_cap(t) for t in doc[s:e]) or lookup(doc[s:e].text):
        return False
    prev = doc[s - 1]
    if prev.text == "," and s >= 2 and doc[s - 2].is_lower and \
            doc[s - 2].lower_ in lx.COMPANY_NOUNS | {"venture"} and e < len(doc) and \
            doc[e].text in {",", "."}:
        return True  # "the new company, Meridian Leasing,": the noun names what it is
    if prev.lower_ in {"at", "with", "from"} and s >= 2 and (
            doc[s - 2].lower_ in lx.WORKER_NOUNS or
            (doc[s - 2].is_lower and doc[s - 2].lower_ in lx.TITLE_HEADS)):
        return True
    return prev.is_lower and prev.is_alpha and (
        prev.lower_ in lx.DESCRIPTOR_NOUNS | lx.COMPANY_NOUNS or prev.lower_.endswith("maker"))


def _sold_product(doc: Doc, s: int, e: int) -> bool:
    """'Acme, which makes Crisp Dale snacks and Sunny Bay juices', 'brands include Harvest
    Gold cereals': a name before a lower-case noun of what a company makes or sells."""
    if e >= len(doc) or institution_subtype([t.text for t in doc[s:e]]) is not None:
        return False
    noun = doc[e]
    if not (noun.is_lower and noun.pos_ == "NOUN" and doc[e - 1].head.i == noun.i) or \
            noun.lower_ in lx.INSTITUTION_HEADS or noun.lower_ in lx.COMPANY_NOUNS:
        return False
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    return noun.dep_ in {"dobj", "attr"} and noun.head.lemma_.lower() in lx.PRODUCT_VERBS


def _company_appositive(doc: Doc, s: int, e: int) -> bool:
    """'Dunmore Pay, a Kisoro-based payments startup, ...', 'Orsa, a unit of ...': a name
    whose appositive is headed by a noun of companies (the last word before a comma or a
    preposition) is a company's, whatever the model says; a noun that is also a title
    ('a partner at ...') says nothing."""
    if e + 2 >= len(doc) or doc[e].text != "," or doc[e + 1].lower_ not in {"a", "an"}:
        return False
    k = e + 2
    while k < len(doc) and k < e + 10 and doc[k].text not in {",", ".", ";", "("} and \
            doc[k].pos_ != "ADP" and doc[k].lower_ not in {"that", "which", "who", "whose"}:
        k += 1
    head = doc[k - 1].lower_ if k > e + 2 else ""
    nouns = lx.COMPANY_NOUNS | lx.DESCRIPTOR_NOUNS | {
        w for w, sub in lx.INSTITUTION_HEADS.items() if sub == "Company" and w.isalpha()}
    return (head in nouns or head.endswith("maker")) and head not in lx.TITLE_HEADS


def _named_as_title(doc: Doc, s: int, e: int) -> bool:
    """'appointed Amara Obi as group chief executive': two or three capitalised words, no
    institution's head word among them, then 'as' and a title, name a person."""
    if not 2 <= e - s <= 3 or not all(t.is_title and t.is_alpha for t in doc[s:e]):
        return False
    if institution_subtype([t.text for t in doc[s:e]]) or lookup(doc[s:e].text):
        return False
    if e + 1 >= len(doc) or doc[e].lower_ != "as":
        return False
    k = e + 1
    while k < len(doc) and doc[k].lower_ in {"its", "their", "the", "a", "an", "new", "group"}:
        k += 1
    return k < len(doc) and _is_title_word(doc[k])


def _titled_name(doc: Doc, s: int, e: int) -> bool:
    """Two or three capitalised words, no institution's head word among them, right after a
    lower-case title ('chairman, Ada Vell', 'chief executive Ada Vell'): a person's name."""
    if not 2 <= e - s <= 3 or not all(t.is_title and t.is_alpha for t in doc[s:e]):
        return False
    if institution_subtype([t.text for t in doc[s:e]]) or lookup(doc[s:e].text):
        return False
    k = s - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    return k >= 0 and doc[k].is_lower and doc[k].lower_ in lx.TITLE_HEADS


def _person_context(doc: Doc, s: int, e: int) -> bool:
    """A name is a person's where a title or an honorific stands next to it."""
    before = doc[s - 1].lower_.strip(".") if s > 0 else ""
    if before in {h.strip(".") for h in lx.HONORIFICS} or before in lx.TITLE_HEADS:
        return True
    k = e + 1 if e < len(doc) and doc[e].text == "," else e
    while k < len(doc) and doc[k].lower_ in {"a", "an", "the", "who", "is", "was"}:
        k += 1
    return k < len(doc) and k > e and (doc[k].lower_ in lx.TITLE_HEADS or
                                       doc[k].lower_ in lx.TITLE_MODIFIERS)


def find_mentions(doc: Doc) -> list[Span]:
    spans: list[Span] = []
    taken = [False] * len(doc)

    def claim(start: int, end: int, label: str) -> None:
        start, end = _trim(doc, start, end)
        for k in range(start + 1, end):
            if doc[k].text == "(" and not (k + 3 < end and doc[k + 2].text == ")"):
                end = k  # "Long Name (ACR": the bracket holds an alias
                break
        if label == "Person":
            while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                    and not doc[end].whitespace_ and doc[end + 1].is_alpha:
                end += 2  # "Kwon Ji-hoon", "Efua Mensah-Bonsu": the hyphen joins the name
        if end <= start or any(taken[start:end]):
            return
        if label != "Location" and _place_and_generic(doc[start:end]):
            for t in doc[start:end]:  # "a U.S. Firm": no name, but the place is one
                if _is_country(t.text) and not taken[t.i]:
                    taken[t.i] = True
                    spans.append(Span(doc, t.i, t.i + 1, label="Location"))
            return
        if _is_noise(doc[start:end].text):
            return
        if label == "Location" and all(t.lower_ in lx.REGION_WORDS or t.is_punct
                                       for t in doc[start:end]):
            return  # "Southeast Asia", "Europe": regions are not places of the ontology
        for k in range(start, end):
            taken[k] = True
        spans.append(Span(doc, start, end, label=label))

    # 0. Names the wire copy marked up ("<Acme Steel>") are companies.
    for a, b in doc.user_data.get(MARKED_KEY, ()):
        sp = doc.char_span(a, b, alignment_mode="expand")
        if sp is not None and len(sp) <= 12:
            claim(sp.start, sp.end,
                  f"Institution/{institution_subtype([t.text for t in sp]) or 'Company'}")

    # 1. Capitalised phrases with an institution or place head word.
    for sent in doc.sents:
        for start, end in capitalised_chunks(sent):
            if doc[start].lower_ in lx.HONORIFICS:
                continue  # "Dr. Helena Park": a person, whatever the last word
            start = _strip_title_prefix(doc, start, end)
            end = _cut_at_title(doc, start, end)
            start = _after_person(doc, start, end)
            for s, e in _split_institutions(doc, start, end):
                words = [t.text for t in doc[s:e]]
                low = [w.lower() for w in words]
                if low and low[-1] in lx.NON_INSTITUTION_TAILS:
                    continue
                if e < len(doc) and doc[e].lower_ in lx.LOWER_LOCATION_HEADS and e - s <= 3:
                    claim(s, e + 1, "Location")
                    continue
                if len(words) > 1 and low[-1] in lx.LOCATION_HEADS and not (
                        "of" in low and institution_subtype(words[:low.index("of")])):
                    claim(s, e, "Location")  # "Bureau of X Province" is the bureau
                    continue
                sub = institution_subtype(words)
                if sub is None and (s, e) != (start, end) and e - s == 1 and \
                        _is_acronym_token(doc[s]) and not lookup(doc[s].text):
                    sub = "Company"  # "ACR and Beta Energy": the acronym is the other company
                elif sub is None:
                    continue
                elif len(words) == 1 and low[0] not in lx.SINGLE_WORD_BODIES:
                    continue
                if _is_title_word(doc[s]) and not institution_subtype(words[1:]):
                    continue
                if _inside_possessive_title(doc, s):
                    continue  # "X's Director of Public Affairs": a department inside a title
                # "Name University, Springfield (ACR)": the city is part of the formal name
                if e + 3 < len(doc) and doc[e].text == "," and lookup(doc[e + 1].text) and \
                        doc[e + 2].text == "(":
                    e += 2
                claim(s, e, f"Institution/{sub}")
        # "the Tavora group": a business group named by its family name and a lower-case noun
        for start, end in capitalised_chunks(sent):
            if 1 <= end - start <= 2 and start > 0 and doc[start - 1].lower_ == "the" and \
                    end < len(doc) and doc[end].text == "group" and \
                    (end + 1 >= len(doc) or doc[end + 1].lower_ != "of") and \
                    not lookup(doc[start:end].text) and not country_of_demonym(doc[start].text) \
                    and not institution_subtype([t.text for t in doc[start:end]]):
                claim(start, end + 1, "Institution/Company")
        # "Ruritanian government": a demonym before 'government' names a government body.
        for t in sent:
            if t.lower_ == "government" and t.i > sent.start and not taken[t.i]:
                prev = doc[t.i - 1]
                if not taken[prev.i] and country_of_demonym(prev.text):
                    claim(prev.i, t.i + 1, "Institution/GovernmentBody")

    # 1b. Capitalised phrases that are known places (countries, states, cities).
    for sent in doc.sents:
        for start, end in _place_lists(doc, capitalised_chunks(sent)):
            s, e = _trim(doc, start, end)
            place = lookup(doc[s:e].text) if 0 < e - s <= 4 else None
            if 0 < e - s <= 4 and _dateline_place(doc, s, e):
                claim(s, e, "Location")
                continue
            if place is not None and (_facility_context(doc, s, e) or _based_cue(doc, e)):
                # "Acme's Springfield plant", "Bergen-headquartered", whatever the model says
                claim(s, e, "Location")
                continue
            if place is None or "ORG" in {t.ent_type_ for t in doc[s:e]}:
                continue
            if "PERSON" in {t.ent_type_ for t in doc[s:e]} and not (
                    place[1] == "city" and _listed_place(doc, s)):
                continue  # a person who shares a town's name, but "in Tarnow and Kielce"
            if place[1] in {"country", "state"} or doc[s].ent_type_ in {"GPE", "LOC"} or \
                    _located_context(doc, s, e):
                claim(s, e, "Location")

    # 2. Names after honorifics and titles ("Prof. Kim Lee", "CEO Ada Moss"), and hyphenated
    # given names next to a title ("Soon-hee Park, a spokeswoman for ...").
    for s, e in _hyphenated_given_names(doc):
        if _person_context(doc, s, e) or any(t.ent_type_ == "PERSON" for t in doc[s:e]):
            claim(s, e, "Person")
    for t in doc:
        if t.lower_ in lx.HONORIFICS or (t.lower_ in lx.TITLE_HEADS and t.text[:1].isupper()) \
                or t.lower_ in lx.ACRONYM_TITLES:
            k = t.i + 1
            while k < len(doc) and doc[k].lower_ in lx.HONORIFICS | {"."}:
                k += 1
            e = k
            while e < len(doc) and e - k < 5 and _cap(doc[e]) and not doc[e].is_punct \
                    and (doc[e].lower_ not in lx.INSTITUTION_HEADS or doc[e].ent_type_ == "PERSON") \
                    and not _is_title_word(doc[e]) and doc[e].ent_type_ not in {"GPE", "ORG"}:
                e += 1
                while e < len(doc) and doc[e].text.endswith(".") and len(doc[e].text) <= 3 \
                        and doc[e].text[0].isupper():
                    e += 1  # middle initials, "Jr."
            if e - k >= 2 or (e - k == 1 and doc[k].ent_type_ == "PERSON"):
                claim(k, e, "Person")

    # 3. The statistical entities, corrected.
    full_name_words = {t.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
                       for t in ent}
    for ent in doc.ents:
        s, e = _trim(doc, ent.start, ent.end)
        if e <= s:
            continue
        text = doc[s:e].text
        label = ent.label_
        place = lookup(text)
        if label in {"PERSON", "GPE", "LOC"} and not place and e - s > 1 and \
                doc[e - 1].lower_.strip(".") in lx.NAME_TAILS:
            claim(s, e, "Institution/Company")  # "Qinghe AI": no person or place ends so
            continue
        # the gazetteer corrects the model only for countries and states: a person or a
        # company that shares a town's name stays what the model says it is
        if label in {"GPE", "LOC"} or (place and (place[1] in {"country", "state"} or text.isupper())
                                        and label in {"ORG", "FAC", "PERSON"}):
            if not place and (_product_name(doc, s, e) or _sold_product(doc, s, e)):
                continue  # "its Wren handsets": the model took a product for a place
            if place or (label in {"GPE", "LOC"} and not any(c.isdigit() for c in text)):
                claim(s, e, "Location")  # "K-12" is a school grade, not a place
            continue
        if not any(t.text[:1].isupper() for t in doc[s:e]):
            continue  # names are capitalised; "healthcare" tagged ORG is a topic
        if not place and _sold_product(doc, s, e):
            continue  # "which makes Crisp Dale snacks": a brand, not a name of the story
        if label in {"PERSON", "ORG"} and (_described_company(doc, s, e) or (
                label == "PERSON" and _company_appositive(doc, s, e))):
            # "Thai drinks firm Siam Kanok", "rival Omnicar": the noun before says what it is
            claim(s, e, f"Institution/{institution_subtype([t.text for t in doc[s:e]]) or 'Company'}")
            continue
        if label == "PERSON":
            if all(t.lower_ in lx.HONORIFICS or t.is_punct for t in doc[s:e]):
                continue  # "Assoc. Prof." alone names nobody
            if e - s > 1 and doc[e - 1].lower_ in lx.MEDIA_HEADS:
                label = "ORG"  # "Kelby Radio": no person's name ends so; read as an outlet below
        if label == "PERSON":
            if e - s == 1 and not (s > 0 and doc[s - 1].lower_.strip(".") in lx.HONORIFICS
                                   | {h.strip(".") for h in lx.HONORIFICS}) and \
                    doc[s].text not in full_name_words:
                continue  # a lone word the model calls a person is most often a brand
            if institution_subtype([t.text for t in doc[s:e]]):
                claim(s, e, f"Institution/{institution_subtype([t.text for t in doc[s:e]])}")
            else:
                claim(s, e, "Person")
        elif label == "ORG":
            if e - s >= 2 and _is_acronym_token(doc[s]) and doc[s + 1].is_title and \
                    doc[s + 1].lower_ in lx.TITLE_HEADS:
                # "XU Rector Ana Ruiz" read as one organisation: the acronym, a title, a name
                claim(s, s + 1, "Institution/Company")
                k = s + 2
                while k < e and doc[k].lower_ in lx.HONORIFICS | {"."}:
                    k += 1
                if e - k >= 2:
                    claim(k, e, "Person")
                continue
            if _titled_name(doc, s, e) or _named_as_title(doc, s, e):
                claim(s, e, "Person")  # "its chairman, Felix Obi,": a person the model missed
                continue
            cut = _of_place_split(doc, s, e)
            if cut is not None:
                claim(s, cut, f"Institution/{institution_subtype([t.text for t in doc[s:cut]]) or 'Company'}")
                claim(cut + 2 if doc[cut + 1].lower_ == "the" else cut + 1, e, "Location")
                continue
            words = [t.text for t in doc[s:e]]
            if words[-1].lower() in lx.NON_INSTITUTION_TAILS or _product_name(doc, s, e):
                continue
            if _inside_possessive_title(doc, s):
                continue  # "X's Vice President of Global Affairs": a department in a title
            if _cited_outlet(doc, s, e) or s > 0 and doc[s - 1].lower_ in lx.SOURCE_CUES or \
                    (s > 1 and doc[s - 1].lower_ == "the" and doc[s - 2].lower_ in lx.SOURCE_CUES):
                continue  # a news outlet cited as a source
            claim(s, e, f"Institution/{institution_subtype(words) or 'Company'}")

    # 4. A name the document uses once is that name wherever it recurs ("Acme signed ...",
    # where the model tagged "Acme" only elsewhere).
    names: dict[tuple[str, ...], str] = {}
    for sp in spans:
        if sp.label_.startswith("Institution/") or sp.label_ == "Person":
            names.setdefault(tuple(t.text for t in sp), sp.label_)
    at: dict[str, list[int]] = {}
    for t in doc:
        at.setdefault(t.text, []).append(t.i)
    for name, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
        n = len(name)
        if not name[0][:1].isupper():
            continue
        for k in at.get(name[0], ()):
            if k + n <= len(doc) and not any(taken[k:k + n]) and \
                    tuple(t.text for t in doc[k:k + n]) == name:
                claim(k, k + n, label)
    spans.sort(key=lambda sp: sp.start)
    return _one_type_per_name(doc, spans)


def _one_type_per_name(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name the document uses for an institution is that institution wherever it appears:
    a mention tagged as a person or as a place that is no known place, and that equals an
    institution's name or begins it ("Orbitron" of "Orbitron AI"), takes its label."""
    inst = {sp.text.lower(): sp.label_ for sp in spans if sp.label_.startswith("Institution/")}
    out = []
    for sp in spans:
        place = lookup(sp.text)
        if sp.label_ in {"Location", "Person"} and (not place or (
                place[1] == "city" and sp[0].ent_type_ not in {"GPE", "LOC"})):
            low = sp.text.lower()
            label = inst.get(low) or next((lab for name, lab in sorted(inst.items())
                                           if name.startswith(low + " ")), None)
            if label:
                sp = Span(doc, sp.start, sp.end, label=label)
        out.append(sp)
    return out


@Language.factory("kg_mentions")
def make_kg_mentions(nlp: Language, name: str) -> KgMentions:
    return KgMentions()


class KgMentions:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = find_mentions(doc)
        return doc
