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

# Customers' teams set in bulk, without recording a change (benchmarks/teams.py sets up its
# graph with it; the API's updateCompany records the change). `key` is a plain variable: a
# look-up by `row.id` would scan (docs/ARCHITECTURE.md, "Engine quirks").
ASSIGN_TEAMS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row[0] AS key, row[1] AS teams
MATCH (c:Company {id: key})
SET c.teams = teams
RETURN count(c) AS assigned
"""

# Each person's ties as [the other person's id, strength], for the figures a scoped credential
# sees (`strongestTie`, `relationshipCount` counted over the ties with people it sees).
PEOPLE_TIES: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (p:Person {id: key})
CALL (p) {
  MATCH (p)-[k:KNOWS]-(o:Person)
  RETURN collect([o.id, k.strength]) AS ties
}
RETURN key, ties
"""
