// title: Agreements of an institution
// description: Every agreement the institution is a party to, with kind, status and date.
// param: org: entity
// example: kg query run agreements-of -p org=VNU --backend neo4j
MATCH (:Institution {iri: $org})-[:PARTY_TO]->(a:Agreement)
RETURN DISTINCT a.name AS agreement, a.kind AS kind, a.status AS status, a.date AS date
ORDER BY agreement
