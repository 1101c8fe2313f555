"""More constructions of general English news (business and wire copy beyond cooperation
stories: products, brands, market indices, descriptors, titles of public office), each read
through the real model and the real pipeline with invented sentences. Every name here is made
up for these tests."""

from __future__ import annotations

from test_news_constructions import located, part_of
from test_sentences import agreements, read


def names(text: str, etype: str | None = None) -> set[str]:
    ents, _ = read(text)
    return {e["name"] for e in ents.values() if etype is None or e["type"] == etype}


def positions(text: str) -> set[tuple[str, str]]:
    _, rels = read(text)
    return {(s, o) for s, p, o, _, _ in rels if p == "HOLDS_POSITION"}


# ------------------------------------------------------------------ products, brands, indices

def test_a_name_between_a_possessive_and_a_product_noun_is_the_product():
    found = names("Mobile phone maker Dorvane Group reported higher sales of its Wrenna "
                  "handsets and said its Quillo browser had ten million users.")
    assert "Dorvane Group" in found
    assert not {"Wrenna", "Quillo"} & found


def test_a_list_of_brand_names_before_the_noun_names_no_institution():
    found = names("Pellworth Holdings, which owns the Farrago and Astrelle brands, said its "
                  "profits rose.")
    assert "Pellworth Holdings" in found
    assert not {"Farrago", "Astrelle"} & found


def test_a_market_index_is_no_institution():
    found = names("Shares in Tavora Mining Corp rose 4 pct while the Brenholm 250 index fell "
                  "and the Kessler industrial average was flat.")
    assert "Tavora Mining Corp" in found
    assert not any("Brenholm" in n or "Kessler" in n for n in found)


def test_a_name_with_an_institution_head_before_a_product_noun_stays_the_institution():
    assert "Halvek Motors" in names("Sales of the Halvek Motors cars fell in May.")


# ------------------------------------------------------------------ descriptors and titled names

def test_a_descriptor_opening_the_sentence_is_no_part_of_the_name():
    found = names("Carmaker Jorvane Motors is teaming up with Sankaro Auto Ltd to build "
                  "small cars.\nRetailer Pellmart Stores said sales rose.")
    assert {"Jorvane Motors", "Pellmart Stores"} <= found
    assert not any(n.startswith(("Carmaker", "Retailer")) for n in found)


def test_a_name_after_a_lower_case_title_and_comma_is_a_person():
    ents, rels = read("Danmoor Breweries' chairman, Felix Obarin, welcomed the offer from "
                      "Pellworth Holdings.")
    people = {e["name"] for e in ents.values() if e["type"] == "Person"}
    assert "Felix Obarin" in people
    assert not any(e["name"] == "Felix Obarin" and e["type"] == "Institution"
                   for e in ents.values())


# ------------------------------------------------------------------ titles of public office

def test_a_public_office_title_is_never_given_to_a_nearby_company():
    held = positions("Competition commissioner Karin Solvik said the inquiry would look at "
                     "the conduct of Ostrelle Networks.")
    assert not any(org == "Ostrelle Networks" for _, org in held)


def test_a_title_whose_owner_is_named_but_unknown_is_not_guessed():
    held = positions("Zembrian Prime Minister Ilse Varanko called it a new chapter. The "
                     "Orbis Trade Organization welcomed the accord.")
    assert not any(person == "Ilse Varanko" for person, _ in held)


def test_a_company_title_without_its_organisation_still_takes_the_nearest_company():
    held = positions("Chief executive Maren Holbeck said Dorvane Group would keep investing "
                     "in new chips.")
    assert ("Maren Holbeck", "Dorvane Group") in held


# ------------------------------------------------------------------ agreements by verb

def test_agreeing_to_work_with_an_institution_is_a_cooperation():
    ents, rels = read("Dorvane Group said it had agreed to work with Talvane Semiconductor Corp "
                      "on a new generation of processors.")
    (parties, kind, status), = agreements(ents, rels).values()
    assert parties == {"Dorvane Group", "Talvane Semiconductor Corp"}
    assert kind == "cooperation_agreement" and status == "signed"


