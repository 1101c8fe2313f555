"""Lexical cues of English news about cooperation: words, not names. Kept apart from the
component code so rules read as data (the way spaCy keeps language data in spacy/lang)."""

import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS as _STOP

from ontology.vocab import KGO, ontology_graph, vocabulary


def _bare(word: str) -> str:
    """A word without its diacritics ("clínica" -> "clinica"): names are often written both
    ways in English copy."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _ontology_words(prop: str) -> dict[str, str]:
    """Words the ontology gives its institution subtypes under `prop` (kgo:nameHead,
    kgo:legalForm, kgo:legalFormPrefix): word as written -> the subtype's JSONL name."""
    g = ontology_graph()
    out: dict[str, str] = {}
    for cls, word in g.subject_objects(KGO[prop]):
        sub = str(g.value(cls, KGO.jsonlName))
        out[str(word)] = sub
    return out


FOREIGN_HEADS = {v: sub for w, sub in _ontology_words("nameHead").items()
                  for v in {w.lower(), _bare(w.lower())}}
_FOREIGN_FORMS = {v for w in _ontology_words("legalForm")
                  for v in {w.lower(), _bare(w.lower()), w.lower().strip("."),
                            _bare(w.lower()).strip(".")}}
# Upper-case legal forms written before a company's name ("PT Awan Biru"), as written.
LEGAL_FORM_PREFIXES = set(_ontology_words("legalFormPrefix"))

# Legal forms that close a company's name ("Acme Holdings AG", "Beta Ltd", "Gamma SpA").
LEGAL_FORMS = {"corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc",
               "jsc", "co", "ag", "sa", "spa", "nv", "bv", "gmbh", "bhd", "ab", "oy", "oyj",
               "kk", "pty", "srl", "sarl", "ltda", "asa", "se", "pte", "tbk", "lp", "llp",
               "s.a.", "n.v.", "b.v.", "s.p.a.", "a.g.", "cie", "sae", "sas", "pjsc", "ojsc",
               "plc.", "inc.", "corp.", "ltd.", "co.", "kgaa", "as", "a/s", "aps", "sdn",
               "nl", "ohg", "sc", "cv", "de cv", "ca", "s.a", "sab", "sl", "sp", "hf"} | _FOREIGN_FORMS
# Head words that make a capitalised phrase an institution, with the subtype they suggest.
INSTITUTION_HEADS: dict[str, str] = {
    **dict.fromkeys(LEGAL_FORMS - {"as", "se", "sc", "ca", "sp", "nl", "cv", "de cv"}, "Company"),
    **dict.fromkeys(
        ["university", "universities", "academy", "college", "school", "polytechnic"],
        "University"),
    **dict.fromkeys(
        ["institute", "lab", "laboratory", "laboratories", "labs", "observatory",
         "centre", "center"], "ResearchInstitute"),
    **dict.fromkeys(
        ["ministry", "department", "embassy", "consulate", "council", "government", "agency",
         "committee", "commission", "authority", "politburo", "secretariat", "parliament",
         "congress", "senate", "cabinet", "assembly", "administration", "bureau", "directorate",
         "police", "army", "court", "office", "municipality"], "GovernmentBody"),
    **dict.fromkeys(
        ["corporation", "corp", "company", "group", "inc", "ltd", "llc", "plc", "jsc", "co",
         "bank", "holdings", "technologies", "airlines", "telecom", "enterprises",
         "systems", "solutions", "motors", "electronics", "industries", "bancorp", "airways",
         "petroleum", "steel", "chemicals", "pharmaceuticals", "securities", "brewery",
         "breweries", "trucks", "automobiles", "works", "werke", "enterprise", "partners",
         "capital", "investments", "insurance", "energy", "mining", "resources",
         "communications", "telecommunications", "networks", "electric", "instruments",
         "semiconductor", "aerospace", "shipping", "lines", "railways", "foods", "mills",
         "laboratories", "pharma", "exchange", "fund", "trust"], "Company"),
    **dict.fromkeys(
        ["park", "network", "association", "foundation", "federation", "union", "alliance",
         "club", "society", "organization", "organisation", "hospital", "forum", "chamber",
         "consortium", "hub", "incubator", "clinic", "clinics", "cooperative"], "Other"),
    **FOREIGN_HEADS,
}
# Generic tails a company name is often cited without ("Delta Group" -> "Delta").
NAME_TAILS = {w for w, sub in INSTITUTION_HEADS.items() if sub == "Company"} | {
    "ai", "tech", "technology", "labs", "international", "global", "digital"}
