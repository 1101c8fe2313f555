"""One invented sentence per construction of the language, through the real model: what the
extractor must read, named by the rule that reads it."""

from __future__ import annotations

import pytest

from loaders.pipeline import extract_texts


def read(text: str) -> tuple[dict[str, dict], list[tuple[str, str, str, str | None, str | None]]]:
    (rec,) = list(extract_texts([("s", text)]))
    data = rec.to_json()
    ents = {e["id"]: e for e in data["entities"]}
    rels = [(ents[r["subject"]]["name"], r["predicate"], ents[r["object"]]["name"],
             r.get("title"), r.get("rule")) for r in data["relations"]]
    return ents, rels


def agreements(ents: dict[str, dict], rels: list) -> dict[str, tuple[frozenset[str], str, str]]:
    out = {}
    for e in ents.values():
        if e["type"] == "Agreement":
            parties = frozenset(s for s, p, o, _, _ in rels if p == "PARTY_TO" and o == e["name"])
            out[e["name"]] = (parties, e["kind"], e["status"])
    return out


def only_agreement(text: str) -> tuple[frozenset[str], str, str]:
    ents, rels = read(text)
    (a,) = agreements(ents, rels).values()
    return a


@pytest.mark.parametrize("text, parties, kind, status", [
    # the subject and "with"
    ("Halvard Steel Corp signed a memorandum of understanding with Brimley Motors Ltd on Monday.",
     {"Halvard Steel Corp", "Brimley Motors Ltd"}, "mou", "signed"),
    # reported speech: "it" is the reporting subject; modality makes a plan
    ("Halvard Steel Corp said it will form a joint venture with Brimley Motors Ltd to make "
     "truck parts.", {"Halvard Steel Corp", "Brimley Motors Ltd"}, "partnership", "planned"),
    # "between A and B"
    ("The agreement between Tallis University and Morrow Health Group covers health research.",
     {"Tallis University", "Morrow Health Group"}, "cooperation_agreement", "signed"),
    # possessive: "A's joint venture with B"
    ("Brimley Motors Ltd's joint venture with Halvard Steel Corp will build a plant.",
     {"Brimley Motors Ltd", "Halvard Steel Corp"}, "partnership", "planned"),
    # talks: proposed
    ("Talvik Systems is in talks with Norrland Data AB about a possible alliance.",
     {"Talvik Systems", "Norrland Data AB"}, "partnership", "proposed"),
    # a verb trigger heading its clause keeps its subject
    ("Vireo Labs will partner with Talbot Bank on robotics.",
     {"Vireo Labs", "Talbot Bank"}, "partnership", "planned"),
    # a person signs for the institution he heads
    ("Pellmar Energy chairman Dorian Vexley signed the accord with Corvane Oil Co.",
     {"Pellmar Energy", "Corvane Oil Co."}, "cooperation_agreement", "signed"),
    # a coordinated subject the parser reads as one phrase
    ("Saffron University and Cobalt Energy Group signed a memorandum of understanding.",
     {"Saffron University", "Cobalt Energy Group"}, "mou", "signed"),
])
def test_agreement_events(text, parties, kind, status):
    assert only_agreement(text) == (frozenset(parties), kind, status)


def test_the_two_companies_refer_to_the_parties_named_before():
    ents, rels = read("Orvane Corp and Kestrel Inc make machine tools. The two companies said "
                      "on Monday they had formed a partnership in robotics.")
    (a,) = agreements(ents, rels).values()
    assert a[0] == {"Orvane Corp", "Kestrel Inc"}
    assert any(p == "COVERS_SECTOR" and o == "Robotics" for _, p, o, _, _ in rels)


def test_a_headline_alone_makes_no_party_but_joins_the_body():
    ents, rels = read("ORVANE, KESTREL IN JOINT VENTURE\n\nOrvane Corp and Kestrel Inc said "
                      "they agreed to set up a joint venture.")
    (a,) = agreements(ents, rels).values()
    assert a == (frozenset({"Orvane Corp", "Kestrel Inc"}), "partnership", "planned")


def test_separately_partnering_makes_one_agreement_per_partner():
    ents, rels = read("The Ruritanian Data Agency is separately partnering with Halvard Steel "
                      "Corp and Brimley Motors Ltd on training.")
    got = {a[0] for a in agreements(ents, rels).values()}
    assert got == {frozenset({"Ruritanian Data Agency", "Halvard Steel Corp"}),
                   frozenset({"Ruritanian Data Agency", "Brimley Motors Ltd"})}


