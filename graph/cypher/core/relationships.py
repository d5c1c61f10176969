"""Person-to-person relationships (KNOWS), read in either direction."""

from typing import Final, LiteralString

RELATIONSHIPS_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Person)-[k:KNOWS {id: id}]->(b:Person)
RETURN k {.*, fromId: a.id, toId: b.id} AS relationship
"""

# RELATIONSHIPS_BY_ID in the column a write reads back (graph/writes.update_versioned_edge)
RELATIONSHIP_READ_BACK: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Person)-[k:KNOWS {id: id}]->(b:Person)
RETURN k {.*, fromId: a.id, toId: b.id} AS edge
"""

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

RELATIONSHIP_PROPS: Final[LiteralString] = """
MATCH (a:Person)-[k:KNOWS {id: $id}]->(b:Person)
RETURN properties(k) AS props, a.id AS fromId, b.id AS toId
"""

# The same, for a write: the write lock first (a property written to itself), so that
# a concurrent write to it waits, or conflicts and is retried, instead of being lost.
RELATIONSHIP_PROPS_LOCKED: Final[LiteralString] = """
MATCH (a:Person)-[k:KNOWS {id: $id}]->(b:Person)
SET k.id = k.id
RETURN properties(k) AS props, a.id AS fromId, b.id AS toId
"""

RELATIONSHIP_PROPS_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (a:Person)-[k:KNOWS {externalId: $externalId}]->(b:Person)
RETURN properties(k) AS props, a.id AS fromId, b.id AS toId
"""

RELATIONSHIP_ENDPOINTS: Final[LiteralString] = """
OPTIONAL MATCH (a:Person {id: $fromId})
OPTIONAL MATCH (b:Person {id: $toId})
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound
"""

RELATIONSHIP_BETWEEN: Final[LiteralString] = """
MATCH (:Person {id: $fromId})-[k:KNOWS]-(:Person {id: $toId}) RETURN k.id AS id LIMIT 1
"""

RELATIONSHIP_CREATE: Final[LiteralString] = """
MATCH (a:Person {id: $fromId})
MATCH (b:Person {id: $toId})
CREATE (a)-[k:KNOWS]->(b) SET k += $props
RETURN k.id AS id
"""

# every change counts up the version (absent: 1, as created) that expectedVersion checks
RELATIONSHIP_SET: Final[LiteralString] = """
MATCH (:Person)-[k:KNOWS {id: $id}]->(:Person)
SET k += $props, k.version = coalesce(k.version, 1) + 1
RETURN k.id AS id
"""


RELATIONSHIP_DELETE: Final[LiteralString] = """
MATCH (:Person)-[k:KNOWS {id: $id}]->(:Person) DELETE k
"""
