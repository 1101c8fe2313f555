// title: Labs and institutes set up by agreements
// description: What each agreement establishes.
// example: kg query run established-by-agreements --backend neo4j
MATCH (a:Agreement)-[:ESTABLISHES]->(i:Institution)
RETURN DISTINCT a.name AS agreement, i.name AS institution ORDER BY agreement, institution
