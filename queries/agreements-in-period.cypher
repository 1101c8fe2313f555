// title: An institution's agreements in a period
// description: The institution's dated agreements from `since` to `until`, both inclusive and as precise as you like (2025, 2025-03, 2025-03-14): until=2025 takes all of 2025.
// param: org: entity
// param: since: string = 2025
// param: until: string = 2025
// example: kg query run agreements-in-period -p org=VNU -p since=2025 -p until=2025 --backend neo4j
MATCH (:Institution {iri: $org})-[:PARTY_TO]->(a:Agreement)
WHERE a.date IS NOT NULL AND substring(a.date, 0, size($since)) >= $since
  AND substring(a.date, 0, size($until)) <= $until
RETURN DISTINCT a.date AS date, a.name AS agreement, a.kind AS kind, a.status AS status,
       $since AS since, $until AS until
ORDER BY date, agreement