def test_working_with_people_or_without_a_named_institution_is_no_agreement():
    for text in ("Dorvane Group will work with regulators on the new rules.",
                 "Ada Morrow worked with Talvane Semiconductor Corp for twenty years."):
        ents, rels = read(text)
        assert agreements(ents, rels) == {}


# ------------------------------------------------------------------ places, units and groups

def test_places_listed_after_a_locative_preposition_are_each_a_place():
    found = names("Under the deal Korvath Oil Corp ships crude to refineries in Tarnow and "
                  "Kielce every month.", "Location")
    assert {"Tarnow", "Kielce"} <= found


def test_a_person_listed_with_a_place_is_still_a_person():
    ents, _ = read("Ada Morrow and Lena Park met in Oslo.")
    assert not any(e["type"] == "Location" and e["name"] in {"Ada Morrow", "Lena Park"}
                   for e in ents.values())


def test_a_ticker_dropped_inside_a_possessive_chain_keeps_the_unit():
    _, rels = read("Halvek Motor Co formed a joint venture with Ferrano SpA's <FERR.MI> 's "
                   "<Ivara BV> for the supply of small vans.")
    assert ("Ivara BV", "PART_OF", "Ferrano SpA") in {r[:3] for r in rels}


def test_other_companies_in_the_family_group_make_the_company_a_member():
    ents, rels = read("Tavora Motors said it needed fresh funds, half of them from other "
                      "companies in the Tavora group.")
    found = {e["name"] for e in ents.values() if e["type"] == "Institution"}
    assert {"Tavora Motors", "Tavora group"} <= found
    assert ("Tavora Motors", "PART_OF", "Tavora group") in {r[:3] for r in rels}


def test_a_group_named_without_other_members_gives_no_membership():
    _, rels = read("Tavora Motors said the Tavora group had no plans to sell it.")
    assert not any(p == "PART_OF" for _, p, _, _, _ in rels)


def test_a_name_after_a_noun_that_describes_a_company_is_a_company():
    ents, rels = read("Halstow Breweries has formed a partnership with Thai drinks firm Siam "
                      "Kanokwan to sell its beers in Asia. Last year it bought Czech brewer "
                      "Pivovar Lesnik.")
    found = {e["name"]: e["type"] for e in ents.values()}
    assert found.get("Siam Kanokwan") == "Institution"
    assert found.get("Pivovar Lesnik") == "Institution"
    (parties, _, _), = agreements(ents, rels).values()
    assert parties == {"Halstow Breweries", "Siam Kanokwan"}


def test_a_name_after_a_title_word_stays_a_person():
    found = {e["name"]: e["type"] for e in read(
        "Halstow Breweries chairman Sarah Quillon said the firm would grow.")[0].values()}
    assert found.get("Sarah Quillon") == "Person"


def test_the_venture_to_be_called_a_name_establishes_it():
    _, rels = read("Kestor Aviation Corp and Bramwell Engineering Plc have formed a joint venture "
                   "to build aircraft parts. The venture, to be called Kestor-Bramwell Systems "
                   "Inc, will be owned by the two companies.")
    assert any(p == "ESTABLISHES" and o == "Kestor-Bramwell Systems Inc" for _, p, o, _, _ in rels)


def test_a_joint_company_set_up_by_two_named_firms_is_a_partnership():
    ents, rels = read("Kestor Aviation Corp and Bramwell Engineering Plc said they would set up "
                      "a joint company called Bramkest Avionics Ltd.")
    (parties, kind, status), = agreements(ents, rels).values()
    assert parties == {"Kestor Aviation Corp", "Bramwell Engineering Plc"}
    assert (kind, status) == ("partnership", "planned")
    assert any(p == "ESTABLISHES" and o.startswith("Bramkest Avionics")
               for _, p, o, _, _ in rels)


def test_a_company_of_one_owner_is_no_joint_company():
    ents, rels = read("Kestor Aviation Corp said it would set up a new company in Texas.")
    assert agreements(ents, rels) == {}


