"""Constructions of general English news that the extractor reads, each with invented
sentences through the real model and the real pipeline (loaders/*). Every name here is made
up for these tests."""

from __future__ import annotations

from test_sentences import agreements, read

from loaders.normalize import normalize


def test_wire_capital_after_an_abbreviation_is_lower_cased_with_the_same_offsets():
    raw = "the venture of Harlan Dynamics Inc of the U.S. And Petrov Industries AG, a U.K. Based firm"
    c = normalize(raw)
    assert c.text == raw.replace("U.S. And", "U.S. and").replace("U.K. Based", "U.K. based")
    assert c.origin == list(range(len(raw) + 1))
    # a sentence that starts after an abbreviation keeps its capital
    assert normalize("He moved to the U.S. The firm grew.").text == \
        "He moved to the U.S. The firm grew."


def test_between_two_names_across_a_wire_capital_and_a_closed_name_of_the_place():
    ents, rels = read("Zorvex Labs (ZL), the joint venture between Harlan Dynamics Inc of the "
                      "U.S. And Petrov Industries AG, said it would open a plant.")
    names = {e["name"] for e in ents.values()}
    assert {"Harlan Dynamics Inc", "Petrov Industries AG"} <= names
    assert not any("And" in n or " of the " in n for n in names)
    (parties, kind, _), = agreements(ents, rels).values()
    assert parties == {"Harlan Dynamics Inc", "Petrov Industries AG"}
    assert kind == "partnership"
    assert ("Harlan Dynamics Inc", "LOCATED_IN", "U.S.") in {r[:3] for r in rels}


def located(text: str) -> set[tuple[str, str]]:
    _, rels = read(text)
    return {(s, o) for s, p, o, _, _ in rels if p == "LOCATED_IN"}


def test_based_in_on_the_noun_that_describes_the_institution():
    # in apposition
    assert ("Vantor Energy", "Denver") in located(
        "Vantor Energy, a utility based in Denver, signed a joint venture agreement with Orlo Gas.")
    # after a copula, the participle behind a comma
    assert ("Tavera Bank", "Lisbon") in located(
        "She said Tavera Bank is a small lending house, based in Lisbon and funded by its "
        "founders, which runs two branches.")
    assert ("Orlo Gas", "Tulsa") in located("Orlo Gas is a pipeline company located in Tulsa.")


def test_a_described_noun_without_a_place_cue_gives_no_place():
    assert located("Vantor Energy, a utility that sells power in Denver, signed a joint venture "
                   "agreement with Orlo Gas.") == set()


def test_a_compass_adjective_before_the_place_is_no_gap():
    assert ("Keswick", "Wales") in located("Harwick Cables has a plant at Keswick in northern Wales.")


def part_of(text: str) -> set[tuple[str, str]]:
    _, rels = read(text)
    return {(s, o) for s, p, o, _, _ in rels if p == "PART_OF"}


def test_the_parent_of_a_unit():
    assert ("Merrow Textiles Ltd.", "Fincor Group") in part_of(
        "Other parties to the accord are Banque Sorel and Fincor Group, the parent company of "
        "Merrow Textiles Ltd.")
    assert ("Fincor Group", "Quillon Holdings AG") in part_of(
        "Fincor Group's parent, Quillon Holdings AG, said on Monday it agreed.")
    # "its" in the parent's apposition is the clause's other subject, not the parent itself
    assert part_of("Merrow Textiles said Quillon Holdings AG, its parent company, approved the "
                   "plan.") == {("Merrow Textiles", "Quillon Holdings AG")}


def test_a_unit_named_in_apposition_to_an_owner_modified_unit_noun():
    assert part_of("Another Tarrant subsidiary, Vellum Kraftwerk AG, VKA, recently signed a "
                   "supply pact with Osaka Turbine Ltd.") == {("Vellum Kraftwerk AG", "Tarrant")}
    # a partner is no unit
    assert part_of("Tarrant Holdings said its partner, Vellum Kraftwerk AG, signed a deal.") == set()


def test_an_affiliate_is_no_unit():
    # an affiliate is a company in which another holds a stake, most often a minority one
    assert part_of("Ardent Motors said its affiliate Kobe Wheels Ltd would supply parts.") == set()
    assert part_of("Ardent Motors said its unit Kobe Wheels Ltd would supply parts.") == {
        ("Kobe Wheels Ltd", "Ardent Motors")}


def test_britain_is_the_united_kingdom():
    ents, _ = read("Harwick Cables of the U.K. said its plant in Britain would close.")
    places = [e for e in ents.values() if e["type"] == "Location"]
    assert len(places) == 1 and {"U.K.", "Britain"} <= {places[0]["name"], *places[0].get("aliases", [])}