# A head that may stand alone as a whole name ("the Politburo said").
SINGLE_WORD_BODIES = {"politburo", "secretariat", "parliament", "congress", "senate", "cabinet"}
# Multi-word subtype refinements: the last matching cue wins over the head.
SUBTYPE_HINTS: dict[str, str] = {
    "alumni": "Other", "innovation park": "Other", "science park": "Other",
    "technology park": "Other", "research": "ResearchInstitute", "joint stock": "Company",
    "general assembly": "Other", "united nations": "Other",
}
# Heads of institutions whose name conventionally continues with "in <Place>".
NAME_CONTINUES_WITH_PLACE = {"embassy", "consulate"}
# Heads that make a capitalised phrase a place rather than an institution.
LOCATION_HEADS = {"town", "city", "province", "district", "village", "county", "state",
                  "region", "campus", "ward", "commune"}
LOWER_LOCATION_HEADS = {"province", "city", "district", "county", "commune"}

# Connectors allowed inside a capitalised name (English and the Romance and Germanic
# particles of company names).
NAME_CONNECTORS = {"of", "for", "and", "&", "de", "on", "in", "la", "du", "des", "und", "pour",
                   "del", "della", "di", "da", "do", "dos", "das", "van", "von", "der", "den",
                   "et", "y", "le", "les"}
# Heads whose names conventionally continue with "of PLACE" ("Bank of X", "University of X").
OF_TAKING_HEADS = {"bank", "university", "institute", "academy", "ministry", "department",
                   "college", "school", "council", "government", "chamber", "association",
                   "federation", "union", "society", "commission", "bureau", "office", "agency",
                   "authority", "museum", "hospital", "church", "republic", "state", "states",
                   "province", "city", "kingdom", "embassy", "consulate", "court", "port",
                   "exchange", "board", "service", "party", "congress", "assembly", "center",
                   "centre", "fund", "foundation", "trust"}
# Common nouns that news copy capitalises after a place ("a U.S. Firm"): with a place or a
# nationality they make no name.
GENERIC_NAME_WORDS = {"firm", "firms", "company", "companies", "subsidiary", "subsidiaries",
                      "unit", "units", "dealer", "dealers", "institutions", "institution",
                      "financial", "truck", "trucks", "plant", "plants", "group", "groups",
                      "securities", "market", "markets", "industry", "industries", "officials",
                      "bank", "banks", "stock", "trade", "investors", "sources",
                      "partner", "partners", "venture", "ventures", "concern", "concerns",
                      "maker", "makers", "producer", "producers", "operations", "business",
                      "businesses", "interests", "authorities", "affiliate",
                      "side", "team", "brewer", "carrier", "airline", "insurer", "joint", "new",
                      "major", "big", "top"}
# Countries whose conventional English name takes the article ("the United States").
ARTICLE_COUNTRY_WORDS = {"united", "union", "republic", "kingdom", "states", "emirates",
                         "netherlands", "bahamas", "gambia", "maldives", "islands"}

# Common nouns that describe a company before its name; capitalised only at a sentence's start
# ("Carmaker Jorvik", "Retailer Pellmart"), they are no part of the name (nor is any "-maker").
DESCRIPTOR_NOUNS = {"rival", "retailer", "insurer", "lender", "brewer", "carrier", "airline",
                    "firm", "conglomerate", "giant", "operator", "supermarket", "distributor",
                    "broker", "publisher", "developer", "manufacturer", "chipmaker", "miner",
                    "utility", "telecoms", "broadcaster", "supplier", "exporter",
                    "importer", "producer", "refiner", "shipbuilder", "automaker", "engineer"}
# Nouns that say a name after them is a company's ("drinks firm Siam Kanok", "rival Omnicar").
COMPANY_NOUNS = {"firm", "company", "group", "concern", "maker", "bank", "rival", "unit",
                 "subsidiary", "conglomerate", "chain", "start-up", "startup", "airline",
                 "carrier", "partner", "competitor"}
# People who work at a company, before "at X" ("analysts at X").
WORKER_NOUNS = {"analysts", "economists", "strategists", "officials", "executives", "bankers",
                "traders", "engineers", "researchers", "scientists", "staff", "workers",
                "employees", "dealers", "brokers", "managers"}
