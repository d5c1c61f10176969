"""Company-to-company relationships (DOES_BUSINESS_WITH), read in either direction.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

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
