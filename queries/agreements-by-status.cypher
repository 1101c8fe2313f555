// title: Agreements by status
// description: Agreements that are signed, planned or proposed.
// param: status: string = signed
// example: kg query run agreements-by-status -p status=planned --backend neo4j
MATCH (a:Agreement {status: $status})
RETURN DISTINCT a.name AS agreement, a.kind AS kind, a.date AS date, a.status AS status
ORDER BY agreement, kind, date, status