# Verbs of what a company makes or sells ("Acme makes Crisp Dale snacks").
PRODUCT_VERBS = {"make", "sell", "produce", "include", "launch", "market", "manufacture",
                 "brew", "build", "own", "distribute"}
# Words that open a capitalised phrase without belonging to the name ("Former Acme chairman").
NAME_PREFIX_WORDS = {"former", "then", "ex", "outgoing", "incoming"}

# Honorifics before a person's name; they are not titles.
HONORIFICS = {"prof", "prof.", "dr", "dr.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "assoc",
              "assoc.", "professor", "sir", "madam", "mdm", "mdm.", "h.e.", "hon", "hon.",
              "phd", "ph.d.", "associate", "msc", "eng", "eng.", "engr", "engr.", "ir", "ir.",
              "atty", "atty."}

# Title words. A title is: modifiers* head ("of"/"for" complement)?
TITLE_HEADS = {
    "president", "director", "ceo", "cto", "cfo", "coo", "chairman", "chairwoman",
    "chairperson", "chair", "secretary", "undersecretary", "minister", "ambassador", "rector",
    "dean", "head", "chief", "founder", "co-founder", "cofounder", "member", "manager",
    "governor", "mayor", "premier", "executive", "principal", "provost", "chancellor",
    "officer", "spokesperson", "spokesman", "spokeswoman", "leader", "lead", "partner",
    "representative", "envoy", "consul", "commissioner", "administrator", "editor",
    "general", "treasurer", "trustee", "professor", "researcher", "scientist", "engineer",
    "economist", "analyst", "strategist", "adviser", "advisor", "counsel", "attorney",
    "lawyer", "negotiator", "coordinator", "supervisor", "superintendent", "controller",
    "comptroller", "auditor", "inspector", "registrar", "curator", "president-elect", "boss",
}
# Titles of public office: held in a government or its bodies, never in a company nearby
# ("Trade commissioner NAME said ... Acme" does not make NAME Acme's commissioner).
PUBLIC_OFFICE_TITLES = {"minister", "premier", "commissioner", "ambassador", "governor", "mayor",
                        "envoy", "consul", "senator", "congressman", "congresswoman",
                        "undersecretary", "attache"}
COPULAS = {"is", "was", "remains", "became", "becomes"}
# Verbs that give a person a title ("Acme appointed NAME chief executive").
APPOINTING_VERBS = {"appoint", "name", "elect", "make", "promote", "nominate", "hire", "choose"}
# Verbs of taking or holding a post, read with their "as TITLE" ("serve as", "joined X as").
SERVING_VERBS = {"serve", "act", "join", "rejoin", "remain", "stay", "continue"}
# Verbs of leading ("NAME, who heads ORG") and the title they make.
LEADING_VERBS = {"head": "Head", "lead": "Leader", "chair": "Chair", "run": "Head",
                 "direct": "Director", "manage": "Manager", "found": "Founder",
                 "co-found": "Co-founder"}
TITLE_MODIFIERS = {
    "vice", "deputy", "honorary", "senior", "executive", "general", "acting", "permanent",
    "assistant", "associate", "managing", "chief", "co", "founding", "former", "first",
    "prime", "state", "party", "standing", "technical", "operating", "financial", "country",
    "regional", "national", "global", "interim", "under",
}
# Titles that need no complement to be meaningful after an organisation name.
ACRONYM_TITLES = {"ceo", "cto", "cfo", "coo"}

# Words that refer back to an agreement already met.
AGREEMENT_REFERENCES = {"cooperation", "collaboration", "partnership", "agreement", "mou",
                        "deal", "memorandum", "pact", "accord", "affiliation"}
# Verbs that say what an agreement covers; "It covers ..." right after an agreement is its.
SCOPE_VERBS = {"cover", "include", "focus", "involve", "span", "target", "concern", "centre",
               "center", "encompass", "envisage", "envision", "provide"}
# Nouns of cooperation that, bare, open a sentence about the agreement just reported
# ("Cooperation will cover energy and transport").
BARE_COOPERATION_NOUNS = {"cooperation", "co-operation", "collaboration"}
ESTABLISH_WORDS = {"establish", "establishment", "set", "setting", "launch", "launching",
                   "create", "creation", "found", "founding", "open", "opening", "build",
                   "inaugurate", "inauguration"}

