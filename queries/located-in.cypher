// title: Where institutions and places are
// description: Every stated location, with the place it is in.
// example: kg query run located-in --backend neo4j
MATCH (e)-[:LOCATED_IN]->(l:Location)
RETURN DISTINCT e.name AS entity, l.name AS place ORDER BY entity, place
