"""Whole-database statements for tests and the seed command."""

from typing import Final, LiteralString

DELETE_EVERYTHING: Final[LiteralString] = "MATCH (n) DETACH DELETE n"

# The business graph's nodes and edges; the change log, its time index, import marks, API
# tokens, idempotency keys, the archives of deleted items and the change feed are not counted.
COUNT_NODES_AND_EDGES: Final[LiteralString] = """
CALL () {
  MATCH (n)
  WHERE NOT n:Change AND NOT n:History AND NOT n:Import AND NOT n:ApiToken
    AND NOT n:IdempotencyKey AND NOT n:DeletedItem AND NOT n:SearchKey AND NOT n:Upgrade
    AND NOT n:FeedEntry AND NOT n:FeedHead
  RETURN count(n) AS nodes
}
CALL () {
  MATCH ()-[r]->() WHERE NOT type(r) IN ['CONCERNS', 'ARCHIVED', 'KEY_OF'] RETURN count(r) AS edges
}
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

# Every node and edge with its labels or type and all its properties, for tests comparing the
# whole database's content (tests/snapshot.py): after a backup and restore, around an import,
# before a delete and after its restore.
ALL_NODES: Final[LiteralString] = """
MATCH (n) RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props
"""
ALL_EDGES: Final[LiteralString] = """
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
"""

# Two probe nodes and an edge holding every kind of value a row can carry, and a read of them
# in every shape (nodes, edges, lists and maps of them, projections, temporal values): the
# tests compare `Graph.read`'s rows with the driver's `Record.data()` (tests/db/test_rows.py).
ROW_PROBE_CREATE: Final[LiteralString] = """
CREATE (a:RowProbe {name: 'a', born: date('2020-01-02'),
                    at: localdatetime('2021-02-03T04:05:06.789')})
CREATE (b:RowProbe {name: 'b', tags: ['x', 'y']})
CREATE (a)-[:ROW_PROBE {weight: 0.5}]->(b)
"""

ROW_PROBE_READ: Final[LiteralString] = """
MATCH (a:RowProbe {name: 'a'})-[k:ROW_PROBE]->(b:RowProbe)
RETURN a, k, [a, b] AS nodes, [k] AS edges,
       {node: b, values: [1, 'x', null, [2.5, true]], at: a.at, born: a.born} AS nested,
       a {.*} AS projected, b {.*, friend: a} AS projectedWithNode,
       a.at AS at, 'text' AS text, 7 AS number, null AS nothing, [] AS empty, {} AS none
"""

# Timestamps in the forms stored or written (a driver parameter with and without an offset, to
# the nanosecond; datetime() with a named zone, with Z; localdatetime()), each read as the
# driver's value and as toString() gives it (tests/core/test_temporal.py: both convert to the
# same instant, as the key-person map's statement relies on).
TIMESTAMP_PROBE_CREATE: Final[LiteralString] = """
UNWIND $stamps AS stamp
CREATE (:TimestampProbe {at: stamp})
WITH count(*) AS created
CREATE (:TimestampProbe {at: datetime('2024-07-01T12:00:00.5+02:00[Europe/Berlin]')})
CREATE (:TimestampProbe {at: datetime('2024-01-02T03:04:05Z')})
CREATE (:TimestampProbe {at: datetime()})
CREATE (:TimestampProbe {at: localdatetime('2024-01-02T03:04:05.5')})
"""

TIMESTAMP_PROBE_READ: Final[LiteralString] = """
MATCH (t:TimestampProbe)
RETURN t.at AS at, toString(t.at) AS text, t {.*, at: toString(t.at)} AS projected
"""

# The names of the indexes (a uniqueness rule's among them) and of the uniqueness rules
# (tests: a first load builds again what it lifted).
INDEX_NAMES: Final[LiteralString] = """
SHOW INDEXES YIELD name
RETURN collect(name) AS names
"""
CONSTRAINT_NAMES: Final[LiteralString] = """
SHOW CONSTRAINTS YIELD name
RETURN collect(name) AS names
"""