def test_a_reference_with_a_party_continues_that_partys_agreement():
    ents, rels = read("Corvane Labs is separately partnering with Halden Steel and Marrick Bank. "
                      "The deal with Marrick Bank was signed in May. The cooperation with Halden "
                      "Steel began only last week. The two sides will share knowledge on "
                      "cybersecurity.")
    found = agreements(ents, rels)
    assert sorted(p for p, _, _ in found.values()) == sorted(
        [frozenset({"Corvane Labs", "Halden Steel"}), frozenset({"Corvane Labs", "Marrick Bank"})])
    (covering,) = [a for a, (p, _, _) in found.items() if "Halden Steel" in p]
    assert {(s, o) for s, p, o, _, _ in rels if p == "COVERS_SECTOR"} == {(covering, "Cybersecurity")}


def positions(text: str) -> set[tuple[str, str, str | None]]:
    _, rels = read(text)
    return {(s, o, t) for s, p, o, t, _ in rels if p == "HOLDS_POSITION"}


def test_serve_as_and_joined_as_give_a_position():
    assert positions("Dara Whelan will serve as chief executive of Pellmar Energy Corp.") == {
        ("Dara Whelan", "Pellmar Energy Corp.", "Chief executive")}
    assert positions("Dara Whelan joined Pellmar Energy Corp as chief financial officer in 2019.") \
        == {("Dara Whelan", "Pellmar Energy Corp", "Chief financial officer")}
    # the person is the subject up through a relative clause and "agreed to serve"
    assert positions(
        "Over the past year, visits have grown, helped by well-known scholars such as Prof. Dara "
        "Whelan, who presented the Orca model to several schools, and who later agreed to "
        "serve as Deputy Director at the Centre for Orchard Robotics under Ostrava Science "
        "Park.") == {("Dara Whelan", "Centre for Orchard Robotics", "Deputy Director")}


def test_serving_without_a_title_or_by_someone_else_gives_no_position():
    assert positions("Dara Whelan said Pellmar Energy Corp will serve as a model for others.") == set()
    assert positions("Dara Whelan joined Pellmar Energy Corp in 2019.") == set()


def test_the_employer_closes_a_lower_case_title_complement():
    assert positions("Dara Whelan, director of public affairs at Ostrava Motors Ltd, said the "
                     "deal was done.") == {("Dara Whelan", "Ostrava Motors Ltd",
                                            "Director of public affairs")}


def test_an_adjective_of_a_field_on_a_cooperation_noun_mentions_the_sector():
    ents, rels = read("Norell Chemicals and Pax Engineering formed an industrial joint venture "
                      "in Poland.")
    assert "Manufacturing" in {e["name"] for e in ents.values() if e["type"] == "Sector"}
    assert not any(p == "COVERS_SECTOR" for _, p, _, _, _ in rels)  # too loose a tie
    ents, _ = read("Norell Chemicals and Pax Engineering signed a joint venture agreement to "
                   "treat industrial waste.")
    assert not any(e["type"] == "Sector" for e in ents.values())


def test_where_something_is_done_with_a_party_is_not_where_the_party_is():
    assert located("Tessaro Cables signed a deal with Orlo Gas in Oslo on Monday.") == set()
    # a headline's "A, B in PLACE venture" places the venture, not B
    assert located("ORLO, TESSARO IN POLAND CABLE VENTURE\nOrlo Gas Plc and Tessaro Cables Ltd "
                   "said they formed a joint venture in Poland.") == set()
    # a name followed by its place still is in it
    assert ("Tarrow Bank", "Lisbon") in located("Tarrow Bank in Lisbon signed a loan.")


def test_a_capitalised_name_ends_before_in_and_a_place_the_model_knows():
    ents, rels = read("Orvane Regional University (ORU) signed a memorandum with Tessaro Cables "
                      "Ltd. The plan covers the growth of the ORU Town in Marbury, which spans "
                      "800 hectares.")
    assert {"ORU Town", "Marbury"} <= {e["name"] for e in ents.values() if e["type"] == "Location"}
    assert ("ORU Town", "LOCATED_IN", "Marbury") in {r[:3] for r in rels}


def test_involving_and_including_name_parties():
    ents, rels = read("Tessaro Oil also has joint ventures involving the state producer Orlo "
                      "Gas of Varna.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Tessaro Oil", "Orlo Gas"})]
    ents, rels = read("A consortium including Tessaro Oil and Orlo Gas Ltd will build the "
                      "pipeline.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Tessaro Oil", "Orlo Gas Ltd"})]
    # the participle hung on the verb by the parse
    ents, rels = read("Tessaro Oil has several joint ventures and shared drilling schemes, "
                      "involving the smaller refiner Orlo Gas Ltd, near the coast.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Tessaro Oil", "Orlo Gas Ltd"})]
    # a transaction stays none
    ents, rels = read("The deal involving Tessaro Oil and Orlo Gas Ltd was a purchase of shares.")
    assert agreements(ents, rels) == {}


