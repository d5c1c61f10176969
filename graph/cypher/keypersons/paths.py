"""Ties for the path search (graph/keypersons/paths.py `meet_in_the_middle`).

The search asks, round by round, for the allowed ties of a few people in strength ranges:
`$requests` holds [person id, least strength, strength from which on the person's ties are
known already (null: none is)]. Each statement answers in one row of lists (the embedded
engine sends rows one by one): `found`, the people asked about who exist as [id, element id],
and `ties`, for each of them their ties as [tie id, person id, other person's id, other
person's element id, whether the person is the tie's start, tier, strength, other person's
stored `strongestTie`]. Element ids name people for a later meeting in the same transaction
only; the search asks no more about a person whose strongest tie is weaker than it needs.

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
  RETURN collect([k.id, id, q.id, elementId(q), startNode(k) = p, k.tier, k.strength,
                  q.strongestTie]) AS ties
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

# Our people (a current role at one of our companies), each as [id, element id, ties], with
# every tie of theirs as [tie id, other person's id, whether the person is the tie's start,
# tier, strength]: what the meetings of bestIntroductions ask for, kept in memory
# (graph/keypersons/introductions.py `our_ties`). The ties are collected in a subquery per
# person, as in PATH_TIES; naming the start by `startNode(k) = p` rather than reading both
# ends' ids halves the time (0.9 s against 1.6 s at 100,000 people, a thousand of ours).
OUR_TIES: Final[LiteralString] = """
MATCH (:Company {isOurs: true})<-[r:HOLDS_ROLE]-(p:Person)
WHERE r.endDate IS NULL OR r.endDate >= date()
WITH DISTINCT p
CALL (p) {
  MATCH (p)-[k:KNOWS]-(q:Person)
  RETURN collect([k.id, q.id, startNode(k) = p, k.tier, k.strength]) AS ties
}
RETURN collect([p.id, elementId(p), ties]) AS ours
"""

# The people with a current role at the company (key persons only, if asked).
PEOPLE_AT: Final[LiteralString] = """
MATCH (:Company {id: $companyId})<-[r:HOLDS_ROLE]-(p:Person)
WHERE (r.endDate IS NULL OR r.endDate >= date()) AND ($keyPersonsOnly = false OR r.isKeyPerson)
RETURN DISTINCT p.id AS id
"""

# The customers where a person holds a current role (none of ours): where a path to them may
# also run through reporting lines and colleagues.
PERSON_CUSTOMERS: Final[LiteralString] = """
MATCH (:Person {id: $personId})-[r:HOLDS_ROLE]->(c:Company)
WHERE (r.endDate IS NULL OR r.endDate >= date()) AND coalesce(c.isOurs, false) = false
RETURN collect(DISTINCT c.id) AS companyIds
"""

# Per customer in $companyIds: its current people as [id, element id] (element ids name them
# for a meeting of the same transaction, as in PATH_TIES) and the reporting lines among them
# as [report id, manager id] (graph/keypersons/introductions.py `Org`). `UNWIND … MATCH
# (c:Company {id: companyId})`: a look-up on a named value uses the index in the embedded
# engine (on a list element it scans).
CUSTOMER_ORG: Final[LiteralString] = """
UNWIND $companyIds AS companyId
MATCH (c:Company {id: companyId})
CALL (c) {
  OPTIONAL MATCH (c)<-[r:HOLDS_ROLE]-(p:Person)
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN collect(DISTINCT p) AS people
}
CALL (people) {
  UNWIND people AS report
  MATCH (report)-[:REPORTS_TO]->(manager:Person)
  WHERE manager IN people
  RETURN collect([report.id, manager.id]) AS lines
}
RETURN companyId, [p IN people | [p.id, elementId(p)]] AS people, lines
"""