# What may stand between a name and its place ("Acme, based in X", "Acme in X", "X, Y").
LOCATED_GAPS = [[], ["in"], ["at"], ["located", "in"], ["based", "in"], ["headquartered", "in"],
                ["is", "based", "in"], ["is", "located", "in"], ["is", "headquartered", "in"],
                ["was", "founded", "in"], ["which", "is", "based", "in"],
                ["which", "is", "headquartered", "in"], ["which", "has", "its", "headquarters", "in"],
                ["with", "headquarters", "in"], ["whose", "headquarters", "are", "in"]]
# Continents, regions and compass words: a place named only by them is a region (spec: not an
# entity).
REGION_WORDS = {"asia", "europe", "africa", "america", "americas", "oceania", "antarctica",
                "arctic", "caribbean", "middle", "east", "west", "north", "south", "northern",
                "southern", "eastern", "western", "central", "southeast", "southwest",
                "northeast", "northwest", "far", "near", "pacific", "atlantic", "mediterranean",
                "gulf", "latin", "sub-saharan", "balkans", "scandinavia", "nordic", "baltic",
                "eurasia", "levant", "maghreb", "sahel", "indochina"}
COMPASS_ADJECTIVES = {"northern", "southern", "eastern", "western", "central", "northeastern",
                      "northwestern", "southeastern", "southwestern", "north", "south", "east",
                      "west"}
# Dashes that end a dateline ("LYON, June 2 - ...", "LIMA, Peru — ...").
DATELINE_DASHES = {"—", "–", "-", "--"}
LOCATIVE_PREPOSITIONS = {"in", "at", "from", "near", "outside", "inside", "across", "throughout"}
# Phrases that tie a place to an institution.
LOCATED_CUES = {"based", "headquartered", "located", "situated"}
# Adjectives of a field -> a label of the sector scheme, read only when they modify a noun of
# cooperation ("industrial joint ventures"); alone they are too loose ("industrial waste").
SECTOR_ADJECTIVES = {"industrial": "industry"}
COOPERATION_HEADS = {"venture", "ventures", "cooperation", "co-operation", "collaboration",
                     "partnership", "partnerships", "alliance", "agreement", "accord", "pact",
                     "deal", "zone", "zones", "park", "parks", "project", "projects"}
# Field nouns of the sector scheme that a modifier narrows to another field ("the car
# industry" is not industry at large).
GENERIC_FIELD_NOUNS = {"industry", "industries"}
# Relations of belonging.
PART_OF_NOUNS = {"unit", "subsidiary", "member", "arm", "branch", "division",
                 "department", "faculty", "campus", "subunit", "subsidiaries", "units"}
# Nouns for the members of a business group ("other companies in the Acme group").
GROUP_MEMBER_NOUNS = {"companies", "members", "firms", "units", "subsidiaries", "affiliates",
                      "businesses"}
# Nouns for the owner of a unit ("X, the parent company of Y").
PARENT_NOUNS = {"parent"}
# Unit nouns whose unit's name may follow in apposition ("another Acme subsidiary, Beta AG").
NAMED_UNIT_NOUNS = {"unit", "subsidiary", "arm", "division"}
# Adverbs of working together ("A is jointly exploring with B").
JOINTLY_WORDS = {"jointly", "together"}
PARTNER_NOUNS = {"partner", "partners", "partnership", "collaborator", "collaborators",
                 "ally", "allies"}

# Never entities: topics, technologies, document types, generic words often capitalised.
NOISE_WORDS = {
    "ai", "agi", "llm", "llms", "iot", "ict", "5g", "6g", "4g", "it", "mou", "mous", "r&d",
    "big data", "cloud", "blockchain", "fintech", "covid-19", "covid", "sars-cov-2",
    "gdp", "fdi", "esg", "stem", "api", "apis", "gpu", "gpus", "cpu", "data", "lng", "hr",
    "the government", "government", "state", "ministry", "university", "company", "group",
    "academy", "institute", "department", "resolution", "law", "decree", "decision",
    "internet", "smart", "digital", "national", "international", "global", "artificial intelligence",
    "machine learning", "deep learning", "sci-tech", "industry", "energy", "the institutions",
}
# Words after which a capitalised name is a product, law or event, not an institution.
NON_INSTITUTION_TAILS = {"law", "act", "decree", "resolution", "model", "models", "platform",
                         "app", "search", "summit", "conference", "forum", "expo", "week",
                         "day", "award", "awards", "program", "programme", "project",
                         "strategy", "initiative", "report", "index", "prize", "festival",
                         "fair", "series", "os", "system", "cloud", "assistant", "chatbot",
                         "chip", "processor", "framework", "declaration", "plan", "agenda",
                         "vision", "standard", "protocol", "treaty", "convention", "games"}
