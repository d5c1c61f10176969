"""Whole-database statements for tests and the seed command."""

from typing import Final, LiteralString

DELETE_EVERYTHING: Final[LiteralString] = "MATCH (n) DETACH DELETE n"

# The business graph's nodes and edges; the change log, its time index, import marks, API
# tokens and idempotency keys are not counted.
COUNT_NODES_AND_EDGES: Final[LiteralString] = """
CALL () {
  MATCH (n)
  WHERE NOT n:Change AND NOT n:History AND NOT n:Import AND NOT n:ApiToken
    AND NOT n:IdempotencyKey
  RETURN count(n) AS nodes
}
CALL () { MATCH ()-[r]->() WHERE type(r) <> 'CONCERNS' RETURN count(r) AS edges }
RETURN nodes, edges
"""

COUNT_CHANGES: Final[LiteralString] = """
MATCH (ch:Change) RETURN count(ch) AS changes
"""

# Deliberately slow (a $n x $n cross product): proves in the tests that the transaction timeout
# stops a statement inside the database. Never run by the app.
SLOW_CROSS_PRODUCT: Final[LiteralString] = """
UNWIND range(1, $n) AS a UNWIND range(1, $n) AS b RETURN count(*) AS rows
"""

# the readiness probe: the database answers a statement
PING: Final[LiteralString] = "RETURN 1 AS ok"
