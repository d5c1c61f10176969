"""People: our staff and the customers' people.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

from graph.cypher.core import _rows

# The stored figures of people read without them (graph/cypher/core/figures.py); `fresh` is
# false where none are stored yet (the caller then counts them).
PEOPLE_FIGURES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN p.id AS id, p.strongestTie AS strongestTie, p.relationshipCount AS relationshipCount,
       p.relationshipCount IS NOT NULL AS fresh
"""

_PERSON_WHERE: Final[LiteralString] = """
($styles IS NULL OR p.communicationStyle IN $styles)
  AND ($companyId IS NULL OR EXISTS {
        (p)-[r:HOLDS_ROLE]->(:Company {id: $companyId})
        WHERE r.endDate IS NULL OR r.endDate >= date()
      })
"""

# Everyone who passes the filters, as `p` with `rank` 0.
_EVERYONE: Final[LiteralString] = (
    """
MATCH (p:Person)
WHERE """
    + _PERSON_WHERE
    + """WITH p, 0 AS rank
"""
)

# Those whose searchText contains $search, found through their search keys, ranked.
_FOUND: Final[LiteralString] = _rows.found("Person", "p", _PERSON_WHERE)

# One page of those, with the total, in one round trip: sorted by $sort (a stored property or
# figure: graph/cypher/core/figures.py keeps the figures), after the search's rank.
_SORTED: Final[LiteralString] = """
WITH p, rank
WHERE ($minStrongestTie IS NULL OR p.strongestTie >= $minStrongestTie)
WITH p, rank,
     CASE $sort
       WHEN 'NAME' THEN p.name
       WHEN 'CREATED_AT' THEN p.createdAt
       WHEN 'STRONGEST_TIE' THEN coalesce(p.strongestTie, -1.0)
       WHEN 'RELATIONSHIP_COUNT' THEN p.relationshipCount
     END AS sortKey
ORDER BY rank,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         p.id ASC
WITH collect(p) AS found
RETURN size(found) AS total, [p IN found[$skip..$end] | properties(p)] AS page
"""

# Everyone, in the engine's own order: what the kept sort orders (graph/core/people_order.py),
# which serve the pages of everyone, are tested against; at 100,000 people it reads and sorts
# every person (0.75-2.9 s).
PERSON_PAGE: Final[LiteralString] = _EVERYONE + _SORTED
PERSON_SEARCH: Final[LiteralString] = _FOUND + _SORTED

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

# What the people list's sort orders are built from (graph/core/people_order.py): every
# person's sort and filter fields, one list each, in one row (a list per person is read in
# 40% of the time rows take over Bolt: 5.9 s against 14.6 s at 100,000 people, loaded). The
# time created as nanoseconds since 1970: Python sorts 100,000 of the driver's DateTime in 5 s.
# (Engine quirk: `p.createdAt.epochSeconds` is null on the embedded engine; through
# `datetime(p.createdAt)` it is the stored value's, as on Neo4j.)
PEOPLE_ORDER_FIELDS: Final[LiteralString] = """
MATCH (p:Person)
RETURN collect([p.id, p.name,
                datetime(p.createdAt).epochSeconds * 1000000000
                  + datetime(p.createdAt).nanosecond,
                coalesce(p.strongestTie, -1.0), p.relationshipCount,
                p.communicationStyle]) AS people
"""

# The people of one company (a current role there), filtered and sorted as PERSON_PAGE: the
# walk starts at the company, not at every person.
PEOPLE_AT_COMPANY_PAGE: Final[LiteralString] = (
    """
MATCH (:Company {id: $companyId})<-[r:HOLDS_ROLE]-(p:Person)
WHERE (r.endDate IS NULL OR r.endDate >= date())
  AND ($styles IS NULL OR p.communicationStyle IN $styles)
WITH DISTINCT p, 0 AS rank
"""
    + _SORTED
)
