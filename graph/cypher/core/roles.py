"""Roles: a person's position at a company (HOLDS_ROLE, person -> company).

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

# One row per key: `roles`, a list of [role, the other end's properties or null], the end only
# when `$withEnds` (so that naming the people, or companies, costs no second round trip).
# Rows are sent one by one (docs/ARCHITECTURE.md): at 100,000 people, the 1,011 current roles
# of 20 customers took 190-370 ms as rows and their people 150-440 ms more by id; collected
# per company, 110-160 ms, and 200-400 ms with the people (a loaded 2-core machine). The roles
# are collected in a subquery from the key's node, found at the top (a look-up by id inside
# the subquery would scan).

# Key persons first, then by name; past roles only when asked for.
ROLES_FOR_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (c:Company {id: key})
CALL (c) {
  MATCH (c)<-[r:HOLDS_ROLE]-(p:Person)
  WHERE $includePast OR r.endDate IS NULL OR r.endDate >= date()
  WITH c, r, p ORDER BY coalesce(r.isKeyPerson, false) DESC, p.name, r.id
  RETURN collect([
    r {.*, personId: p.id, companyId: c.id},
    CASE WHEN $withEnds THEN properties(p) END
  ]) AS roles
}
RETURN key, roles
"""

# Current roles first, then the most recent.
ROLES_FOR_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (p:Person {id: key})
CALL (p) {
  MATCH (p)-[r:HOLDS_ROLE]->(c:Company)
  WHERE $includePast OR r.endDate IS NULL OR r.endDate >= date()
  WITH p, r, c ORDER BY coalesce(r.endDate, date('9999-12-31')) DESC, r.startDate DESC, r.id
  RETURN collect([
    r {.*, personId: p.id, companyId: c.id},
    CASE WHEN $withEnds THEN properties(c) END
  ]) AS roles
}
RETURN key, roles
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
