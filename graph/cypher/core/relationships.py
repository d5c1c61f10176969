"""Person-to-person relationships (KNOWS), read in either direction.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

# Strongest first.
RELATIONSHIPS_FOR_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (p:Person {id: key})-[k:KNOWS]-(:Person)
RETURN key, k {.*, fromId: startNode(k).id, toId: endNode(k).id} AS relationship
ORDER BY key, k.strength DESC, k.id
"""

RELATIONSHIP_PAGE: Final[LiteralString] = """
MATCH (a:Person)-[k:KNOWS]->(b:Person)
WHERE ($personId IS NULL OR a.id = $personId OR b.id = $personId)
  AND ($tiers IS NULL OR k.tier IN $tiers)
  AND ($levels IS NULL OR k.level IN $levels)
  AND ($minStrength IS NULL OR k.strength >= $minStrength)
WITH a, k, b,
     CASE $sort
       WHEN 'STRENGTH' THEN k.strength
       WHEN 'UPDATED_AT' THEN k.updatedAt
       WHEN 'SINCE' THEN k.since
     END AS sortKey
ORDER BY sortKey IS NULL,
         CASE WHEN $descending THEN sortKey END DESC,
         CASE WHEN NOT $descending THEN sortKey END ASC,
         k.id ASC
WITH collect(k {.*, fromId: a.id, toId: b.id}) AS relationships
RETURN size(relationships) AS total, relationships[$skip..$end] AS page
"""
