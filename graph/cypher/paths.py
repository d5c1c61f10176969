"""Neighbourhoods for the path search: every allowed tie touching the people within a few
hops of the seeds. Variable-length bounds cannot be parameters, so there is one statement
per depth."""

from typing import Final, LiteralString

_EDGE: Final[LiteralString] = """
MATCH (x)-[k:KNOWS]-(:Person)
WHERE k.tier IN $tiers AND k.strength > 0
RETURN DISTINCT k.id AS id, startNode(k).id AS a, endNode(k).id AS b,
       k.tier AS tier, k.strength AS strength
"""

# Ties touching the seeds themselves.
TIES_AROUND_0: Final[LiteralString] = (
    """
UNWIND $seeds AS seed
MATCH (x:Person {id: seed})
WITH DISTINCT x
"""
    + _EDGE
)

TIES_AROUND_1: Final[LiteralString] = (
    """
UNWIND $seeds AS seed
MATCH (:Person {id: seed})-[near:KNOWS*0..1]-(x:Person)
WHERE all(k IN near WHERE k.tier IN $tiers AND k.strength > 0)
WITH DISTINCT x
"""
    + _EDGE
)

TIES_AROUND_2: Final[LiteralString] = (
    """
UNWIND $seeds AS seed
MATCH (:Person {id: seed})-[near:KNOWS*0..2]-(x:Person)
WHERE all(k IN near WHERE k.tier IN $tiers AND k.strength > 0)
WITH DISTINCT x
"""
    + _EDGE
)

TIES_AROUND_3: Final[LiteralString] = (
    """
UNWIND $seeds AS seed
MATCH (:Person {id: seed})-[near:KNOWS*0..3]-(x:Person)
WHERE all(k IN near WHERE k.tier IN $tiers AND k.strength > 0)
WITH DISTINCT x
"""
    + _EDGE
)

TIES_AROUND: Final[tuple[LiteralString, ...]] = (
    TIES_AROUND_0,
    TIES_AROUND_1,
    TIES_AROUND_2,
    TIES_AROUND_3,
)

# Of these people, those with a current role at one of our companies.
OURS_AMONG: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[r:HOLDS_ROLE]->(:Company {isOurs: true})
WHERE r.endDate IS NULL OR r.endDate >= date()
RETURN DISTINCT p.id AS id
"""

# The people with a current role at the company (key persons only, if asked).
PEOPLE_AT: Final[LiteralString] = """
MATCH (:Company {id: $companyId})<-[r:HOLDS_ROLE]-(p:Person)
WHERE (r.endDate IS NULL OR r.endDate >= date()) AND ($keyPersonsOnly = false OR r.isKeyPerson)
RETURN DISTINCT p.id AS id
"""
