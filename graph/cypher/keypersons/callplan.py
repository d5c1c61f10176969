"""The call plan's reads (graph/keypersons/callplan.py)."""

from typing import Final, LiteralString

# The customer's name and value class, and every tie our current people hold with its current
# people, as [tie id, their person's id, our person's id, tier, strength, strengthRaw,
# strengthAtMs, createdAt, lastInteractionAtMs]: what the strength model needs to tell the
# strength now (graph/evolution/strength.py). A MATCH inside the subquery (not OPTIONAL): no
# tie gives an empty list, where an OPTIONAL MATCH would collect one list of nulls.
CALL_PLAN_TIES: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  MATCH (c)<-[r:HOLDS_ROLE]-(p:Person)-[k:KNOWS]-(o:Person)
        -[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE (r.endDate IS NULL OR r.endDate >= date())
    AND (ours.endDate IS NULL OR ours.endDate >= date())
  RETURN collect(DISTINCT [k.id, p.id, o.id, k.tier, k.strength, k.strengthRaw,
                           k.strengthAtMs, toString(k.createdAt), k.lastInteractionAtMs])
         AS ties
}
RETURN c.name AS name, c.valueClass AS valueClass, ties
"""

# The recorded states of these ties: the times (ms) and the JSON after each change
# (graph/core/history.py). `UNWIND $ids AS id MATCH (h:History {subjectId: id})`: the look-up
# on a named value uses the index in the embedded engine.
TIE_HISTORIES: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (h:History {subjectId: id})
RETURN id, h.at AS at, h.state AS states
"""

# The strength model's state of the relationship hops of some paths, each asked as [one end's
# id, tie id]: [tie id, strength, strengthRaw, strengthAtMs, createdAt]. An edge is found from
# an end (no index serves an edge's own properties): the end's look-up by a named value uses
# the index in the embedded engine, then its ties are few.
HOP_STATES: Final[LiteralString] = """
UNWIND $hops AS hop
WITH hop[0] AS personId, hop[1] AS tieId
MATCH (:Person {id: personId})-[k:KNOWS]-(:Person)
WHERE k.id = tieId
RETURN collect(DISTINCT [k.id, k.strength, k.strengthRaw, k.strengthAtMs,
                         toString(k.createdAt)]) AS hops
"""
