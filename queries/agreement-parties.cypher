// title: Parties of each agreement
// description: One row per agreement and party.
// example: kg query run agreement-parties --backend neo4j
MATCH (p:Institution)-[:PARTY_TO]->(a:Agreement)
RETURN DISTINCT a.name AS agreement, p.name AS party ORDER BY agreement, party