def test_a_transaction_is_no_agreement():
    ents, rels = read("Halvard Steel Corp signed an agreement to buy a stake in Brimley Motors "
                      "Ltd for 40 mln dlrs.")
    assert not agreements(ents, rels)


def test_a_refused_deal_is_no_agreement():
    ents, rels = read("Halvard Steel Corp declined to sign a partnership with Brimley Motors Ltd.")
    assert not agreements(ents, rels)


def test_what_the_venture_creates():
    ents, rels = read("Orvane Corp and Kestrel Inc formed a joint venture last week. It said "
                      "it held 20 pct of the new company called Orkest Displays.")
    assert any(p == "ESTABLISHES" and o == "Orkest Displays" for _, p, o, _, _ in rels)


@pytest.mark.parametrize("text, person, org, title", [
    ("Quentin Arlo, chief executive of Pellmar Energy, said the deal was signed.",
     "Quentin Arlo", "Pellmar Energy", "Chief executive"),
    ("Pellmar Energy chairman Dorian Vexley signed the accord.",
     "Dorian Vexley", "Pellmar Energy", "Chairman"),
    ("Soon-hee Park, a spokeswoman for Daebok Heavy Industries, said so.",
     "Soon-hee Park", "Daebok Heavy Industries", "Spokeswoman"),
    ("\"We are pleased,\" said Ivo Marr, Halvard Steel Corp group vice president.",
     "Ivo Marr", "Halvard Steel Corp", "Group vice president"),
])
def test_positions(text, person, org, title):
    ents, rels = read(text)
    assert (person, "HOLDS_POSITION", org, title) in [r[:4] for r in rels]


@pytest.mark.parametrize("text, unit, owner, rule", [
    ("Kestrel Bank, a unit of Orvane Holdings, opened a branch.",
     "Kestrel Bank", "Orvane Holdings", "unit-of"),
    ("Orvane Holdings said its Kestrel Bank unit signed a lease.",
     "Kestrel Bank", "Orvane Holdings", None),
    ("Kestrel Bank, 80 pct owned by Orvane Holdings, opened a branch.",
     "Kestrel Bank", "Orvane Holdings", "owned-by"),
])
def test_part_of(text, unit, owner, rule):
    ents, rels = read(text)
    hits = [r for r in rels if r[1] == "PART_OF" and r[0] == unit and r[2] == owner]
    assert hits and (rule is None or hits[0][4] == rule)


def test_a_minority_stake_is_no_belonging():
    ents, rels = read("Kestrel Bank, 20 pct owned by Orvane Holdings, opened a branch.")
    assert not [r for r in rels if r[1] == "PART_OF"]


def test_wire_markup_tickers_and_wrapped_lines():
    ents, rels = read("KESTREL SIGNS PACT WITH ORVANE\n\n<Kestrel Data Systems Inc> <KDS.N> said "
                      "it signed\na cooperation agreement with <Orvane Holdings>.\n")
    names = {e["name"] for e in ents.values() if e["type"] == "Institution"}
    assert names == {"Kestrel Data Systems Inc", "Orvane Holdings"}
    (a,) = agreements(ents, rels).values()
    assert a[0] == names
    (ev,) = {r[4] for r in rels if r[1] == "PARTY_TO"} & {"party-with"}
    assert ev


def test_an_institution_of_a_place_is_split_and_located():
    ents, rels = read("Marlow Securities Ltd of Boston signed a letter of intent with "
                      "Kestrel Bank.")
    assert ("Marlow Securities Ltd", "LOCATED_IN", "Boston") in [r[:3] for r in rels]


def test_a_person_the_gazetteer_knows_as_a_town_stays_a_person():
    ents, rels = read("Kestrel Bank chief executive Ada Florence said the bank was growing.")
    assert not [e for e in ents.values() if e["type"] == "Location"]


@pytest.mark.parametrize("text, person, org, title", [
    ("Kestrel Bank's chief economist, Tomas Reyner, said rates would rise.",
     "Tomas Reyner", "Kestrel Bank", "Chief economist"),
    ("Dana Whitfield, who heads the Brimley Foundation, spoke on Monday.",
     "Dana Whitfield", "Brimley Foundation", "Head"),
    ("Former Talvik Systems chairman Piet Oosting died on Sunday.",
     "Piet Oosting", "Talvik Systems", "Chairman"),
    ("Morrow Health Group hired Lea Brandt as its chief executive.",
     "Lea Brandt", "Morrow Health Group", "Chief executive"),
])
def test_more_positions(text, person, org, title):
    ents, rels = read(text)
    assert (person, "HOLDS_POSITION", org, title) in [r[:4] for r in rels]


