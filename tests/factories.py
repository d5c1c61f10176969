"""Small builders for test graphs, through the same write functions the API uses."""

from __future__ import annotations

from typing import Any

from graph.core import kinds, reads, writes
from graph.core.models import PersonRelationship
from graph.db.connection import Graph


def company(graph: Graph, name: str, **fields: Any) -> str:
    return writes.create_node(
        graph, kinds.COMPANY, kinds.COMPANY.checked({"name": name, **fields})
    ).id


def person(graph: Graph, name: str, **fields: Any) -> str:
    return writes.create_node(
        graph, kinds.PERSON, kinds.PERSON.checked({"name": name, **fields})
    ).id


def role(graph: Graph, person_id: str, company_id: str, title: str = "Staff", **fields: Any) -> str:
    return writes.create_edge(
        graph, kinds.ROLE, person_id, company_id, kinds.ROLE.checked({"title": title, **fields})
    ).id


def knows(
    graph: Graph, a: str, b: str, strength: float, tier: str = "FRIEND", **fields: Any
) -> str:
    return writes.create_edge(
        graph,
        kinds.RELATIONSHIP,
        a,
        b,
        kinds.RELATIONSHIP.checked({"tier": tier, "strength": strength, **fields}),
    ).id


def relationship(graph: Graph, id_: str) -> PersonRelationship:
    """A person-to-person relationship as stored now."""
    [found] = reads.relationships_by_id(graph, [id_])
    assert found is not None
    return found
