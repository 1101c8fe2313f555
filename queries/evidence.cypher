// title: Evidence for the relations of an entity
// description: Every relation the entity takes part in, with document, sentence and confidence.
// param: entity: entity
// example: kg query run evidence -p entity=VNU --backend neo4j
MATCH (s)-[r]->(o)
WHERE (s.iri = $entity OR o.iri = $entity) AND r.evidence IS NOT NULL
UNWIND range(0, size(r.evidence) - 1) AS k
MATCH (d:Document {iri: r.docs[k]})
RETURN DISTINCT s.name AS subject, type(r) AS predicate, o.name AS object, d.slug AS document,
       r.evidence[k] AS evidence, r.confidences[k] AS confidence
ORDER BY subject, predicate, object, document, evidence
