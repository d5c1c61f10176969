"""Roles: a person's position at a company (HOLDS_ROLE, person -> company)."""

from typing import Final, LiteralString

ROLES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person)-[r:HOLDS_ROLE {id: id}]->(c:Company)
RETURN r {.*, personId: p.id, companyId: c.id} AS role
"""

# Key persons first, then by name; past roles only when asked for.
ROLES_FOR_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (c:Company {id: key})<-[r:HOLDS_ROLE]-(p:Person)
WHERE $includePast OR r.endDate IS NULL OR r.endDate >= date()
RETURN key, r {.*, personId: p.id, companyId: c.id} AS role
ORDER BY key, coalesce(r.isKeyPerson, false) DESC, p.name, r.id
"""

# Current roles first, then the most recent.
ROLES_FOR_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (p:Person {id: key})-[r:HOLDS_ROLE]->(c:Company)
WHERE $includePast OR r.endDate IS NULL OR r.endDate >= date()
RETURN key, r {.*, personId: p.id, companyId: c.id} AS role
ORDER BY key, coalesce(r.endDate, date('9999-12-31')) DESC, r.startDate DESC, r.id
"""

ROLE_PAGE: Final[LiteralString] = """
MATCH (p:Person)-[r:HOLDS_ROLE]->(c:Company)
WHERE ($companyId IS NULL OR c.id = $companyId)
  AND ($personId IS NULL OR p.id = $personId)
  AND ($includePast OR r.endDate IS NULL OR r.endDate >= date())
  AND ($keyPersonsOnly = false OR r.isKeyPerson = true)
  AND ($buyingRoles IS NULL OR r.buyingRole IN $buyingRoles)
WITH p, r, c ORDER BY c.name, p.name, r.id
WITH collect(r {.*, personId: p.id, companyId: c.id}) AS roles
RETURN size(roles) AS total, roles[$skip..$end] AS page
"""

ROLE_PROPS: Final[LiteralString] = """
MATCH (p:Person)-[r:HOLDS_ROLE {id: $id}]->(c:Company)
RETURN properties(r) AS props, p.id AS fromId, c.id AS toId
"""

# The same, for a write: the write lock first (a property written to itself), so that
# a concurrent write to it waits, or conflicts and is retried, instead of being lost.
ROLE_PROPS_LOCKED: Final[LiteralString] = """
MATCH (p:Person)-[r:HOLDS_ROLE {id: $id}]->(c:Company)
SET r.id = r.id
RETURN properties(r) AS props, p.id AS fromId, c.id AS toId
"""

ROLE_PROPS_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (p:Person)-[r:HOLDS_ROLE {externalId: $externalId}]->(c:Company)
RETURN properties(r) AS props, p.id AS fromId, c.id AS toId
"""

ROLE_ENDPOINTS: Final[LiteralString] = """
OPTIONAL MATCH (p:Person {id: $fromId})
OPTIONAL MATCH (c:Company {id: $toId})
RETURN p IS NOT NULL AS fromFound, c IS NOT NULL AS toFound
"""

ROLE_CREATE: Final[LiteralString] = """
MATCH (p:Person {id: $fromId})
MATCH (c:Company {id: $toId})
CREATE (p)-[r:HOLDS_ROLE]->(c) SET r += $props
RETURN r.id AS id
"""

ROLE_SET: Final[LiteralString] = """
MATCH (:Person)-[r:HOLDS_ROLE {id: $id}]->(:Company) SET r += $props RETURN r.id AS id
"""

ROLE_DELETE: Final[LiteralString] = """
MATCH (:Person)-[r:HOLDS_ROLE {id: $id}]->(:Company) DELETE r
"""
