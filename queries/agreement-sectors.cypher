// title: Sectors of each agreement
// description: One row per agreement and the sector it covers.
// example: kg query run agreement-sectors --backend neo4j
MATCH (a:Agreement)-[:COVERS_SECTOR]->(s:Sector)
RETURN DISTINCT a.name AS agreement, s.name AS sector ORDER BY agreement, sector
