"""Roles: a person's position at a company (HOLDS_ROLE, person -> company).

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

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
