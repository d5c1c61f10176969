"""Person-to-person relationships (KNOWS), read in either direction.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

# Strongest first. One row per key: `relationships`, a list of [relationship, the other
# person's properties or null], the other person only when `$withEnds` (so that naming them
# costs no second round trip). A list, not a row per relationship: the driver takes about
# 50 us a row (docs/ARCHITECTURE.md). Collected in a subquery from the key's node, found at the
# top (a look-up by id inside the subquery would scan).
RELATIONSHIPS_FOR_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (p:Person {id: key})
CALL (p) {
  MATCH (p)-[k:KNOWS]-(q:Person)
  WITH k, q ORDER BY k.strength DESC, k.id
  RETURN collect([
    k {.*, fromId: startNode(k).id, toId: endNode(k).id},
    CASE WHEN $withEnds THEN properties(q) END
  ]) AS relationships
}
RETURN key, relationships
"""

# The filters and the order of a page of relationships, after `k` is bound.
_PAGE_OF: Final[LiteralString] = """
WHERE ($tiers IS NULL OR k.tier IN $tiers)
  AND ($levels IS NULL OR k.level IN $levels)
  AND ($minStrength IS NULL OR k.strength >= $minStrength)
WITH k,
     CASE $sort
       WHEN 'STRENGTH' THEN k.strength
       WHEN 'UPDATED_AT' THEN k.updatedAt
       WHEN 'SINCE' THEN k.since
     END AS sortKey
ORDER BY sortKey IS NULL,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         k.id ASC
WITH collect(k {.*, fromId: startNode(k).id, toId: endNode(k).id}) AS relationships
RETURN size(relationships) AS total, relationships[$skip..$end] AS page
"""

# Every relationship.
RELATIONSHIP_PAGE: Final[LiteralString] = (
    """
MATCH (:Person)-[k:KNOWS]->(:Person)
"""
    + _PAGE_OF
)

# One person's, from the person found by id (a filter on either end's id would scan every
# relationship: 3.3 s at 100,000 people and 1.4M relationships).
RELATIONSHIP_PAGE_OF_PERSON: Final[LiteralString] = (
    """
MATCH (:Person {id: $personId})-[k:KNOWS]-(:Person)
"""
    + _PAGE_OF
)
