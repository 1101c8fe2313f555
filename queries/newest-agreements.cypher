// title: Newest agreements
// description: The ten most recently dated agreements, newest first, with the documents that report them and their publication dates.
// example: kg query run newest-agreements --backend neo4j
MATCH (a:Agreement) WHERE a.date IS NOT NULL
WITH a ORDER BY a.date DESC, a.name LIMIT 10
MATCH (d:Document)-[:MENTIONS]->(a)
RETURN a.date AS date, a.name AS agreement, a.status AS status, d.slug AS document,
       d.published AS published
ORDER BY date DESC, agreement, document
