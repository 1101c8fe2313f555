"""Every asset ships inside the package and is read through importlib.resources; the code's
labels, types and sector names come from the ontology."""

import re
from importlib.resources import files

from rdflib import Graph

from kg.query import saved as saved_queries
from ontology.vocab import ASSETS, vocabulary


def test_every_ontology_asset_loads_from_the_package():
    for name in ASSETS:
        g = Graph().parse(data=(files("ontology") / name).read_text("utf-8"), format="turtle")
        assert len(g) > 20, name


def test_vocabulary_matches_the_spec():
    voc = vocabulary()
    assert set(voc.entity_types) == {"Institution", "Person", "Agreement", "Sector", "Location"}
    assert set(voc.subtypes) == {"University", "Company", "GovernmentBody",
                                 "ResearchInstitute", "Other"}
    assert set(voc.predicates) == {"PARTY_TO", "COVERS_SECTOR", "ESTABLISHES", "HOLDS_POSITION",
                                   "PART_OF", "PARTNER_OF", "LOCATED_IN"}
    local = {j: t.local for j, t in voc.predicates.items()}
    assert local["PARTNER_OF"] == "partnerOf" and local["LOCATED_IN"] == "locatedIn"
    prefs = {s.pref for s in voc.sectors}
    for required in ["Education", "Higher education", "K-12 education", "Healthcare",
                     "Smart cities", "Public services", "Telecommunications",
                     "Research and innovation", "Semiconductors", "Manufacturing", "Finance",
                     "Agriculture", "Energy", "Transportation", "Cybersecurity", "Robotics",
                     "Information and communication technology"]:
        assert required in prefs
    he = next(s for s in voc.sectors if s.pref == "Higher education")
    assert str(he.broader).endswith("education")


def test_every_saved_query_has_both_languages_and_the_same_parameters():
    cat = saved_queries.catalogue()
    assert len(cat) >= 15
    for q in cat.values():
        assert q.sparql.strip() and q.cypher.strip(), q.name
        assert q.title and q.description and q.example, q.name
        for p in q.params:
            assert f"${p.name}" in q.cypher, (q.name, p.name)
            assert f"?{p.name}" in q.sparql, (q.name, p.name)


def test_cypher_labels_and_types_come_from_the_ontology():
    voc = vocabulary()
    allowed = set(voc.neo4j_labels) | set(voc.neo4j_types)
    for q in saved_queries.catalogue().values():
        names = re.findall(r"[(\[]\w*:([A-Z][A-Za-z_|]*)", q.cypher)
        names += re.findall(r"\bNOT \w+:(\w+)", q.cypher)
        for group in names:
            for n in group.split("|"):
                assert n in allowed, (q.name, n)
