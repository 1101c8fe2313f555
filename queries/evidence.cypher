// title: Evidence for the relations of an entity
// description: Every relation the entity takes part in, with document, sentence and confidence.
// param: entity: entity
// example: kg query run evidence -p entity=VNU --backend neo4j
CALL () {  // one index seek per entity label (an unlabelled MATCH scanned every relationship)
  MATCH (e:Agreement {iri: $entity}) RETURN e
  UNION MATCH (e:Institution {iri: $entity}) RETURN e
  UNION MATCH (e:Location {iri: $entity}) RETURN e
  UNION MATCH (e:Person {iri: $entity}) RETURN e
  UNION MATCH (e:Sector {iri: $entity}) RETURN e
}
CALL (e) {
  MATCH (e)-[r]->(o) RETURN e AS s, r, o
  UNION
  MATCH (s)-[r]->(e) RETURN s, r, e AS o
}
WITH s, r, o WHERE r.evidence IS NOT NULL
UNWIND range(0, size(r.evidence) - 1) AS k
MATCH (d:Document {iri: r.docs[k]})
RETURN DISTINCT s.name AS subject, type(r) AS predicate, o.name AS object, d.slug AS document,
       r.evidence[k] AS evidence, r.confidences[k] AS confidence
ORDER BY subject, predicate, object, document, evidence
