"""The whole content of a database as comparable values, independent of internal ids."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from graph.cypher.db import admin
from graph.db.connection import Graph


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "to_native"):
        value = value.to_native()
    return value


def _frozen(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _plain(v)) for k, v in props.items()))


@dataclass(frozen=True)
class Snapshot:
    """Each node as (labels, properties) and each edge as (type, start node, end node,
    properties), counted (a multiset), leaving out nodes with an `ignored` label and their
    edges."""

    nodes: Counter[Any]
    edges: Counter[Any]

    def missing_from(self, other: Snapshot) -> tuple[Counter[Any], Counter[Any]]:
        """What this snapshot holds that `other` does not (empty when other contains it)."""
        return self.nodes - other.nodes, self.edges - other.edges


def snapshot(graph: Graph, ignored: frozenset[str] = frozenset()) -> Snapshot:
    """The content of `graph` now."""
    nodes: dict[str, Any] = {}
    for row in graph.read(admin.ALL_NODES):
        if ignored.isdisjoint(row["labels"]):
            nodes[row["key"]] = (tuple(sorted(row["labels"])), _frozen(row["props"]))
    edges = Counter(
        (row["type"], nodes[row["start"]], nodes[row["end"]], _frozen(row["props"]))
        for row in graph.read(admin.ALL_EDGES)
        if row["start"] in nodes and row["end"] in nodes
    )
    return Snapshot(Counter(nodes.values()), edges)
