"""Upserts by external id are idempotent, so other systems can sync into Guanxi."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph.db.connection import Graph
from tests.conftest import counts, data, error

UPSERT_COMPANY = """
mutation ($ext: String!, $input: CompanyInput!) {
  upsertCompany(externalId: $ext, input: $input) { id name status externalId updatedAt } }
"""
UPSERT_PERSON = """
mutation ($ext: String!, $name: String!) {
  upsertPerson(externalId: $ext, input: {name: $name}) { id } }
"""
UPSERT_REL = """
mutation ($ext: String!, $input: PersonRelationshipInput!) {
  upsertRelationship(externalId: $ext, input: $input) { id strength updatedAt } }
"""


def test_same_company_upsert_twice_leaves_one_node_unchanged(
    client: TestClient, graph: Graph
) -> None:
    payload = {"name": "北辰物流", "status": "CURRENT"}
    first = data(client, UPSERT_COMPANY, ext="crm-17", input=payload)["upsertCompany"]
    second = data(client, UPSERT_COMPANY, ext="crm-17", input=payload)["upsertCompany"]
    assert first == second  # same id, and not even updatedAt moved
    assert first["externalId"] == "crm-17"
    assert counts(graph) == (1, 0)

    changed = data(
        client, UPSERT_COMPANY, ext="crm-17", input={"name": "北辰物流", "status": "CHURNED"}
    )["upsertCompany"]
    assert changed["id"] == first["id"]
    assert changed["status"] == "CHURNED"
    assert changed["updatedAt"] > first["updatedAt"]
    assert counts(graph) == (1, 0)

    found = data(client, 'query { companyByExternalId(externalId: "crm-17") { id } }')[
        "companyByExternalId"
    ]
    assert found == {"id": first["id"]}


def test_same_relationship_upsert_twice_leaves_one_edge(client: TestClient, graph: Graph) -> None:
    a = data(client, UPSERT_PERSON, ext="hr-1", name="A")["upsertPerson"]["id"]
    b = data(client, UPSERT_PERSON, ext="hr-2", name="B")["upsertPerson"]["id"]
    assert data(client, UPSERT_PERSON, ext="hr-1", name="A")["upsertPerson"]["id"] == a
    payload = {"fromPersonId": a, "toPersonId": b, "tier": "FRIEND", "strength": 0.5}
    first = data(client, UPSERT_REL, ext="sync-9", input=payload)["upsertRelationship"]
    second = data(client, UPSERT_REL, ext="sync-9", input=payload)["upsertRelationship"]
    assert first == second
    assert counts(graph) == (2, 1)

    moved = data(client, UPSERT_REL, ext="sync-9", input={**payload, "strength": 0.7})
    assert moved["upsertRelationship"]["strength"] == 0.7
    assert counts(graph) == (2, 1)


def test_upsert_cannot_move_an_edge_to_other_ends(client: TestClient, graph: Graph) -> None:
    a = data(client, UPSERT_PERSON, ext="hr-1", name="A")["upsertPerson"]["id"]
    b = data(client, UPSERT_PERSON, ext="hr-2", name="B")["upsertPerson"]["id"]
    c = data(client, UPSERT_PERSON, ext="hr-3", name="C")["upsertPerson"]["id"]
    payload = {"fromPersonId": a, "toPersonId": b, "tier": "FRIEND", "strength": 0.5}
    data(client, UPSERT_REL, ext="sync-9", input=payload)
    err = error(client, UPSERT_REL, ext="sync-9", input={**payload, "toPersonId": c})
    assert err["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    assert counts(graph) == (3, 1)


def test_upsert_validates_like_create(client: TestClient, graph: Graph) -> None:
    err = error(client, UPSERT_COMPANY, ext="crm-1", input={"name": "x" * 201})
    assert err["extensions"]["field"] == "input.name"
    assert counts(graph) == (0, 0)
