// title: Who holds which title where
// description: Every person, title and institution in the graph.
// example: kg query run people-and-titles --backend neo4j
MATCH (p:Person)-[r:HOLDS_POSITION]->(i:Institution)
RETURN DISTINCT p.name AS person, r.title AS title, i.name AS institution
ORDER BY person, institution, title
