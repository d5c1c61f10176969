"""Small builders for test graphs, through the same write functions the API uses, and the
worlds several test files share: a small book of business, and ids in seed/'s demo data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def book(
    graph: Graph,
    staff: Iterable[str],
    customers: Mapping[str, Iterable[str]],
    **company_fields: dict[str, Any],
) -> dict[str, str]:
    """Our company ("ours", named Ours) with `staff`, and `customers` with their people, each
    person holding a current role: ids by key. Names are the keys title-cased (li -> Li, acme ->
    Acme); `company_fields` adds fields to a customer by its key (acme={"valueClass": "A"})."""
    ids = {"ours": company(graph, "Ours", isOurs=True)}
    for key in customers:
        ids[key] = company(graph, key.title(), **company_fields.get(key, {}))
    for key, people in [("ours", staff), *customers.items()]:
        for name in people:
            ids[name] = person(graph, name.title())
            role(graph, ids[name], ids[key])
    return ids


def demo_id(graph: Graph, kind: str, key: str) -> str:
    """The id of the demo's `kind` ("company", "person") with this key in seed/demo.json, once
    seed.demo.load_demo has loaded it."""
    found = reads.id_by_external_id(graph, kind, f"demo:{kind}:{key}")
    assert found is not None, (kind, key)
    return found
