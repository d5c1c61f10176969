"""Companies: customers, prospects and our own companies.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

# After `c` is bound: the graph-computed figures of a company.
# ourRelationshipCount: ties between its current people and current people of our companies.
_FIGURES: Final[LiteralString] = """
CALL (c) {
  OPTIONAL MATCH (c)<-[theirs:HOLDS_ROLE]-(:Person)-[k:KNOWS]-(:Person)
        -[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE (theirs.endDate IS NULL OR theirs.endDate >= date())
    AND (ours.endDate IS NULL OR ours.endDate >= date())
  RETURN count(DISTINCT k) AS ourRelationshipCount
}
CALL (c) {
  OPTIONAL MATCH (c)<-[current:HOLDS_ROLE]-(person:Person)
  WHERE current.endDate IS NULL OR current.endDate >= date()
  RETURN count(DISTINCT person) AS peopleCount
}
"""

# The stored figures of companies read without them (graph/cypher/core/figures.py), and
# whether they hold today: `fresh` is false where none are stored yet or a role they counted
# has ended since (the caller then counts them anew).
COMPANY_FIGURES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (c:Company {id: id})
RETURN c.id AS id, c.ourRelationshipCount AS ourRelationshipCount, c.peopleCount AS peopleCount,
       c.peopleCount IS NOT NULL AND (c.figuresDue IS NULL OR c.figuresDue >= date()) AS fresh
"""

_COMPANY_FILTER: Final[LiteralString] = """
MATCH (c:Company)
WHERE ($search IS NULL OR c.searchText CONTAINS $search)
  AND ($statuses IS NULL OR c.status IN $statuses)
  AND ($valueClasses IS NULL OR c.valueClass IN $valueClasses)
  AND ($intentClasses IS NULL OR c.intentClass IN $intentClasses)
  AND ($stages IS NULL OR c.lifecycleStage IN $stages)
  AND ($industry IS NULL OR c.industry = $industry)
  AND ($region IS NULL OR c.region = $region)
  AND ($isOurs IS NULL OR coalesce(c.isOurs, false) = $isOurs)
  AND ($tiers IS NULL OR EXISTS {
        (c)-[b:DOES_BUSINESS_WITH]-(:Company {isOurs: true}) WHERE b.tier IN $tiers
      })
"""

# One page of companies sorted by a stored property ($sort NAME or CREATED_AT), with the
# total, in one round trip; the page's figures are read apart, when asked.
COMPANY_PAGE_BY_PROPERTY: Final[LiteralString] = (
    _COMPANY_FILTER
    + """
WITH c, CASE $sort WHEN 'NAME' THEN c.name WHEN 'CREATED_AT' THEN c.createdAt END AS sortKey
ORDER BY CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         c.id ASC
WITH collect(c) AS found
RETURN size(found) AS total, [c IN found[$skip..$end] | properties(c)] AS page
"""
)

# One page of companies filtered or sorted by their figures, with the total, in one round
# trip: the figures of every company that passes the other filters are computed first.
COMPANY_PAGE_BY_FIGURES: Final[LiteralString] = (
    _COMPANY_FILTER
    + _FIGURES
    + """
WITH c, ourRelationshipCount, peopleCount
WHERE ($minOurRelationships IS NULL OR ourRelationshipCount >= $minOurRelationships)
WITH c, ourRelationshipCount, peopleCount,
     CASE $sort
       WHEN 'NAME' THEN c.name
       WHEN 'CREATED_AT' THEN c.createdAt
       WHEN 'OUR_RELATIONSHIP_COUNT' THEN ourRelationshipCount
       WHEN 'PEOPLE_COUNT' THEN peopleCount
     END AS sortKey
ORDER BY CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         c.id ASC
WITH collect(c {.*, ourRelationshipCount: ourRelationshipCount, peopleCount: peopleCount})
     AS companies
RETURN size(companies) AS total, companies[$skip..$end] AS page
"""
)

COMPANY_EDGE_COUNT: Final[LiteralString] = """
MATCH (c:Company {id: $id})
RETURN COUNT { (c)-[:HOLDS_ROLE|DOES_BUSINESS_WITH|REFERRED|FOR]-() } AS edges
"""

# The recorded edges a forced delete takes with the company: [properties, from id, to id].
COMPANY_TRACKED_EDGES: Final[LiteralString] = """
MATCH (c:Company {id: $id})
CALL (c) {
  OPTIONAL MATCH (p:Person)-[r:HOLDS_ROLE]->(c)
  RETURN collect([properties(r), p.id, c.id]) AS roles
}
CALL (c) {
  OPTIONAL MATCH (c)-[b:DOES_BUSINESS_WITH]-(:Company)
  RETURN collect([properties(b), startNode(b).id, endNode(b).id]) AS business
}
CALL (c) {
  OPTIONAL MATCH (c)-[f:REFERRED]-()
  RETURN collect([properties(f), startNode(f).id, endNode(f).id]) AS referrals
}
RETURN roles, [] AS relationships, business, referrals
"""
