"""Rows as `Graph.read` gives them: what the driver's `Record.data()` makes of the same records
(`Tx.run` converts the common values itself, faster, and leaves the rest to `Record.data()`)."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.db.connection import Graph

CREATE: LiteralString = """
CREATE (a:RowProbe {name: 'a', born: date('2020-01-02'),
                    at: localdatetime('2021-02-03T04:05:06.789')})
CREATE (b:RowProbe {name: 'b', tags: ['x', 'y']})
CREATE (a)-[:ROW_PROBE {weight: 0.5}]->(b)
"""

READ: LiteralString = """
MATCH (a:RowProbe {name: 'a'})-[k:ROW_PROBE]->(b:RowProbe)
RETURN a, k, [a, b] AS nodes, [k] AS edges,
       {node: b, values: [1, 'x', null, [2.5, true]], at: a.at, born: a.born} AS nested,
       a {.*} AS projected, b {.*, friend: a} AS projectedWithNode,
       a.at AS at, 'text' AS text, 7 AS number, null AS nothing, [] AS empty, {} AS none
"""


def _driver_rows(graph: Graph, query: LiteralString) -> list[dict[str, Any]]:
    with graph.driver.session(database=graph.database) as session:
        return [record.data() for record in session.run(query)]


def test_rows_are_what_record_data_makes(graph: Graph) -> None:
    graph.write(CREATE)
    rows = graph.read(READ)
    assert rows == _driver_rows(graph, READ)
    [row] = rows
    # the nodes and relationships went through Record.data(): their properties, as dicts
    assert row["a"]["name"] == "a" and row["nodes"][1]["tags"] == ["x", "y"]
    assert row["nested"]["node"] == {"name": "b", "tags": ["x", "y"]}
    assert row["projectedWithNode"]["friend"]["name"] == "a"
    assert row["nested"]["values"] == [1, "x", None, [2.5, True]]
    assert list(row) == [
        "a",
        "k",
        "nodes",
        "edges",
        "nested",
        "projected",
        "projectedWithNode",
        "at",
        "text",
        "number",
        "nothing",
        "empty",
        "none",
    ]