@pytest.mark.parametrize("text, located", [
    ("The Orvane Institute, based in Boston, Mass., released a report.",
     {("Orvane Institute", "Boston"), ("Boston", "Mass.")}),
    ("Morrow Health Group, a Chicago-based hospital operator, grew.",
     {("Morrow Health Group", "Chicago")}),
    ("Delegates from Paris, Rome and Oslo met.", set()),
])
def test_located_in(text, located):
    ents, rels = read(text)
    assert {(s, o) for s, p, o, _, _ in rels if p == "LOCATED_IN"} == located


@pytest.mark.parametrize("text, person, org, title", [
    ("Harold Binet, 52, president of Quillon Motors Inc., said sales rose.",
     "Harold Binet", "Quillon Motors Inc.", "President"),
    ("Kestrel Bank President Oona Farrow and Vice President Lars Ekdahl attended.",
     "Lars Ekdahl", "Kestrel Bank", "Vice President"),
    ("The Springfield-based Orvane Holdings said its chairman, Miles Garrow, would retire.",
     "Miles Garrow", "Orvane Holdings", "Chairman"),
    ("Pellmar Energy has appointed Rita Holm chief financial officer.",
     "Rita Holm", "Pellmar Energy", "Chief financial officer"),
])
def test_positions_in_apposition_coordination_and_appointments(text, person, org, title):
    ents, rels = read(text)
    assert (person, "HOLDS_POSITION", org, title) in [r[:4] for r in rels]


def test_a_field_inside_a_title_is_no_sector():
    ents, rels = read("Pellmar Energy has appointed Rita Holm chief financial officer.")
    assert not [e for e in ents.values() if e["type"] == "Sector"]


@pytest.mark.parametrize("text, parties, status", [
    ("Kestrel Technologies announced a partnership with Orvane University to train engineers.",
     {"Kestrel Technologies", "Orvane University"}, "signed"),
    ("Orvane University and Kestrel Technologies have agreed to cooperate in research.",
     {"Orvane University", "Kestrel Technologies"}, "signed"),
    ("Talvik Bank is set to sign a cooperation agreement with the Ruritanian Development Fund "
     "next month.", {"Talvik Bank", "Ruritanian Development Fund"}, "planned"),
    ("The Ministry of Planning signed a memorandum of understanding with Vellum Corp. Under the "
     "agreement, Vellum will help the ministry.", {"Ministry of Planning", "Vellum Corp."},
     "signed"),
])
def test_announcements_agreements_to_cooperate_and_plans(text, parties, status):
    got, _, st = only_agreement(text)
    assert (got, st) == (frozenset(parties), status)


def test_an_acquisition_agreed_is_no_agreement():
    ents, rels = read("Halvard Steel Corp agreed to acquire Brimley Motors Ltd for 200 mln dlrs.")
    assert not agreements(ents, rels)


@pytest.mark.parametrize("text", [
    "Halden Steel denied reports that it would form an alliance with Varna Chemicals.",
    "Halden Steel and Varna Chemicals agreed to merge in a deal valued at 2 bln dlrs.",
])
def test_denied_and_merger_deals_are_no_agreements(text):
    ents, rels = read(text)
    assert not agreements(ents, rels)


def test_boilerplate_and_light_verbs_make_no_sector():
    ents, rels = read("Tallis Group and Halden Steel signed a partnership to make payments "
                      "easier, but financial terms were not disclosed.")
    assert not [e for e in ents.values() if e["type"] == "Sector"]


def test_two_inputs_with_one_name_keep_their_own_evidence():
    recs = list(extract_texts([("same", "Tallis Group signed a pact with Halden Steel."),
                               ("same", "Varna Bank signed an accord with Orvane Corp.")]))
    assert [r.doc for r in recs] == ["same", "same"]
    assert "Varna Bank" in recs[1].relations[0].evidence


def test_a_copula_gives_a_position():
    ents, rels = read("Amina Diallo is the president of Westmoor College.")
    assert ("Amina Diallo", "HOLDS_POSITION", "Westmoor College", "President") in \
        [r[:4] for r in rels]


def test_exchange_tickers_are_no_names_and_dates_are_calendar_dates():
    ents, rels = read("Cavell Labs (NYSE: CVL) signed a pact with Orvane Corp on 45 March 2031.")
    assert {e["name"] for e in ents.values() if e["type"] == "Institution"} == \
        {"Cavell Labs", "Orvane Corp"}
    (a,) = [e for e in ents.values() if e["type"] == "Agreement"]
    assert a.get("date") == "2031-03"  # no "2031-03-45"
