// title: Documents that mention an entity
// description: The articles naming the entity, with their headline.
// param: entity: entity
// example: kg query run mentions-of -p entity=VNU --backend neo4j
CALL () {  // one index seek per entity label (an unlabelled node scanned every node)
  MATCH (e:Agreement {iri: $entity}) RETURN e
  UNION MATCH (e:Institution {iri: $entity}) RETURN e
  UNION MATCH (e:Location {iri: $entity}) RETURN e
  UNION MATCH (e:Person {iri: $entity}) RETURN e
  UNION MATCH (e:Sector {iri: $entity}) RETURN e
}
MATCH (d:Document)-[:MENTIONS]->(e)
RETURN DISTINCT d.slug AS document, d.headline AS headline ORDER BY document
