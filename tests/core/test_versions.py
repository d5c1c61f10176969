"""Absolute updates take an expected version: of many writers holding the same version,
exactly one wins and the others get a clear conflict; nothing is lost silently."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from graph.auth.tokens import Role
from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.errors import InvalidInput
from tests import factories
from tests.conftest import auth_headers, data, error
from tests.live_server import LiveServer, live_server

WRITERS = 100
UPDATE = """
mutation ($id: ID!, $strength: Float!, $version: Int) {
  updateRelationship(id: $id, input: {strength: $strength}, expectedVersion: $version) {
    strength version
  }
}"""
READ = "query ($id: ID!) { relationship(id: $id) { strength tier version } }"
HISTORY = """
query ($id: ID!) { changeHistory(subjectId: $id, first: 100) { nodes { changed after } } }
"""


@pytest.fixture(scope="module")
def server(
    engine_endpoint: BoltEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with live_server(engine_endpoint, tmp_path_factory.mktemp("versions") / "log") as running:
        yield running


def _tie(graph: Graph) -> str:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    return factories.knows(graph, ids["li"], ids["zhou"], 0.5)


@pytest.mark.slow
def test_of_a_hundred_writers_holding_one_version_exactly_one_wins(
    graph: Graph, server: LiveServer
) -> None:
    tie = _tie(graph)
    headers = auth_headers(Role.PLANNER)
    with httpx2.Client(headers=headers, timeout=120) as client:

        def post(query: str, **variables: Any) -> dict[str, Any]:
            body: dict[str, Any] = client.post(
                server.graphql_url, json={"query": query, "variables": variables}
            ).json()
            return body

        version = post(READ, id=tie)["data"]["relationship"]["version"]
        strengths = [round(0.01 * (i + 1), 2) for i in range(WRITERS)]
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            answers = list(
                pool.map(lambda s: post(UPDATE, id=tie, strength=s, version=version), strengths)
            )

        won = [(s, a) for s, a in zip(strengths, answers, strict=True) if "errors" not in a]
        lost = [a for a in answers if "errors" in a]
        assert len(won) == 1, [a.get("errors") for a in answers][:3]
        assert len(lost) == WRITERS - 1
        for answer in lost:
            [problem] = answer["errors"]
            assert problem["extensions"]["code"] == "CONFLICT"
            assert f"not {version}" in problem["message"]
        winner_strength, winner = won[0]
        assert winner["data"]["updateRelationship"]["version"] == version + 1
        now = post(READ, id=tie)["data"]["relationship"]
        assert (now["strength"], now["version"]) == (winner_strength, version + 1)
        # the history holds the one change that won, and no other
        changes = post(HISTORY, id=tie)["data"]["changeHistory"]["nodes"]
        recorded = [c["after"]["strength"] for c in changes if "strength" in c["changed"]]
        assert recorded == [0.5, winner_strength]  # as created, then the winner


def test_every_change_moves_the_version_and_a_stale_one_is_refused(
    client: TestClient, graph: Graph
) -> None:
    tie = _tie(graph)
    assert data(client, READ, id=tie)["relationship"]["version"] == 1
    assert data(client, UPDATE, id=tie, strength=0.6, version=1)["updateRelationship"] == {
        "strength": 0.6,
        "version": 2,
    }
    # an interaction moves the strength, so it moves the version too
    li = data(
        client,
        "query ($id: ID!) { relationship(id: $id) { fromPerson { id } toPerson { id } } }",
        id=tie,
    )
    data(
        client,
        """mutation ($input: InteractionInput!) { logInteraction(input: $input) { id } }""",
        input={
            "kind": "CALL",
            "at": "2026-01-05T10:00:00+00:00",
            "ourPersonIds": [li["relationship"]["fromPerson"]["id"]],
            "theirPersonIds": [li["relationship"]["toPerson"]["id"]],
        },
    )
    assert data(client, READ, id=tie)["relationship"]["version"] == 3
    stale = error(client, UPDATE, id=tie, strength=0.9, version=2)
    assert stale["extensions"]["code"] == "CONFLICT"
    assert "version 3, not 2" in stale["message"]
    assert data(client, READ, id=tie)["relationship"]["strength"] != 0.9
    # without expectedVersion, the last writer wins, as before
    assert data(client, UPDATE, id=tie, strength=0.9)["updateRelationship"]["version"] == 4


def test_company_relationships_carry_versions_too(client: TestClient, graph: Graph) -> None:
    ours = factories.company(graph, "Ours", isOurs=True)
    acme = factories.company(graph, "Acme")
    made = data(
        client,
        """mutation ($a: ID!, $b: ID!) {
          createCompanyRelationship(input: {fromCompanyId: $a, toCompanyId: $b,
            tier: TRANSACTIONAL, strength: 0.3}) { id version }
        }""",
        a=ours,
        b=acme,
    )["createCompanyRelationship"]
    assert made["version"] == 1
    update = """mutation ($id: ID!, $v: Int) {
      updateCompanyRelationship(id: $id, input: {tier: PREFERRED_SUPPLIER}, expectedVersion: $v) {
        tier version
      }
    }"""
    assert data(client, update, id=made["id"], v=1)["updateCompanyRelationship"]["version"] == 2
    assert error(client, update, id=made["id"], v=1)["extensions"]["code"] == "CONFLICT"


def test_an_edge_without_versions_refuses_an_expected_version(graph: Graph) -> None:
    role = factories.role(graph, factories.person(graph, "Li"), factories.company(graph, "Acme"))
    with pytest.raises(InvalidInput):
        writes.update_edge(graph, kinds.ROLE, role, Patch({"title": "Boss"}), expected_version=1)
