"""Company-to-company relationships (DOES_BUSINESS_WITH), read in either direction."""

from typing import Final, LiteralString

COMPANY_RELATIONSHIPS_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Company)-[b:DOES_BUSINESS_WITH {id: id}]->(z:Company)
RETURN b {.*, fromId: a.id, toId: z.id} AS relationship
"""

# COMPANY_RELATIONSHIPS_BY_ID in the column a write reads back
COMPANY_RELATIONSHIP_READ_BACK: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Company)-[b:DOES_BUSINESS_WITH {id: id}]->(z:Company)
RETURN b {.*, fromId: a.id, toId: z.id} AS edge
"""

COMPANY_RELATIONSHIPS_FOR_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (c:Company {id: key})-[b:DOES_BUSINESS_WITH]-(:Company)
RETURN key, b {.*, fromId: startNode(b).id, toId: endNode(b).id} AS relationship
ORDER BY key, b.strength DESC, b.id
"""

COMPANY_RELATIONSHIP_PAGE: Final[LiteralString] = """
MATCH (a:Company)-[b:DOES_BUSINESS_WITH]->(z:Company)
WHERE ($companyId IS NULL OR a.id = $companyId OR z.id = $companyId)
  AND ($tiers IS NULL OR b.tier IN $tiers)
  AND ($stages IS NULL OR b.lifecycleStage IN $stages)
  AND ($minStrength IS NULL OR b.strength >= $minStrength)
WITH a, b, z ORDER BY b.strength DESC, b.id
WITH collect(b {.*, fromId: a.id, toId: z.id}) AS relationships
RETURN size(relationships) AS total, relationships[$skip..$end] AS page
"""

COMPANY_RELATIONSHIP_PROPS: Final[LiteralString] = """
MATCH (a:Company)-[b:DOES_BUSINESS_WITH {id: $id}]->(z:Company)
RETURN properties(b) AS props, a.id AS fromId, z.id AS toId
"""

# The same, for a write: the write lock first (a property written to itself), so that
# a concurrent write to it waits, or conflicts and is retried, instead of being lost.
COMPANY_RELATIONSHIP_PROPS_LOCKED: Final[LiteralString] = """
MATCH (a:Company)-[b:DOES_BUSINESS_WITH {id: $id}]->(z:Company)
SET b.id = b.id
RETURN properties(b) AS props, a.id AS fromId, z.id AS toId
"""

COMPANY_RELATIONSHIP_PROPS_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (a:Company)-[b:DOES_BUSINESS_WITH {externalId: $externalId}]->(z:Company)
RETURN properties(b) AS props, a.id AS fromId, z.id AS toId
"""

COMPANY_RELATIONSHIP_ENDPOINTS: Final[LiteralString] = """
OPTIONAL MATCH (a:Company {id: $fromId})
OPTIONAL MATCH (z:Company {id: $toId})
RETURN a IS NOT NULL AS fromFound, z IS NOT NULL AS toFound
"""

COMPANY_RELATIONSHIP_BETWEEN: Final[LiteralString] = """
MATCH (:Company {id: $fromId})-[b:DOES_BUSINESS_WITH]-(:Company {id: $toId})
RETURN b.id AS id LIMIT 1
"""

COMPANY_RELATIONSHIP_CREATE: Final[LiteralString] = """
MATCH (a:Company {id: $fromId})
MATCH (z:Company {id: $toId})
CREATE (a)-[b:DOES_BUSINESS_WITH]->(z) SET b += $props
RETURN b.id AS id
"""

# every change counts up the version (absent: 1, as created) that expectedVersion checks
COMPANY_RELATIONSHIP_SET: Final[LiteralString] = """
MATCH (:Company)-[b:DOES_BUSINESS_WITH {id: $id}]->(:Company)
SET b += $props, b.version = coalesce(b.version, 1) + 1
RETURN b.id AS id
"""


COMPANY_RELATIONSHIP_DELETE: Final[LiteralString] = """
MATCH (:Company)-[b:DOES_BUSINESS_WITH {id: $id}]->(:Company) DELETE b
"""
