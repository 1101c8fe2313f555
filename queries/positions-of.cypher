// title: Where a person holds positions
// description: Institutions and titles of one person.
// param: person: entity
// example: kg query run positions-of -p person="Nguyen Hoang Nam" --backend neo4j
MATCH (:Person {iri: $person})-[r:HOLDS_POSITION]->(i:Institution)
RETURN DISTINCT i.name AS institution, r.title AS title ORDER BY institution, title
