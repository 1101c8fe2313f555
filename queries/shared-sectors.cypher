// title: Institutions sharing a sector
// description: Pairs of institutions whose different agreements cover the same sector.
// example: kg query run shared-sectors --backend neo4j
MATCH (p:Institution)-[:PARTY_TO]->(a:Agreement)-[:COVERS_SECTOR]->(s:Sector),
      (q:Institution)-[:PARTY_TO]->(b:Agreement)-[:COVERS_SECTOR]->(s)
WHERE p.name < q.name AND a <> b
RETURN DISTINCT p.name AS institution, q.name AS other, s.name AS sector
ORDER BY sector, institution, other