# Nouns of things a company sells: a bare name between a determiner and one of them is the
# product or the brand ("its Wren handsets", "the Ferro and Astra brands").
PRODUCT_NOUNS = {"brand", "brands", "label", "labels", "handset", "handsets", "phone", "phones",
                 "smartphone", "smartphones", "tablet", "tablets", "laptop", "laptops",
                 "computer", "computers", "console", "consoles", "browser", "software",
                 "apps", "device", "devices", "gadget", "gadgets", "lager", "beer", "beers",
                 "ale", "whisky", "vodka", "cigarettes", "car", "cars", "vehicle", "vehicles",
                 "jet", "jets", "airliner", "airliners", "aircraft", "engine", "engines", "drug",
                 "drugs", "vaccine", "pill", "chips", "processors", "range", "line",
                 "operating", "handheld", "camera", "cameras", "television", "televisions",
                 "magazine", "newspaper", "channel", "show", "film", "movie", "game", "album"}
# Nouns of market indices ("the Orbis 100 index", "the Kestrel average").
INDEX_NOUNS = {"index", "indices", "indexes", "average"}
INDEX_MODIFIERS = {"industrial", "composite", "share", "stock", "all-share", "benchmark"}
# Last words of newspaper names ("the Freedonia Daily said").
# Last words of broadcasters' and publishers' names, never of a person's.
MEDIA_HEADS = {"television", "tv", "radio", "newspaper", "magazine"}
OUTLET_HEADS = {"television", "tv", "radio", "newspaper", "magazine",
                "daily", "times", "post", "herald", "journal", "gazette", "tribune", "telegraph",
                "chronicle", "observer", "courier", "express", "mirror", "inquirer"}
# Facility nouns after "Acme's" and a place ("Acme's Springfield plant").
FACILITY_NOUNS = {"plant", "plants", "factory", "factories", "refinery", "mill", "works",
                  "site", "facility", "facilities", "headquarters", "office", "offices"}
# Verbs that introduce a news outlet or agency cited as a source.
SOURCE_CUES = {"reports", "reported", "reporting", "according", "told", "quoted", "via",
               "cited", "citing", "writes", "wrote"}

# Words an all-capitals headline writes that are not names: lower-cased when recasing it.

HEADLINE_VERBS = {"sign", "signs", "signed", "form", "forms", "formed", "set", "sets", "plan",
                  "plans", "agree", "agrees", "agreed", "in", "to", "talks", "unit", "units",
                  "pact", "pacts", "deal", "deals", "venture", "ventures", "joint", "accord",
                  "agreement", "agreements", "study", "studies", "seeks", "see", "sees", "buy",
                  "buys", "sell", "sells", "market", "markets", "link", "links", "team", "teams",
                  "up", "join", "joins", "partner", "partners", "partnership", "alliance",
                  "extends", "extend", "launch", "launches", "open", "opens", "ties", "tie",
                  "stake", "firm", "firms", "oil", "bank", "banks", "trade", "talk", "start",
                  "starts", "working", "with", "for", "and", "of", "on", "new", "mln", "bln",
                  "dlrs", "pct", "says", "said"}
LOWERCASE_WORDS = set(_STOP) | HEADLINE_VERBS
# Words that continue a sentence and never begin one: written with a capital after "U.S." or
# "U.K." in wire copy, they are lower-cased again.
NEVER_SENTENCE_START = {"and", "or", "nor", "of", "to", "than", "based"}

