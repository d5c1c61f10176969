"""Companies: customers, prospects and our own companies.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

from graph.cypher.core import _rows

# The stored figures of companies read without them (graph/cypher/core/figures.py), and
# whether they hold today: `fresh` is false where none are stored yet or a role they counted
# has ended since (the caller then counts them anew).
COMPANY_FIGURES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (c:Company {id: id})
RETURN c.id AS id, c.ourRelationshipCount AS ourRelationshipCount, c.peopleCount AS peopleCount,
       c.peopleCount IS NOT NULL AND (c.figuresDue IS NULL OR c.figuresDue >= date()) AS fresh
"""

# $team: the filter's account team; $teams: a scoped credential's (graph/auth/scope.py), null
# for a credential of every customer.
_COMPANY_WHERE: Final[LiteralString] = """
($statuses IS NULL OR c.status IN $statuses)
  AND ($valueClasses IS NULL OR c.valueClass IN $valueClasses)
  AND ($intentClasses IS NULL OR c.intentClass IN $intentClasses)
  AND ($stages IS NULL OR c.lifecycleStage IN $stages)
  AND ($industry IS NULL OR c.industry = $industry)
  AND ($region IS NULL OR c.region = $region)
  AND ($isOurs IS NULL OR coalesce(c.isOurs, false) = $isOurs)
  AND ($team IS NULL OR $team IN coalesce(c.teams, []))
  AND ($teams IS NULL OR c.isOurs = true OR any(team IN coalesce(c.teams, []) WHERE team IN $teams))
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

# Those whose searchText contains $search, found through their search keys, ranked.
_FOUND: Final[LiteralString] = _rows.found("Company", "c", _COMPANY_WHERE)

# One page of those, with the total, in one round trip: sorted by $sort (a stored property or
# figure: graph/cypher/core/figures.py keeps the figures), after the search's rank.
_SORTED: Final[LiteralString] = """
WITH c, rank
WHERE ($minOurRelationships IS NULL OR c.ourRelationshipCount >= $minOurRelationships)
WITH c, rank,
     CASE $sort
       WHEN 'NAME' THEN c.name
       WHEN 'CREATED_AT' THEN c.createdAt
       WHEN 'OUR_RELATIONSHIP_COUNT' THEN c.ourRelationshipCount
       WHEN 'PEOPLE_COUNT' THEN c.peopleCount
     END AS sortKey
ORDER BY rank,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         c.id ASC
WITH collect(c) AS found
RETURN size(found) AS total, [c IN found[$skip..$end] | properties(c)] AS page
"""

COMPANY_PAGE: Final[LiteralString] = _EVERY_COMPANY + _SORTED
COMPANY_SEARCH: Final[LiteralString] = _FOUND + _SORTED

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
