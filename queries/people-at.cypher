// title: People and titles at an institution
// description: Who holds which title at the institution.
// param: org: entity
// example: kg query run people-at -p org=VNU --backend neo4j
MATCH (p:Person)-[r:HOLDS_POSITION]->(:Institution {iri: $org})
RETURN DISTINCT p.name AS person, r.title AS title ORDER BY person, title
