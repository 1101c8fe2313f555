// title: Sub-organisations
// description: Institutions that are part of the institution, directly or further down.
// param: org: entity
// example: kg query run sub-organisations -p org=VNU --backend neo4j
MATCH (u:Institution)-[:PART_OF*1..]->(:Institution {iri: $org})
RETURN DISTINCT u.name AS unit ORDER BY unit
