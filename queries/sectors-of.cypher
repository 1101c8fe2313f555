// title: Sectors an institution cooperates on
// description: Sectors covered by the agreements of the institution, with how many agreements.
// param: org: entity
// example: kg query run sectors-of -p org=VNU --backend neo4j
MATCH (:Institution {iri: $org})-[:PARTY_TO]->(a:Agreement)-[:COVERS_SECTOR]->(s:Sector)
RETURN s.name AS sector, count(DISTINCT a) AS agreements ORDER BY sector
