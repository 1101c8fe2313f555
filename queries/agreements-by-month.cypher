// title: Agreements by month
// description: How many dated agreements fall in each month (YYYY-MM), newest month first; agreements dated only by year are left out.
// example: kg query run agreements-by-month --backend neo4j
MATCH (a:Agreement)
WHERE a.date IS NOT NULL AND size(a.date) >= 7
RETURN substring(a.date, 0, 7) AS month, count(DISTINCT a) AS agreements
ORDER BY month DESC
