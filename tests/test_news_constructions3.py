"""Constructions of English news beyond the copy the rules were tuned on: regional news and
press releases that quote organisation names in their own language, wire copy that interrupts
its clauses. Each is read through the real model and the real pipeline with invented
sentences; every name here is made up for these tests."""

from __future__ import annotations

from test_sentences import agreements, read


def typed(text: str) -> dict[str, str]:
    ents, _ = read(text)
    return {e["name"]: e["type"] for e in ents.values()}


def parties(text: str) -> set[frozenset[str]]:
    ents, rels = read(text)
    return {p for p, _, _ in agreements(ents, rels).values()}


# ------------------------------------------------------------------ foreign heads, legal forms

def test_a_name_with_a_foreign_head_word_is_an_institution_not_a_person():
    found = typed("Clínica Vallenar Norte and Fundação Rio Claro will open a shared "
                  "maternity ward, the two said.")
    assert found.get("Clínica Vallenar Norte") == "Institution"
    assert found.get("Fundação Rio Claro") == "Institution"


def test_a_foreign_head_word_without_its_accent_is_still_a_head():
    assert typed("Clinica Punta Mora said on Monday that it had hired 40 nurses.").get(
        "Clinica Punta Mora") == "Institution"


def test_a_foreign_legal_form_closes_a_company_name():
    found = typed("Tuulekivi Andmed OÜ, a software maker, and Pachacamac Redes S.A.C. "
                  "reported higher sales.")
    assert found.get("Tuulekivi Andmed OÜ") == "Institution"
    assert found.get("Pachacamac Redes S.A.C.") == "Institution"


def test_an_upper_case_legal_form_before_the_name_makes_a_company():
    assert typed("PT Langit Sentosa Makmur will build a plant near the port.").get(
        "PT Langit Sentosa Makmur") == "Institution"


def test_an_institution_with_a_foreign_head_is_a_party_to_the_agreement():
    assert parties("Instituto de Suelos del Bío and Kavango Seed Cooperative signed a research "
                   "agreement on Tuesday.") == {
        frozenset({"Instituto de Suelos del Bío", "Kavango Seed Cooperative"})}


def test_a_person_with_a_name_like_a_head_word_stays_a_person():
    # "Bianca", "Pat" are no head words; a two-word personal name after a title stays a person
    found = typed("Chief executive Bianca Moreno of Tesmar Holdings said sales rose.")
    assert found.get("Bianca Moreno") == "Person"
    assert found.get("Tesmar Holdings") == "Institution"


def test_a_lower_case_pt_is_no_legal_form():
    found = typed("Physiotherapist Pt Hana Kerr said the clinic was busy.")
    assert "Pt Hana Kerr" not in found or found["Pt Hana Kerr"] != "Institution"