def test_references_before_the_first_agreement_join_it():
    ents, rels = read("The agreement focuses on language models. The two sides will deploy "
                      "agents in sectors including healthcare and smart cities. Orvane University "
                      "signed the cooperation agreement with Tessaro Labs Ltd on Monday.")
    ((name, (parties, _, status)),) = agreements(ents, rels).items()
    assert parties == {"Orvane University", "Tessaro Labs Ltd"} and status == "signed"
    assert {o for s, p, o, _, _ in rels if p == "COVERS_SECTOR" and s == name} == {
        "Healthcare", "Smart cities"}
    # the parties keep the rules that found them
    assert {r for _, p, _, _, r in rels if p == "PARTY_TO"} == {"party-with", "party-subject"}


def test_an_early_reference_without_any_agreement_makes_none():
    ents, rels = read("The agreement focuses on language models. Sales of healthcare products "
                      "rose at Tessaro Labs Ltd.")
    assert agreements(ents, rels) == {}
    assert not any(p == "COVERS_SECTOR" for _, p, _, _, _ in rels)


def test_a_title_without_an_employer_prefers_the_institution_a_clause_is_about():
    assert positions("CEO Mara Vesk said the launch marked a turning point. Originating from "
                     "the laboratories of Corvin University, Tessaro Labs Ltd pursues the "
                     "mission of building robots.") == {("Mara Vesk", "Tessaro Labs Ltd", "CEO")}
    # with no subject among them, the first named still is the employer
    assert positions("CEO Mara Vesk said the launch marked a turning point for Tessaro Labs "
                     "Ltd and Corvin University.") == {("Mara Vesk", "Tessaro Labs Ltd", "CEO")}


def test_a_company_founded_with_another_is_a_joint_venture():
    ents, rels = read("Tessaro Labs will set up a new company with Orlo Gas Ltd to make cables.")
    assert list(agreements(ents, rels).values()) == [
        (frozenset({"Tessaro Labs", "Orlo Gas Ltd"}), "partnership", "planned")]
    ents, rels = read("Tessaro Labs will invest in a new company to be formed "
                      "with the Portuguese firm Orlo Gas Ltd which will make cables.")
    assert list(agreements(ents, rels).values()) == [
        (frozenset({"Tessaro Labs", "Orlo Gas Ltd"}), "partnership", "planned")]


def test_a_company_founded_alone_is_no_agreement():
    for text in ("Tessaro Labs set up a new company in Oslo with 20 employees.",
                 "Tessaro Labs formed a company with its own funds."):
        ents, rels = read(text)
        assert agreements(ents, rels) == {}


def test_a_national_title_with_a_place_complement_before_the_name():
    assert ("Henri Dorsan", "Government of Norway", "Ambassador to Peru") in positions(
        "The Government of Norway signed the accord with Tallis University. The deal was agreed "
        "after talks between the university rector, Ada Moss, and the Norwegian Ambassador to "
        "Peru, Henri Dorsan.")


def test_a_city_before_a_facility_noun_and_a_newspaper_cited_as_source():
    ents, _ = read("Tessaro Labs will build light trucks at Orlo Motors' Toledo plant from "
                   "1989, the Freedonia Daily said.")
    by_name = {e["name"]: e["type"] for e in ents.values()}
    assert by_name.get("Toledo") == "Location"
    assert "Freedonia Daily" not in by_name
    # a newspaper that acts is an institution of the story
    ents, _ = read("The Freedonia Daily signed a partnership agreement with Tessaro Labs Ltd.")
    assert "Freedonia Daily" in {e["name"] for e in ents.values() if e["type"] == "Institution"}


def sectors(text: str) -> set[str]:
    ents, _ = read(text)
    return {e["name"] for e in ents.values() if e["type"] == "Sector"}


def test_a_modified_industry_is_not_industry_at_large():
    assert "Manufacturing" not in sectors(
        "Tessaro Labs Ltd will tap knowledge from firms in the telecommunication industry.")
    assert "Manufacturing" in sectors(
        "Tessaro Labs Ltd and Orlo Gas Ltd signed an agreement to support industry.")


