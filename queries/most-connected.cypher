// title: Most connected institutions
// description: Institutions ranked by how many distinct entities they are related to.
// example: kg query run most-connected --backend neo4j
MATCH (i:Institution)-[r:PARTY_TO|PART_OF|PARTNER_OF|LOCATED_IN|HOLDS_POSITION|ESTABLISHES]-(n)
WHERE NOT n:Document
RETURN i.name AS institution, count(DISTINCT n) AS connections
ORDER BY connections DESC, institution
