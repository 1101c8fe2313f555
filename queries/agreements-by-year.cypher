// title: Agreements by year
// description: How many dated agreements fall in each year, newest first.
// example: kg query run agreements-by-year --backend neo4j
MATCH (a:Agreement)
WHERE a.date IS NOT NULL
RETURN substring(a.date, 0, 4) AS year, count(DISTINCT a) AS agreements
ORDER BY year DESC
