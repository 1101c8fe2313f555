// title: Partners of an institution
// description: Institutions that share an agreement with the institution or are stated partners of it.
// param: org: entity
// example: kg query run partners-of -p org=VNU --backend neo4j
MATCH (o:Institution {iri: $org})
CALL (o) {
  MATCH (o)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(p:Institution) WHERE p <> o RETURN p
  UNION
  MATCH (o)-[:PARTNER_OF]-(p:Institution) RETURN p
}
RETURN DISTINCT p.name AS partner ORDER BY partner
