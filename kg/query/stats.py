"""Counts per entity type and predicate, read from the store with the ontology's names."""

from __future__ import annotations

from kg.backends.rdf.store import EmbeddedStore
from ontology.vocab import vocabulary


def store_stats(store: EmbeddedStore) -> dict[str, dict[str, int]]:
    voc = vocabulary()
    types = {str(t.iri): j for j, t in voc.entity_types.items()}
    subtypes = {str(t.iri): j for j, t in voc.subtypes.items()}
    preds = {str(t.iri): j for j, t in voc.predicates.items()}
    out: dict[str, dict[str, int]] = {"documents": {}, "entities": {}, "subtypes": {},
                                      "relations": {}}
    out["documents"]["Document"] = len(store.document_graphs())
    for r in store.select("""SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?d kgo:mentions ?e . ?e a ?t } GROUP BY ?t"""):
        if r["t"] in types:
            out["entities"][types[r["t"]]] = r["n"]
        elif r["t"] in subtypes:
            out["subtypes"][subtypes[r["t"]]] = r["n"]
    for r in store.select("""SELECT ?p (COUNT(*) AS ?n) WHERE {
            SELECT DISTINCT ?s ?p ?o ?title WHERE { ?st a kgo:Statement ; rdf:subject ?s ;
            rdf:predicate ?p ; rdf:object ?o . OPTIONAL { ?st kgo:title ?title } } }
            GROUP BY ?p"""):
        if r["p"] in preds:
            out["relations"][preds[r["p"]]] = r["n"]
    for group, names in (("entities", voc.entity_types), ("relations", voc.predicates)):
        for name in names:
            out[group].setdefault(name, 0)
    return out