def test_its_title_opening_a_sentence_is_the_previous_subject_s():
    held = positions("Talvane Corp said profits rose. Dorvane Group has faced two inquiries. "
                     "Its chief executive, Raj Menaro, said the firm had nothing to hide.")
    assert ("Raj Menaro", "Dorvane Group") in held
    assert ("Raj Menaro", "Talvane Corp") not in held


def test_its_title_without_an_institution_as_subject_before_is_not_guessed():
    held = positions("Sales fell sharply at Dorvane Group. Its chief executive, Raj Menaro, "
                     "said the firm had nothing to hide.")
    assert not any(person == "Raj Menaro" and org != "Dorvane Group" for person, org in held)


def test_a_boss_is_a_title():
    assert ("Hiro Tanabe", "Sankaro Auto") in positions(
        "Sankaro Auto's boss, Hiro Tanabe, said the tie-up would save money.")


# ------------------------------------------------------------------ sectors

def covered(text: str) -> set[str]:
    _, rels = read(text)
    return {o for _, p, o, _, _ in rels if p == "COVERS_SECTOR"}


def test_a_field_word_used_as_a_verb_with_an_object_is_no_field_of_the_agreement():
    text = ("Orvane Telecom concluded an MoU with Kelso University, "
            "learning about new chip designs from its staff.")
    assert "Education" not in covered(text)


def test_the_same_field_as_a_noun_is_the_agreement_s():
    assert "Education" in covered("Orvane Telecom concluded an MoU with "
                                  "Kelso University on training and education.")


def test_a_country_whose_name_takes_the_article_keeps_it_in_its_government():
    ents, _ = read("The Bahamas and Chile signed a trade agreement on Monday.")
    assert "Government of the Bahamas" in {e["name"] for e in ents.values()}


def test_the_two_countries_are_the_governments_of_the_countries_named_before():
    ents, rels = read("Officials from Norway and Iceland held talks in Oslo on Monday. The two "
                      "countries later signed a fisheries cooperation accord.")
    (parties, _, _), = agreements(ents, rels).values()
    assert parties == {"Government of Norway", "Government of Iceland"}


def test_the_two_governments_with_a_third_party_keep_it():
    ents, rels = read("Relations between Chile and Peru have warmed, and the two governments "
                      "have concluded a trade protocol with Brazil.")
    (parties, _, _), = agreements(ents, rels).values()
    assert parties == {"Government of Chile", "Government of Peru", "Government of Brazil"}


def test_the_two_countries_without_two_countries_named_make_no_agreement():
    ents, rels = read("Officials from Norway held talks in Oslo. The two countries later "
                      "signed a fisheries accord.")
    assert agreements(ents, rels) == {}


# ------------------------------------------------------------------ units and owners


def test_a_majority_owner_named_after_pct_owned_by_is_the_parent():
    assert ("Aero Zentor GmbH", "Zentor AG") in part_of(
        "Aero Zentor GmbH, 70 pct owned by Zentor AG, said it formed a joint venture with "
        "Orlay Corp.")
    assert ("Kelvane Mining Ltd", "Brannock Resources Plc") in part_of(
        "Kelvane Mining Ltd, a wholly-owned subsidiary of Brannock Resources Plc, signed it.")


def test_a_minority_owner_is_no_parent():
    assert part_of("Aero Zentor GmbH, 30 pct owned by Zentor AG, said it formed a joint "
                   "venture with Orlay Corp.") == set()


def test_the_arm_of_and_which_is_part_of_make_units():
    found = part_of("Velmora Trading Ltd is the trading arm of Velmora Europe SA, which is "
                    "part of Velmora Holdings AG.")
    assert {("Velmora Trading Ltd", "Velmora Europe SA"),
            ("Velmora Europe SA", "Velmora Holdings AG")} <= found


def test_a_possessive_unit_named_in_apposition():
    assert ("Pellmoor do Brasil SA", "Pellmoor AG") in part_of(
        "Pellmoor AG's Brazilian unit, Pellmoor do Brasil SA, signed an accord with Traskel Ltd.")


def test_part_of_a_deal_is_no_unit():
    assert part_of("Tessaro Bank, as part of the deal with Orvane Holdings, will sell its "
                   "branches.") == set()


