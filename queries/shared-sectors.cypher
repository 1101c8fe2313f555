// title: Institutions sharing a sector
// description: Pairs of institutions whose different agreements cover the same sector, the pairs sharing the most sectors first (shared: how many). Bounded on a large graph: only the pairs sharing at least k sectors, k the smallest number of sectors that at most 200 institutions reach (every pair on a graph of up to 200 institutions; the largest number if more reach even that).
// example: kg query run shared-sectors --backend neo4j
MATCH (x:Institution)-[:PARTY_TO]->(:Agreement)-[:COVERS_SECTOR]->(t:Sector)
WITH x, count(DISTINCT t) AS c
WITH collect({x: x, c: c}) AS counted
WITH counted, reduce(ks = [], e IN counted | CASE WHEN e.c IN ks THEN ks ELSE ks + e.c END) AS ks
UNWIND ks AS k
WITH counted, k, size([e IN counted WHERE e.c >= k]) AS reach
ORDER BY reach > 200, CASE WHEN reach > 200 THEN -k ELSE k END
LIMIT 1
WITH k AS least, [e IN counted WHERE e.c >= k | e.x] AS cands
UNWIND cands AS x
MATCH (x)-[:PARTY_TO]->(a:Agreement)-[:COVERS_SECTOR]->(s:Sector)
WITH least, collect({x: x, a: a, s: s}) AS facts
UNWIND facts AS f
UNWIND facts AS g
WITH least, f, g
WHERE f.s = g.s AND f.a <> g.a AND f.x.name < g.x.name
WITH least, f.x AS p, g.x AS q, collect(DISTINCT f.s) AS ss
WHERE size(ss) >= least
UNWIND ss AS s
RETURN DISTINCT p.name AS institution, q.name AS other, s.name AS sector, size(ss) AS shared
ORDER BY shared DESC, institution, other, sector
