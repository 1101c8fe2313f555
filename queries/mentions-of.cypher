// title: Documents that mention an entity
// description: The articles naming the entity, with their headline.
// param: entity: entity
// example: kg query run mentions-of -p entity=VNU --backend neo4j
MATCH (d:Document)-[:MENTIONS]->({iri: $entity})
RETURN DISTINCT d.slug AS document, d.headline AS headline ORDER BY document
