// title: Institutions sharing a sector with an institution
// description: The institutions whose agreements cover a sector that a different agreement of this institution covers, those sharing the most sectors first (shared: how many); shared-sectors narrowed to one institution.
// param: org: entity
// example: kg query run shared-sectors-of -p org="Aurora AI Company" --backend neo4j
MATCH (p:Institution {iri: $org})-[:PARTY_TO]->(a:Agreement)-[:COVERS_SECTOR]->(s:Sector)
      <-[:COVERS_SECTOR]-(b:Agreement)<-[:PARTY_TO]-(q:Institution)
WHERE a <> b AND q <> p
WITH p, q, collect(DISTINCT s) AS ss
UNWIND ss AS s
RETURN DISTINCT p.name AS institution, q.name AS other, s.name AS sector, size(ss) AS shared
ORDER BY shared DESC, institution, other, sector