def test_a_bare_name_between_a_determiner_and_a_product_noun_is_a_product():
    ents, _ = read("Prof. Dara Whelan introduced the OXM model and its applications at "
                   "Tessaro Labs Ltd.")
    assert "OXM" not in {e["name"] for e in ents.values()}
    ents, _ = read("Tessaro Labs Ltd will adapt the Vexa platform for banks.")
    assert "Vexa" not in {e["name"] for e in ents.values()}
    ents, _ = read("Tessaro Labs Ltd signed the Orlo Group project agreement with Corvin "
                   "University.")
    assert "Orlo Group" in {e["name"] for e in ents.values() if e["type"] == "Institution"}


def test_talks_reported_by_a_subject_make_it_a_party():
    ents, rels = read("Kelso Steel said talks with Varna Metals Ltd on a possible alliance are "
                      "continuing.")
    assert list(agreements(ents, rels).values()) == [
        (frozenset({"Kelso Steel", "Varna Metals Ltd"}), "partnership", "proposed")]


def test_a_slash_name_before_an_agreement_noun_names_its_parties():
    ents, rels = read("Harlow Mining Ltd and Bexter Gold Corp said the Harlow/Bexter consortium "
                      "will hold 45 pct of the project.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Harlow Mining Ltd", "Bexter Gold Corp"})]
    # parts that name no institution of the story name no party
    ents, rels = read("The Harlow/Bexter consortium will hold 45 pct of the project.")
    assert agreements(ents, rels) == {}


def test_institutions_that_are_partners_after_a_copula():
    _, rels = read("Varna Metals Ltd and Kelso Steel Corp have been partners since 2010.")
    assert {(s, o) for s, p, o, _, _ in rels if p == "PARTNER_OF"} == {
        ("Varna Metals Ltd", "Kelso Steel Corp")}
    # parties of one extracted agreement are no PARTNER_OF pair (spec)
    _, rels = read("Varna Metals Ltd and Kelso Steel Corp signed a joint venture agreement. The "
                   "two companies have been partners since 2010.")
    assert not any(p == "PARTNER_OF" for _, p, _, _, _ in rels)


def test_appointments_active_with_as_and_passive():
    assert positions("Tessaro Labs Ltd appointed Mara Vesk as chief operating officer.") == {
        ("Mara Vesk", "Tessaro Labs Ltd", "Chief operating officer")}
    assert positions("Mara Vesk was named chief executive of Tessaro Labs Ltd on Monday.") == {
        ("Mara Vesk", "Tessaro Labs Ltd", "Chief executive")}
    # named as something that is no title gives nothing
    assert positions("Mara Vesk was named in the report on Tessaro Labs Ltd.") == set()


def test_a_trigger_verb_parsed_as_a_modifier_and_the_governments_of_two_countries():
    ents, rels = read("Tessaro Labs Ltd partnered with Orlo Gas Ltd last year.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Tessaro Labs Ltd", "Orlo Gas Ltd"})]
    ents, rels = read("The governments of Norway and Peru signed a trade agreement.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Government of Norway", "Government of Peru"})]
    # "the two companies" still refers back
    ents, rels = read("Tessaro Labs Ltd and Orlo Gas Ltd held talks in May. The two companies "
                      "signed a joint venture agreement on Monday.")
    assert [p for p, _, _ in agreements(ents, rels).values()] == [
        frozenset({"Tessaro Labs Ltd", "Orlo Gas Ltd"})]


def test_a_bare_apostrophe_possessive_before_a_unit_noun():
    assert part_of("Corvex Holdings' subsidiary Tamberlane Foods Ltd signed the accord.") == {
        ("Tamberlane Foods Ltd", "Corvex Holdings")}
    assert part_of("Corvex Holdings' partner Tamberlane Foods Ltd signed the accord.") == set()


def test_a_company_possessed_by_a_company_is_its_unit():
    assert part_of("Orlo Group's Tessaro Labs Ltd signed the accord with Varna Metals Ltd.") == {
        ("Tessaro Labs Ltd", "Orlo Group")}
    # a possessed name that modifies a noun is no unit
    assert part_of("Orlo Group's Tessaro Labs Ltd stake was sold to Varna Metals Ltd.") == set()


def test_place_based_with_a_descriptor_before_the_name():
    assert ("Orrin Chemicals Plc", "U.K.") in located(
        "Tamsin Oil signed a joint venture agreement with the U.K. Based group Orrin Chemicals Plc.")
    assert ("Orrin Chemicals Plc", "Lisbon") in located(
        "Tamsin Oil signed a deal with the Lisbon-based chemicals group Orrin Chemicals Plc.")
    # a long stretch after "based" is no descriptor of the next name
    assert ("Orrin Chemicals Plc", "Lisbon") not in located(
        "A Lisbon-based venture set up last year by Tamsin Oil and Orrin Chemicals Plc grew.")
