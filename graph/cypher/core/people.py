"""People: our staff and the customers' people.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

# After `p` is bound: the graph-computed figures of a person.
_FIGURES: Final[LiteralString] = """
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(:Person)
  RETURN max(k.strength) AS strongestTie, count(k) AS relationshipCount
}
"""

# The stored figures of people read without them (graph/cypher/core/figures.py); `fresh` is
# false where none are stored yet (the caller then counts them).
PEOPLE_FIGURES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN p.id AS id, p.strongestTie AS strongestTie, p.relationshipCount AS relationshipCount,
       p.relationshipCount IS NOT NULL AS fresh
"""

_PERSON_FILTER: Final[LiteralString] = """
MATCH (p:Person)
WHERE ($search IS NULL OR p.searchText CONTAINS $search)
  AND ($styles IS NULL OR p.communicationStyle IN $styles)
  AND ($companyId IS NULL OR EXISTS {
        (p)-[r:HOLDS_ROLE]->(:Company {id: $companyId})
        WHERE r.endDate IS NULL OR r.endDate >= date()
      })
"""

# One page of people sorted by a stored property ($sort NAME or CREATED_AT), with the total,
# in one round trip; the page's figures are read apart, when asked.
PERSON_PAGE_BY_PROPERTY: Final[LiteralString] = (
    _PERSON_FILTER
    + """
WITH p, CASE $sort WHEN 'NAME' THEN p.name WHEN 'CREATED_AT' THEN p.createdAt END AS sortKey
ORDER BY CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         p.id ASC
WITH collect(p) AS found
RETURN size(found) AS total, [p IN found[$skip..$end] | properties(p)] AS page
"""
)

# One page of people filtered or sorted by their figures, with the total, in one round trip:
# the figures of everyone who passes the other filters are computed first.
PERSON_PAGE_BY_FIGURES: Final[LiteralString] = (
    _PERSON_FILTER
    + _FIGURES
    + """
WITH p, strongestTie, relationshipCount
WHERE ($minStrongestTie IS NULL OR strongestTie >= $minStrongestTie)
WITH p, strongestTie, relationshipCount,
     CASE $sort
       WHEN 'NAME' THEN p.name
       WHEN 'CREATED_AT' THEN p.createdAt
       WHEN 'STRONGEST_TIE' THEN coalesce(strongestTie, -1.0)
       WHEN 'RELATIONSHIP_COUNT' THEN relationshipCount
     END AS sortKey
ORDER BY CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         p.id ASC
WITH collect(p {.*, strongestTie: strongestTie, relationshipCount: relationshipCount}) AS people
RETURN size(people) AS total, people[$skip..$end] AS page
"""
)

PERSON_EDGE_COUNT: Final[LiteralString] = """
MATCH (p:Person {id: $id})
RETURN COUNT { (p)-[:HOLDS_ROLE|KNOWS|DOES_BUSINESS_WITH|REFERRED|REPORTS_TO]-() } AS edges
"""

# The recorded edges a forced delete takes with the person: [properties, from id, to id].
PERSON_TRACKED_EDGES: Final[LiteralString] = """
MATCH (p:Person {id: $id})
CALL (p) {
  OPTIONAL MATCH (p)-[r:HOLDS_ROLE]->(c:Company)
  RETURN collect([properties(r), p.id, c.id]) AS roles
}
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(:Person)
  RETURN collect([properties(k), startNode(k).id, endNode(k).id]) AS relationships
}
CALL (p) {
  OPTIONAL MATCH (p)-[f:REFERRED]-()
  RETURN collect([properties(f), startNode(f).id, endNode(f).id]) AS referrals
}
RETURN roles, relationships, [] AS business, referrals
"""
