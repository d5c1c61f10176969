"""What a credential scoped to account teams may see (graph/auth/scope.py).

A company is in scope when it is ours or one of its `teams` is the credential's; a person when
they hold (or held) a role at a company in scope. Both are read whole and kept (graph/db/cache.py):
a page of 20 then needs no statement of its own to be filtered.
"""

from typing import Final, LiteralString

VISIBLE_COMPANIES: Final[LiteralString] = """
MATCH (c:Company)
WHERE c.isOurs = true OR any(team IN coalesce(c.teams, []) WHERE team IN $teams)
RETURN c.id AS id
"""

# From each company in scope to the people who hold roles there (one row per company: the
# rows are sent one by one, docs/ARCHITECTURE.md).
VISIBLE_PEOPLE: Final[LiteralString] = """
MATCH (c:Company)
WHERE c.isOurs = true OR any(team IN coalesce(c.teams, []) WHERE team IN $teams)
CALL (c) {
  MATCH (c)<-[:HOLDS_ROLE]-(p:Person)
  RETURN collect(DISTINCT p.id) AS people
}
RETURN people
"""
