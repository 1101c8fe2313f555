"""kg why: the evidence behind relations, names matched like kg query (aliases, no accents)."""

from __future__ import annotations

from typing import Any

from kg.errors import UsageError
from kg.query.saved import match_entity
from ontology.vocab import vocabulary

WHY = """SELECT ?s ?subject ?predicate ?o ?object ?title ?document ?published ?url ?sentence ?evidence
       ?confidence
WHERE {
  ?st a kgo:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kgo:evidence ?evidence ; kgo:confidence ?confidence ; kgo:sourceDocument ?d .
  OPTIONAL { ?st kgo:title ?title } OPTIONAL { ?st kgo:sentenceIndex ?sentence }
  ?s kgo:name ?subject . ?o kgo:name ?object . ?d kgo:slug ?document .
  OPTIONAL { ?d <$published> ?published } OPTIONAL { ?d <$url> ?url }
  GRAPH ?og { ?p kgo:neo4jName ?predicate }
} ORDER BY ?subject ?predicate ?object ?document ?sentence"""


def explain(store: Any, subject: str, predicate: str | None = None,
            obj: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    voc = vocabulary()
    if predicate and predicate.upper() not in voc.predicates:
        raise UsageError(f"Unknown predicate {predicate!r}. Available: "
                         f"{', '.join(voc.predicates)}")
    cands = store.entity_names()
    s_iri = match_entity(subject, cands)
    if s_iri is None:
        raise UsageError(f"No entity named {subject!r} in the graph")
    o_iri = match_entity(obj, cands) if obj else None
    if obj and o_iri is None:
        raise UsageError(f"No entity named {obj!r} in the graph")
    fields = voc.document_fields
    rows = store.select(WHY.replace("$published", str(fields["published"].iri))
                        .replace("$url", str(fields["url"].iri)))
    out = []
    for r in rows:
        if predicate and r["predicate"] != predicate.upper():
            continue
        ends = {r["s"], r["o"]}
        if s_iri not in ends or (o_iri and o_iri not in ends):
            continue
        out.append(r)
    cols = ["subject", "predicate", "object", "title", "document", "published", "sentence",
            "confidence", "evidence", "url"]
    return cols, [{c: r.get(c) for c in cols} for r in out]
