"""Ties for the path search (graph/keypersons/paths.py `meet_in_the_middle`).

The search asks, round by round, for the allowed ties of a few people in strength ranges:
`$requests` holds [person id, least strength, strength from which on the person's ties are
known already (null: none is)]. Each statement answers in one row of lists (the embedded
engine sends rows one by one): `found`, the people asked about who exist as [id, element id],
and `ties`, for each of them their ties as [tie id, person id, other person's id, other
person's element id, whether the person is the tie's start, tier, strength]. Element ids
name people for a later meeting in the same transaction only.

The older statements further down pull whole neighbourhoods; the benchmark's "bare" column
still measures them.
"""

from typing import Final, LiteralString

# `WITH request[0] AS id` before the look-up: a look-up on a list element scans in the
# embedded engine, one on a named value uses the index. The ties are collected in a subquery
# per person: as an OPTIONAL MATCH the engine took two to three times as long.
_REQUESTED: Final[LiteralString] = """
UNWIND $requests AS request
WITH request[0] AS id, request[1] AS low, request[2] AS below
MATCH (p:Person {id: id})
CALL (p, id, low, below) {
  MATCH (p)-[k:KNOWS]-(q:Person)
  WHERE """

_IN_RANGE: Final[LiteralString] = """k.tier IN $tiers AND k.strength > 0 AND k.strength >= low
    AND (below IS NULL OR k.strength < below)"""

_ANSWER: Final[LiteralString] = """
  RETURN collect([k.id, id, q.id, elementId(q), startNode(k) = p, k.tier, k.strength]) AS ties
}
RETURN collect([id, elementId(p)]) AS found, collect(ties) AS ties
"""

# The ties of the people asked about, in their strength ranges.
PATH_TIES: Final[LiteralString] = _REQUESTED + _IN_RANGE + _ANSWER

# The same, of those only the ties to people in `$meet` (a map whose keys are their element
# ids). The engine reads a tie only once the other end is found in the map, which costs
# little: the CASE keeps that order (with AND it reads every tie first, and most lead
# elsewhere).
MEETING_TIES: Final[LiteralString] = (
    _REQUESTED
    + "CASE WHEN $meet[elementId(q)] IS NULL THEN false\n    ELSE "
    + _IN_RANGE
    + " END"
    + _ANSWER
)

# Our people (a current role at one of our companies), as [id, element id].
OUR_PEOPLE: Final[LiteralString] = """
MATCH (:Company {isOurs: true})<-[r:HOLDS_ROLE]-(p:Person)
WHERE r.endDate IS NULL OR r.endDate >= date()
RETURN collect(DISTINCT [p.id, elementId(p)]) AS ours
"""

# The people with a current role at the company (key persons only, if asked).
PEOPLE_AT: Final[LiteralString] = """
MATCH (:Company {id: $companyId})<-[r:HOLDS_ROLE]-(p:Person)
WHERE (r.endDate IS NULL OR r.endDate >= date()) AND ($keyPersonsOnly = false OR r.isKeyPerson)
RETURN DISTINCT p.id AS id
"""

# Whole neighbourhoods, as the search fetched them before: every allowed tie touching the
# people within a few hops of the seeds (one statement per depth), and which people are ours.
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

# For a path of at most h hops between two people, in one row: the two people's properties
# (null for one not found), every allowed tie touching the people within ceil(h/2) - 1 hops of
# the start (`near` paths) or floor(h/2) - 1 hops of the end (at least 0), grouped by their
# other end, and the properties of everyone who can lie on such a path: those near people, and
# the others tied to people near both ends (`middle`). One statement per pair of depths.
_NEIGHBOURHOOD_START: Final[LiteralString] = """
OPTIONAL MATCH (a:Person {id: $fromId})
OPTIONAL MATCH (b:Person {id: $toId})
CALL (a) {
  WITH a WHERE a IS NOT NULL
  MATCH (a)-[near:KNOWS*0.."""

_NEIGHBOURHOOD_MIDDLE: Final[LiteralString] = """]-(x:Person)
  WHERE all(k IN near WHERE k.tier IN $tiers AND k.strength > 0)
  RETURN collect(DISTINCT x) AS fromSide
}
CALL (b) {
  WITH b WHERE b IS NOT NULL
  MATCH (b)-[near:KNOWS*0.."""

_NEIGHBOURHOOD_END: Final[LiteralString] = """]-(x:Person)
  WHERE all(k IN near WHERE k.tier IN $tiers AND k.strength > 0)
  RETURN collect(DISTINCT x) AS toSide
}
CALL (fromSide, toSide) {
  UNWIND [x IN fromSide | [x, 1]] + [x IN toSide | [x, 2]] AS near
  WITH near[0] AS x, near[1] AS side
  MATCH (x)-[k:KNOWS]-(y:Person)
  WHERE k.tier IN $tiers AND k.strength > 0
  WITH y, min(side) AS low, max(side) AS high,
       collect([k.id, startNode(k).id, endNode(k).id, k.tier, k.strength]) AS ties
  RETURN collect(ties) AS ties, collect(CASE WHEN low < high THEN properties(y) END) AS middle
}
RETURN properties(a) AS source, properties(b) AS target, ties,
       [x IN fromSide + toSide | properties(x)] AS near, middle
"""

# By maxHops - 1: the depths around the start and the end are ((h + 1) // 2 - 1, h // 2 - 1),
# the end's at least 0.
INTRODUCTION_NEIGHBOURHOOD: Final[tuple[LiteralString, ...]] = (
    _NEIGHBOURHOOD_START + "0" + _NEIGHBOURHOOD_MIDDLE + "0" + _NEIGHBOURHOOD_END,
    _NEIGHBOURHOOD_START + "0" + _NEIGHBOURHOOD_MIDDLE + "0" + _NEIGHBOURHOOD_END,
    _NEIGHBOURHOOD_START + "1" + _NEIGHBOURHOOD_MIDDLE + "0" + _NEIGHBOURHOOD_END,
    _NEIGHBOURHOOD_START + "1" + _NEIGHBOURHOOD_MIDDLE + "1" + _NEIGHBOURHOOD_END,
    _NEIGHBOURHOOD_START + "2" + _NEIGHBOURHOOD_MIDDLE + "1" + _NEIGHBOURHOOD_END,
    _NEIGHBOURHOOD_START + "2" + _NEIGHBOURHOOD_MIDDLE + "2" + _NEIGHBOURHOOD_END,
)

# Of these people, those with a current role at one of our companies.
OURS_AMONG: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[r:HOLDS_ROLE]->(:Company {isOurs: true})
WHERE r.endDate IS NULL OR r.endDate >= date()
RETURN DISTINCT p.id AS id
"""
