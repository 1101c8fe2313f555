// title: Institutions active in a sector
// description: Institutions party to an agreement that covers the sector.
// param: sector: entity
// example: kg query run institutions-in-sector -p sector=health --backend neo4j
MATCH (p:Institution)-[:PARTY_TO]->(a:Agreement)-[:COVERS_SECTOR]->(:Sector {iri: $sector})
RETURN DISTINCT p.name AS institution, a.name AS agreement ORDER BY institution, agreement
