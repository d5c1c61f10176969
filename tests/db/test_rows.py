"""Rows as `Graph.read` gives them: what the driver's `Record.data()` makes of the same records
(`Tx.run` converts the common values itself, faster, and leaves the rest to `Record.data()`)."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.cypher.db import admin
from graph.db.connection import Graph

CREATE, READ = admin.ROW_PROBE_CREATE, admin.ROW_PROBE_READ


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
