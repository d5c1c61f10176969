"""The call plan's reads (graph/keypersons/callplan.py)."""

from typing import Final, LiteralString

# The customer's name and value class, and the recorded states of these ties (our ties with
# its people, as the key-person map read them) as [tie id, times (ms), the JSON after each
# change] (graph/core/history.py); no row when the company is gone. The ties are read first:
# `UNWIND $ids AS id MATCH (h:History {subjectId: id})` at the top uses the index in the
# embedded engine, which a look-up inside a subquery does not (see ORG_CHART_AS_OF); over no
# ids, the collect still gives one row.
CALL_PLAN_HISTORIES: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (h:History {subjectId: id})
WITH collect([id, h.at, h.state]) AS histories
MATCH (c:Company {id: $companyId})
RETURN c.name AS name, c.valueClass AS valueClass, histories
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
