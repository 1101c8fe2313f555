"""Neo4j Browser style (GraSS): one colour per label, captions from names and titles. Colours
come from the ontology (kgo:color), so kg viz and the Browser agree."""

from __future__ import annotations

from ontology.vocab import vocabulary


def grass() -> str:
    voc = vocabulary()
    out = ["node {", "  diameter: 50px;", "  color: #A5ABB6;", "  border-color: #9AA1AC;",
           "  border-width: 2px;", "  text-color-internal: #FFFFFF;", "  font-size: 10px;",
           "}", "relationship {", "  color: #A5ABB6;", "  shaft-width: 1px;",
           "  font-size: 8px;", "  padding: 3px;", "  text-color-external: #000000;",
           "  text-color-internal: #FFFFFF;", "  caption: '<type>';", "}"]
    sizes = {"Institution": "65px", "Agreement": "55px", "Person": "50px", "Sector": "45px",
             "Location": "45px", "Document": "35px"}
    terms = [*voc.entity_types.values(), *voc.subtypes.values(), voc.document]
    for t in terms:
        out += [f"node.{t.neo4j} {{", f"  color: {t.color};", f"  border-color: {t.color};",
                f"  diameter: {sizes.get(t.neo4j, '60px')};",
                "  caption: '{slug}';" if t is voc.document else "  caption: '{name}';", "}"]
    for p in voc.predicates.values():
        caption = "'{title}'" if p.jsonl == "HOLDS_POSITION" else "'<type>'"
        out += [f"relationship.{p.neo4j} {{", f"  caption: {caption};", "  shaft-width: 2px;",
                "}"]
    out += [f"relationship.{voc.mentions.neo4j} {{", "  color: #DDDDDD;",
            "  shaft-width: 1px;", "}"]
    return "\n".join(out) + "\n"