# ------------------------------------------------------------------ places of institutions


def test_headquarters_in_a_place():
    assert ("Orvelle Holdings", "Zurich") in located(
        "Orvelle Holdings, which has its headquarters in Zurich, signed a deal with Tamsor Corp.")


def test_the_city_company_in_apposition():
    assert ("Tamsor Corp", "Denver") in located(
        "Tamsor Corp, the Denver company that makes pumps, signed a deal with Kelvik AS.")


def test_a_nationality_in_apposition_is_no_place():
    assert located("Tamsor Corp, the Danish company, signed a deal with Kelvik AS.") == set()


def test_place_headquartered_before_a_name_even_when_the_model_calls_it_a_company():
    ents, rels = read("Oslo-based Tamsor Corp and Bergen-headquartered Kelvik AS signed the accord.")
    assert {("Tamsor Corp", "Oslo"), ("Kelvik AS", "Bergen")} <= {
        (s, o) for s, p, o, _, _ in rels if p == "LOCATED_IN"}
    (parties, _, _), = agreements(ents, rels).values()
    assert parties == {"Tamsor Corp", "Kelvik AS"}


# ------------------------------------------------------------------ partners

def partners(text: str) -> set[frozenset[str]]:
    _, rels = read(text)
    return {frozenset((s, o)) for s, p, o, _, _ in rels if p == "PARTNER_OF"}


def test_jointly_working_with_a_firm_makes_partners():
    assert frozenset(("Traskel Oil Corp", "Conmore Petroleum")) in partners(
        "Traskel Oil Corp is jointly drilling with the Texan firm Conmore Petroleum for gas.")
    assert frozenset(("Dorvane Group", "Talvane Corp")) in partners(
        "Dorvane Group and Talvane Corp will jointly develop the chips at a plant in Texas.")


def test_parties_of_an_agreement_working_jointly_are_not_also_partners():
    assert partners("Dorvane Group and Talvane Corp signed a joint venture agreement and will "
                    "jointly develop chips.") == set()


def test_working_alone_makes_no_partners():
    assert partners("Dorvane Group is developing new chips with its own engineers.") == set()


def test_names_of_what_a_company_makes_are_no_institutions_or_places():
    found = names("Orvane Foods, which makes Crisp Dalemoor snacks and Sunny Bayton juices, "
                  "said talks were at an early stage. Kellway Brands, whose brands include "
                  "Harvest Goldmere cereals, declined to comment.")
    assert {"Orvane Foods", "Kellway Brands"} <= found
    assert not {"Crisp Dalemoor", "Sunny Bayton", "Harvest Goldmere"} & found


def test_a_company_that_makes_a_named_firm_s_goods_is_still_named():
    assert "Talvane Corp" in names("Orvane Foods makes Talvane Corp chips under licence.")


def test_the_firm_where_analysts_work_is_a_company():
    ents, _ = read("Analysts at Garrick Stanmore said the offer was a full price.")
    assert {e["name"]: e["type"] for e in ents.values()}.get("Garrick Stanmore") == "Institution"


def test_its_title_without_a_comma_is_not_given_to_a_later_company():
    held = positions("Its chairman Sir Nigel Prowsett said the board would consider any offer. "
                     "Kellway Brands has been expanding in Europe.")
    assert ("Nigel Prowsett", "Kellway Brands") not in held


def test_the_title_of_an_institution_before_the_name_in_apposition():
    assert ("Ada Vellino", "Orvane Holdings") in positions(
        "The head of Orvane Holdings, Ada Vellino, said the deal was good.")


def test_a_title_before_a_name_outside_apposition_is_not_hers():
    assert ("Ada Vellino", "Orvane Holdings") not in positions(
        "Speaking for the chairman of Orvane Holdings, Ada Vellino said the deal was good.")


# ------------------------------------------------------------------ more agreement frames

def only_parties(text: str) -> frozenset[str]:
    ents, rels = read(text)
    (parties, _, _), = agreements(ents, rels).values()
    return parties


