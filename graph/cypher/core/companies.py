"""Companies: customers, prospects and our own companies.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

from graph.cypher.core import _rows

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

COMPANY_FIGURES_BY_ID: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (c:Company {id: id})
"""
    + _FIGURES
    + """
RETURN c.id AS id, ourRelationshipCount, peopleCount
"""
)

_COMPANY_WHERE: Final[LiteralString] = """
($statuses IS NULL OR c.status IN $statuses)
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

# Every company that passes the filters, as `c` with `rank` 0.
_EVERY_COMPANY: Final[LiteralString] = (
    """
MATCH (c:Company)
WHERE """
    + _COMPANY_WHERE
    + """WITH c, 0 AS rank
"""
)

# Those whose searchText contains $search, found through their search keys ($key, the term's
# key: graph/core/search.py), ranked: a whole line equal to the term first, a line starting
# with it next, then the rest.
_FOUND: Final[LiteralString] = (
    """
MATCH (key:SearchKey) WHERE key.text STARTS WITH $key
MATCH (key)-[:KEY_OF]->(c:Company)
WITH DISTINCT c
WHERE c.searchText CONTAINS $search AND """
    + _COMPANY_WHERE
    + _rows.SEARCH_RANK.replace("$item", "c")
)

_BY_PROPERTY: Final[LiteralString] = """
WITH c, rank,
     CASE $sort WHEN 'NAME' THEN c.name WHEN 'CREATED_AT' THEN c.createdAt END AS sortKey
ORDER BY rank,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         c.id ASC
WITH collect(c) AS found
RETURN size(found) AS total, [c IN found[$skip..$end] | properties(c)] AS page
"""

_BY_FIGURES: Final[LiteralString] = (
    _FIGURES
    + """
WITH c, rank, ourRelationshipCount, peopleCount
WHERE ($minOurRelationships IS NULL OR ourRelationshipCount >= $minOurRelationships)
WITH c, rank, ourRelationshipCount, peopleCount,
     CASE $sort
       WHEN 'NAME' THEN c.name
       WHEN 'CREATED_AT' THEN c.createdAt
       WHEN 'OUR_RELATIONSHIP_COUNT' THEN ourRelationshipCount
       WHEN 'PEOPLE_COUNT' THEN peopleCount
     END AS sortKey
ORDER BY rank,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         c.id ASC
WITH collect(c {.*, ourRelationshipCount: ourRelationshipCount, peopleCount: peopleCount})
     AS companies
RETURN size(companies) AS total, companies[$skip..$end] AS page
"""
)

# One page of companies sorted by a stored property ($sort NAME or CREATED_AT), with the
# total, in one round trip; the page's figures are read apart, when asked.
COMPANY_PAGE_BY_PROPERTY: Final[LiteralString] = _EVERY_COMPANY + _BY_PROPERTY
COMPANY_SEARCH_BY_PROPERTY: Final[LiteralString] = _FOUND + _BY_PROPERTY

# One page of companies filtered or sorted by their figures, with the total, in one round
# trip: the figures of every company that passes the other filters are computed first.
COMPANY_PAGE_BY_FIGURES: Final[LiteralString] = _EVERY_COMPANY + _BY_FIGURES
COMPANY_SEARCH_BY_FIGURES: Final[LiteralString] = _FOUND + _BY_FIGURES

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
