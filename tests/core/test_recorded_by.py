"""Who did it: every recorded change keeps the credential that made it (a JWT's subject, an API
token's name, the command line's OS user, `seed`), set by the server; the client's `by` stays
beside it as "on behalf of", and no input can set the credential."""

from __future__ import annotations

import contextvars
import datetime as dt
import getpass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.auth import tokens
from graph.auth.tokens import Role
from graph.core import history, kinds, writes
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.recorder import NoRecorder, command_line
from seed.__main__ import main as seed_main
from seed.demo import load_demo
from tests import factories
from tests.conftest import auth_headers, counts, gql

ALICE = auth_headers(Role.ADMIN, "alice")
CREATE = """
mutation ($name: String!, $by: String) {
  createCompany(
    input: {name: $name, status: CURRENT, lifecycleStage: FORMATION}, change: {by: $by}
  ) { id }
}"""
UPDATE = """
mutation ($id: ID!, $by: String) {
  updateCompany(
    id: $id
    input: {status: CHURNED, lifecycleStage: DECLINE}
    change: {by: $by, reason: "lost the tender"}
  ) { id }
}"""
HISTORY = """
query ($id: ID!) {
  changeHistory(subjectId: $id) { nodes { operation by recordedBy reason } }
}"""


def _ok(client: TestClient, query: str, headers: dict[str, str], **variables: Any) -> Any:
    response = client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def _history(client: TestClient, subject_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _ok(client, HISTORY, ALICE, id=subject_id)["changeHistory"][
        "nodes"
    ]
    return found


def test_a_change_made_with_a_jwt_records_its_subject_and_keeps_by_as_on_behalf_of(
    client: TestClient,
) -> None:
    made = _ok(client, CREATE, ALICE, name="Acme", by="Bob")["createCompany"]["id"]
    _ok(client, UPDATE, auth_headers(Role.ADMIN, "carol"), id=made, by="Bob")
    assert _history(client, made) == [
        {"operation": "CREATED", "by": "Bob", "recordedBy": "jwt:alice", "reason": None},
        {
            "operation": "UPDATED",
            "by": "Bob",
            "recordedBy": "jwt:carol",
            "reason": "lost the tender",
        },
    ]
    # the same change read as a node, and in the lifecycle's own view
    timeline = _ok(
        client,
        "query ($id: ID!) { lifecycleTimeline(companyId: $id) { by recordedBy } }",
        ALICE,
        id=made,
    )["lifecycleTimeline"]
    assert timeline == [
        {"by": "Bob", "recordedBy": "jwt:alice"},
        {"by": "Bob", "recordedBy": "jwt:carol"},
    ]


def test_a_change_made_with_an_api_token_records_the_tokens_name(
    client: TestClient, graph: Graph
) -> None:
    _, secret = tokens.create_token(graph, name="crm-sync", role=Role.ADMIN)
    as_token = {"Authorization": f"Bearer {secret}"}
    made = _ok(client, CREATE, as_token, name="Acme", by=None)["createCompany"]["id"]
    [created] = _history(client, made)
    assert created["recordedBy"] == "token:crm-sync" and created["by"] is None


def test_a_deal_records_the_credential_of_its_latest_write(
    client: TestClient, graph: Graph
) -> None:
    acme = factories.company(graph, "Acme")
    _, secret = tokens.create_token(graph, name="erp", role=Role.ADMIN)
    deal = _ok(
        client,
        """mutation ($input: DealInput!) { recordDeal(input: $input) { id recordedBy } }""",
        {"Authorization": f"Bearer {secret}"},
        input={"companyId": acme, "amount": 1000, "date": "2025-01-02", "productLine": "X"},
    )["recordDeal"]
    assert deal["recordedBy"] == "token:erp"
    changed = _ok(
        client,
        """mutation ($id: ID!) { updateDeal(id: $id, input: {amount: 2000}) { recordedBy } }""",
        ALICE,
        id=deal["id"],
    )["updateDeal"]
    assert changed["recordedBy"] == "jwt:alice"


@pytest.mark.parametrize("forged", ["recordedBy", "credential"])
def test_a_client_cannot_set_the_credential(client: TestClient, graph: Graph, forged: str) -> None:
    """No input holds it: a forged field is refused by validation, and nothing is written."""
    before = counts(graph)
    body = gql(
        client,
        'mutation { createCompany(input: {name: "Acme"}, change: {by: "Bob", '
        + forged
        + ': "jwt:mallory"}) { id } }',
    )
    assert body.get("data") is None, body
    [refusal] = body["errors"]
    assert refusal["extensions"]["code"] == "BAD_USER_INPUT", refusal
    assert f"unknown field '{forged}'" in refusal["message"]
    assert counts(graph) == before


def test_deletes_and_restores_record_their_credential(client: TestClient, graph: Graph) -> None:
    made = _ok(client, CREATE, ALICE, name="Acme", by=None)["createCompany"]["id"]
    _ok(
        client,
        'mutation ($id: ID!) { deleteCompany(id: $id, change: {by: "Bob"}) }',
        auth_headers(Role.ADMIN, "dora"),
        id=made,
    )
    [item] = _ok(client, "{ deletedItems { nodes { id deletedBy recordedBy } } }", ALICE)[
        "deletedItems"
    ]["nodes"]
    assert item == {"id": made, "deletedBy": "Bob", "recordedBy": "jwt:dora"}
    _ok(
        client,
        "mutation ($id: ID!) { restoreCompany(id: $id) { id } }",
        auth_headers(Role.ADMIN, "erin"),
        id=made,
    )
    assert [(c["operation"], c["recordedBy"]) for c in _history(client, made)] == [
        ("CREATED", "jwt:alice"),
        ("DELETED", "jwt:dora"),
        ("CREATED", "jwt:erin"),
    ]


def test_a_logged_interaction_and_the_strength_it_moved_record_the_credential(
    client: TestClient, graph: Graph
) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    tie = factories.knows(graph, ids["li"], ids["zhou"], 0.4)
    logged = _ok(
        client,
        """mutation ($input: InteractionInput!) {
          logInteraction(input: $input) { by recordedBy }
        }""",
        auth_headers(Role.ADMIN, "alice"),
        input={
            "kind": "MEETING",
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "ourPersonIds": [ids["li"]],
            "theirPersonIds": [ids["zhou"]],
            "by": "Bob",
        },
    )["logInteraction"]
    assert logged == {"by": "Bob", "recordedBy": "jwt:alice"}
    assert [c["recordedBy"] for c in _history(client, tie)] == ["test:direct", "jwt:alice"]


def test_an_import_through_the_api_records_the_credential_beside_by(
    client: TestClient, graph: Graph
) -> None:
    """A record that creates an item records no change (a load: its history starts at its
    first change, graph/core/history.py); one that changes it does."""
    made = factories.company(graph, "Acme", externalId="c-1", status="CURRENT")
    result = _ok(
        client,
        """mutation ($input: ImportRecordsInput!) {
          importRecords(input: $input, by: "crm sync") { counts { updated } }
        }""",
        ALICE,
        input={"companies": [{"externalId": "c-1", "name": "Acme", "status": "CHURNED"}]},
    )
    assert result["importRecords"]["counts"][0]["updated"] == 1
    assert [(c["operation"], c["by"], c["recordedBy"]) for c in _history(client, made)] == [
        ("CREATED", None, "test:direct"),
        ("UPDATED", "crm sync", "jwt:alice"),
    ]


def test_the_command_line_and_the_demo_record_their_own_credentials(
    client: TestClient,
    graph: Graph,
    engine_endpoint: BoltEndpoint,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    settings = engine_endpoint.neo4j_settings()
    monkeypatch.setenv("NEO4J_URI", engine_endpoint.uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.username)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", settings.database)
    made = factories.company(graph, "Acme", externalId="c-1", status="CURRENT")
    (tmp_path / "companies.csv").write_text("externalId,name,status\nc-1,Acme,CHURNED\n")
    assert seed_main(["import", str(tmp_path), "--by", "Bob"]) == 0
    changed = _history(client, made)[-1]
    assert command_line() == f"cli:{getpass.getuser()}"
    assert (changed["by"], changed["recordedBy"]) == ("Bob", command_line())

    load_demo(graph)
    huadong = factories.demo_id(graph, "company", "huadong")
    assert {c["recordedBy"] for c in _history(client, huadong)} == {"seed"}


def test_a_change_without_a_credential_is_never_recorded(graph: Graph) -> None:
    """Outside a request, the command line or the seed, no credential is set: the write fails
    loudly and leaves nothing behind."""
    before = counts(graph)
    fields = kinds.COMPANY.checked({"name": "Acme", "status": "CURRENT"})
    empty = contextvars.Context()  # no credential set, as in a thread of a forgotten caller
    with pytest.raises(NoRecorder):
        empty.run(writes.create_node, graph, kinds.COMPANY, fields)
    assert counts(graph) == before
    assert (
        history.Change.from_row(
            {
                "id": "ch_old",
                "atMs": 0,
                "subjectKind": "COMPANY",
                "subjectId": "co_old",
                "operation": "CREATED",
            }
        ).credential
        is None
    )  # a change recorded before credentials were: null