# ---------------------------------------------------------------------------------------------
# Agreements as events. Trigger nouns (matched on the lower-cased words, plurals included) with
# the agreement kind they signal; the syntactic head of the phrase is the event's anchor. The
# words, verbs and modifiers of each kind are the ontology's (kgo:agreementKinds in kg.ttl).
_KINDS = vocabulary().agreement_kinds.values()
TRIGGER_NOUNS: dict[str, str] = {w.lower(): k.notation for k in _KINDS for w in k.words}
# Verbs whose agent ("signed by A and B") names the parties.
SIGNING_LEMMAS = {"sign", "ink", "conclude", "seal", "initial", "reach", "strike"}
# Verbs that make a cooperation event without an agreement noun ("A and B will cooperate").
TRIGGER_VERBS: dict[str, str] = {v: k.notation for k in _KINDS for v in k.verbs if " " not in v}
# Two-word verbs of the same kind: lemma + particle/object.
TRIGGER_PHRASAL: dict[tuple[str, str], str] = {
    (v.split()[0], v.split()[1]): k.notation for k in _KINDS for v in k.verbs if " " in v}
# Modifiers of a trigger noun that change its kind ("joint venture agreement" -> partnership).
KIND_MODIFIERS: dict[str, str] = {m: k.notation for k in _KINDS for m in k.modifiers}
# Nouns whose only reading is the trigger's ("trade deal" is a deal between governments).
TRIGGER_ONLY_WITH_COOPERATION = {"deal", "deals", "agreement", "agreements", "accord", "pact",
                                 "protocol", "protocols"}
# Words that make a deal or an agreement a transaction rather than cooperation (spec: not
# acquisitions, mergers, stakes, supply or service contracts, loans).
TRANSACTION_WORDS = {"acquire", "acquisition", "buy", "purchase", "takeover", "merger", "merge",
                     "stake", "sell", "sale", "loan", "credit", "supply", "lease", "debt",
                     "bid", "tender", "buyout", "shares", "settlement", "settle",
                     "lawsuit", "swap", "rescheduling", "reschedule", "refinancing", "wage",
                     "contract", "order", "standstill", "ceasefire", "truce"}
COOPERATION_WORDS = {"cooperation", "co-operation", "collaboration", "joint", "partnership",
                     "strategic", "alliance", "trade", "economic", "technical", "technology",
                     "research", "framework", "venture", "cooperative", "development"}
# Status cues, checked on the event's verb chain (the trigger's governing verbs and their aux).
PROPOSED_LEMMAS = {"propose", "negotiate", "discuss", "consider", "talk", "explore", "study",
                   "examine", "weigh", "mull", "seek", "suggest", "offer", "negotiation",
                   "talks", "possibility", "possible", "potential", "proposal", "feasibility",
                   "evaluate", "review", "invite", "urge", "call"}
PLANNED_LEMMAS = {"plan", "intend", "expect", "aim", "hope", "prepare", "want", "agree",
                  "schedule", "decide", "likely", "poised", "due", "slate", "slated",
                  "will", "would", "shall", "could",
                  "may", "might", "going", "upcoming", "future", "soon", "plans", "planned",
                  "prospective"}
SIGNED_LEMMAS = {"sign", "ink", "seal", "conclude", "finalize", "finalise", "ratify", "reach",
                 "form", "establish", "set", "launch", "create", "found", "complete",
                 "enter", "strike", "announce", "forge", "have", "start", "begin", "extend",
                 "renew", "implement", "approve", "agree"}
NEGATING_LEMMAS = {"deny", "refuse", "decline", "reject", "cancel", "fail", "scrap", "abandon",
                   "terminate", "end", "dissolve", "break", "collapse", "quit", "withdraw",
                   "call off", "rule", "halt", "suspend", "oppose"}
# Participles after a trigger noun whose object names parties ("a venture involving Beta").
INVOLVING_LEMMAS = {"involve", "include", "comprise", "group"}
INVOLVING_WORDS = {"involving", "including"}
# Verbs whose subject is an agreement and whose object its members ("the alliance brings
# together A and B", "the consortium includes A, B and C").
MEMBER_VERBS = {"bring", "unite", "include", "comprise", "involve", "group", "gather", "link"}
BETWEEN_PREPOSITIONS = {"between", "among", "amongst"}
BARE_VENTURE_NOUNS = {"venture", "ventures"}  # a venture is a joint one only by its context
JOINT_WORDS = {"joint"}
TALKS_NOUNS = {"talks", "negotiations", "discussions", "proposal"}  # "in talks on a venture"
HEADLINE_PREPOSITIONS = {"in", "into"}  # "A, B IN JOINT VENTURE"
NEW_BODY_MODIFIERS = {"new", "joint"}  # "the new company" refers to what was set up
COLLECTIVE_PRONOUNS = {"they", "both"}
# Prepositions that introduce the other parties of an event.
MAX_PATTERN_SENTENCE = 300  # tokens: longer runs are not sentences of news
DENYING_LEMMAS = {"deny", "dismiss", "refute", "rule"}  # "denied reports that ..."
PARTY_PREPOSITIONS = {"with", "between", "among", "amongst"}
AGENT_PREPOSITIONS = {"by"}
# Nouns that name the parties of the latest agreement collectively.
COLLECTIVE_PARTY_NOUNS = {"companies", "sides", "parties", "banks", "firms", "groups",
                          "governments", "countries", "nations", "institutions",
                          "organisations", "organizations", "partners", "universities",
                          "concerns", "carriers", "airlines", "makers", "automakers",
                          "producers", "manufacturers", "utilities"}