def test_a_memorandum_signed_between_two_long_names_in_the_passive():
    assert only_parties("A memorandum of understanding was signed between Orvane Holdings and "
                        "Kelby University on Tuesday.") == {"Orvane Holdings", "Kelby University"}


def test_an_agreement_to_share_data_is_cooperation():
    assert only_parties("Orvane Holdings said it had reached an agreement with Kelby University "
                        "to share data.") == {"Orvane Holdings", "Kelby University"}


def test_an_agreement_to_buy_shares_is_no_cooperation():
    ents, rels = read("Orvane Holdings reached an agreement with Kelby Motors to buy its shares.")
    assert agreements(ents, rels) == {}


def test_the_two_after_a_pair_and_a_third_named_party():
    assert only_parties("Orvane Holdings met Kelby University in May. The two will work with "
                        "Tamsor Corp on training.") == {"Orvane Holdings", "Kelby University",
                                                        "Tamsor Corp"}
    assert only_parties("Orvane Holdings will supply Kelby University with software, and the "
                        "two will cooperate on training.") == {"Orvane Holdings",
                                                               "Kelby University"}


def test_an_alliance_that_brings_members_together():
    found = only_parties("The alliance brings together Orvane Holdings, Kelby University and "
                         "Tamsor Corp.")
    assert {"Orvane Holdings", "Kelby University"} <= found and len(found) == 3


def test_a_deal_that_includes_shares_names_no_members():
    ents, rels = read("The deal includes Orvane Holdings shares worth 5 mln dlrs.")
    assert agreements(ents, rels) == {}


def test_a_sentence_on_the_scope_right_after_the_agreement_gives_its_fields():
    assert {"Energy", "Agriculture"} <= covered(
        "Orvane Holdings signed an MoU with Kelby University on Monday. Cooperation will cover "
        "energy and agriculture.")
    assert {"Cybersecurity", "Robotics"} <= covered(
        "Orvane Holdings signed an MoU with Kelby University on Monday. It covers cybersecurity "
        "and robotics.")


def test_it_after_another_sentence_is_no_agreement():
    assert "Finance" not in covered(
        "Orvane Holdings signed an MoU with Kelby University on Monday. Orvane Holdings is a "
        "large lender. It includes a banking arm.")


def test_common_names_of_fields_map_to_the_scheme():
    found = covered("Orvane Holdings signed an agreement with Kelby University on solar power, "
                    "vaccines, railways and fisheries.")
    assert {"Energy", "Healthcare", "Transportation", "Agriculture"} <= found


def test_a_broadcaster_cited_as_a_source_is_no_institution():
    assert "Rovia Television" not in names(
        "In an interview with Rovia Television, Ada Vellin said Tamsor Corp would grow.")
    assert "Kelby Radio" not in names("Ada Vellin told Kelby Radio that Tamsor Corp would grow.")


def test_a_broadcaster_that_signs_is_an_institution():
    assert only_parties("Rovia Television signed a partnership with Tamsor Corp on Monday.") == {
        "Rovia Television", "Tamsor Corp"}


def test_a_nordic_legal_form_with_a_slash_closes_the_name():
    assert "Merivan Bank A/S" in names("Merivan Bank A/S said it would set up a joint leasing "
                                       "company with Kolstand Forsikring ASA.")


def test_the_name_in_apposition_to_the_new_company_is_a_company():
    ents, rels = read("Merivan Bank A/S and Kolstand Forsikring ASA formed a joint venture on "
                      "Monday. The new company, Merivan Kolstand Leasing, will be based in Bergen.")
    found = {e["name"]: e["type"] for e in ents.values()}
    assert found.get("Merivan Kolstand Leasing") == "Institution"
    assert any(p == "ESTABLISHES" and o == "Merivan Kolstand Leasing" for _, p, o, _, _ in rels)


def test_a_short_name_before_a_title_is_the_institution_it_begins():
    held = positions("Merivan Bank A/S signed a deal with Kolstand Forsikring ASA. Merivan "
                     "president Lars Bakkemo said it would help small firms.")
    assert ("Lars Bakkemo", "Merivan Bank A/S") in held
    assert ("Lars Bakkemo", "Kolstand Forsikring ASA") not in held