# Collective nouns whose members are countries: their governments are the parties.
COUNTRY_COLLECTIVE_NOUNS = {"governments", "countries", "nations"}
COLLECTIVE_DETERMINERS = {"two", "both", "three", "four", "the"}
# Verbs that name what an agreement creates, and nouns that introduce its name.
ESTABLISH_LEMMAS = {"establish", "set", "form", "create", "found", "launch", "open", "build",
                    "inaugurate", "start", "incorporate", "register", "call", "name"}
NAMING_WORDS = {"called", "named", "dubbed", "christened"}
# Nouns for the body an agreement creates ("the new company called X").
NEW_BODY_NOUNS = {"company", "firm", "venture", "entity", "subsidiary", "corporation", "bank",
                  "lab", "laboratory", "centre", "center", "institute", "holding", "group"}
# Generic nouns that refer back to an institution already named ("the company said").
DEFINITE_INSTITUTION_NOUNS = {"company", "firm", "group", "bank", "concern", "corporation",
                              "university", "academy", "institute", "ministry", "government",
                              "agency", "carrier", "airline", "maker", "producer", "unit",
                              "subsidiary", "utility", "insurer", "brewer", "automaker",
                              "manufacturer", "partner", "operator", "developer"}
SHARE_NOUNS = {"pct", "percent", "per", "%", "stake", "share"}
LIST_JOINERS = {",", "and", "&", "the", "both", "its", "their"}
SEPARATELY_WORDS = {"separately", "respectively", "individually", "separate"}
# "is set to sign", "is due to sign": a frame of plans around an infinitive.
PLANNING_FRAMES = {"set", "poised", "due", "about", "slated", "scheduled"}
MODAL_WORDS = {"will", "would", "shall", "could", "may", "might", "'ll", "wo"}
REFERRING_DETERMINERS = {"the", "this", "that", "these", "their", "our", "its", "such"}
# Verbs of those who watch an agreement rather than make it ("the ministry approved the deal").
OBSERVER_VERBS = {"approve", "welcome", "praise", "endorse", "back", "support", "oppose",
                  "criticize", "criticise", "allow", "authorize", "authorise", "clear", "block",
                  "reject", "review", "investigate", "examine", "hail", "witness", "attend"}
# Nouns for those who make an agreement ("other parties to the accord are ...").
PARTY_NOUNS = {"parties", "signatories", "members", "partners", "participants", "party",
               "signatory", "member", "partner", "participant"}
REPORTING_LEMMAS = {"say", "announce", "add", "report", "state", "disclose", "tell", "confirm",
                    "reveal", "note", "explain", "indicate", "declare", "claim"}
REPORTED_PRONOUNS = {"it", "they", "we"}
PRONOUN_SUBJECTS = {"it", "its", "they", "their", "we", "our", "he", "she", "his", "her"}

# Purpose verbs of an agreement that name its field by what it does ("a venture to make
# trucks"): verb lemma -> a label of the sector scheme.
PURPOSE_VERB_SECTORS = {"make": "manufacturing", "produce": "manufacturing",
                        "manufacture": "manufacturing", "assemble": "manufacturing",
                        "fabricate": "manufacturing", "drill": "oil and gas",
                        "refine": "oil and gas", "teach": "education", "train": "training"}
# Objects of a light purpose verb that are no product ("to make payments easier").
ABSTRACT_OBJECTS = {"payment", "payments", "it", "them", "this", "that", "sense", "progress",
                    "use", "way", "room", "decision", "decisions", "effort", "efforts", "move",
                    "changes", "change", "investment", "investments", "deal", "deals", "money",
                    "profit", "profits", "sure", "possible", "easier", "available"}
