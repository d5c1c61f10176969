"""Subscriptions over graphql-transport-ws: a real uvicorn server on loopback, a real WebSocket
client (`websockets`), and writes sent as GraphQL mutations over HTTP."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from graph.auth import tokens
from graph.core.events import Event, InteractionLogged, from_feed
from graph.cypher.core import history
from graph.db import feed
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput
from tests import factories
from tests.conftest import StatementLog, auth_headers, make_app
from tests.live_server import served_in_a_thread

PROTOCOL = "graphql-transport-ws"
CHANGED = """subscription ($c: ID, $p: ID) {
  relationshipChanged(companyId: $c, personId: $p) { subjectId operation changed after }
}"""
LOGGED = """subscription ($c: ID, $p: ID) {
  interactionLogged(companyId: $c, personId: $p) { id summary theirPeople { name } }
}"""
UPDATE = """mutation ($id: ID!, $s: Float!) {
  updateRelationship(id: $id, input: {strength: $s}) { id strength }
}"""
LOG = """mutation ($ours: [ID!]!, $theirs: [ID!]!, $summary: String!) {
  logInteraction(input: {kind: MEETING, at: "%s", ourPersonIds: $ours,
                         theirPersonIds: $theirs, summary: $summary}) { id }
}"""


@pytest.fixture
def server(graph: Graph) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL (host:port)."""
    with served_in_a_thread(make_app(graph)) as base:
        yield base


def _post(base: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx2.post(
        f"http://{base}/graphql",
        json={"query": query, "variables": variables},
        headers=auth_headers(),
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    return body


@contextlib.contextmanager
def _subscribed(base: str, query: str, **variables: Any) -> Iterator[ClientConnection]:
    """A connection with one subscription (id "1") started on it."""
    with connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": auth_headers()}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": query, "variables": variables}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        _wait_until_listening()
        yield ws
        ws.send(json.dumps({"id": "1", "type": "complete"}))


def _wait_until_listening() -> None:
    # the server reads the subscription and checks its arguments before it listens: give it
    # a moment, so a write sent next is not earlier than the subscription
    time.sleep(0.5)


def _next(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=15))
    assert message["type"] == "next", message
    assert message["id"] == "1"
    payload: dict[str, Any] = message["payload"]
    return payload


def _no_message(ws: ClientConnection, seconds: float = 1.0) -> None:
    with pytest.raises(TimeoutError):
        ws.recv(timeout=seconds)


def _book(graph: Graph) -> dict[str, str]:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"], "beta": ["sun"]})
    ids["li_zhou"] = factories.knows(graph, ids["li"], ids["zhou"], 0.4)
    ids["li_sun"] = factories.knows(graph, ids["li"], ids["sun"], 0.4)
    return ids


def test_relationship_changes_reach_a_persons_subscriber_and_no_one_elses(
    graph: Graph, server: str
) -> None:
    ids = _book(graph)
    with _subscribed(server, CHANGED, p=ids["zhou"]) as ws:
        # someone else's relationship, and a write refused (strength out of range): not sent
        assert "errors" not in _post(server, UPDATE, id=ids["li_sun"], s=0.7)
        assert "errors" in _post(server, UPDATE, id=ids["li_zhou"], s=7.0)
        assert "errors" not in _post(server, UPDATE, id=ids["li_zhou"], s=0.9)
        change = _next(ws)["data"]["relationshipChanged"]
        assert change["subjectId"] == ids["li_zhou"]
        assert change["operation"] == "UPDATED"
        assert "strength" in change["changed"]
        assert change["after"]["strength"] == 0.9
        _no_message(ws)


def test_a_companys_subscriber_hears_of_its_peoples_relationships(
    graph: Graph, server: str
) -> None:
    ids = _book(graph)
    with _subscribed(server, CHANGED, c=ids["acme"]) as ws:
        assert "errors" not in _post(server, UPDATE, id=ids["li_sun"], s=0.2)  # Beta's
        assert "errors" not in _post(server, UPDATE, id=ids["li_zhou"], s=0.6)  # Acme's
        assert _next(ws)["data"]["relationshipChanged"]["subjectId"] == ids["li_zhou"]
        _no_message(ws)


def test_logged_interactions_reach_the_company_and_the_person(graph: Graph, server: str) -> None:
    ids = _book(graph)
    log = LOG % (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    with (
        _subscribed(server, LOGGED, c=ids["acme"]) as by_company,
        _subscribed(server, LOGGED, p=ids["zhou"]) as by_person,
    ):
        other = _post(server, log, ours=[ids["li"]], theirs=[ids["sun"]], summary="at Beta")
        assert "errors" not in other
        logged = _post(server, log, ours=[ids["li"]], theirs=[ids["zhou"]], summary="lunch")
        logged_id = logged["data"]["logInteraction"]["id"]
        for ws in (by_company, by_person):
            heard = _next(ws)["data"]["interactionLogged"]
            assert heard == {"id": logged_id, "summary": "lunch", "theirPeople": [{"name": "Zhou"}]}
            _no_message(ws, 0.5)


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({}, "BAD_USER_INPUT"),
        ({"c": "co_x", "p": "pe_x"}, "BAD_USER_INPUT"),
        ({"c": "co_missing"}, "NOT_FOUND"),
    ],
)
def test_a_subscription_needs_exactly_one_existing_company_or_person(
    graph: Graph, server: str, variables: dict[str, str], code: str
) -> None:
    with connect(f"ws://{server}/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": auth_headers()}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": CHANGED, "variables": variables}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(ws.recv(timeout=10))
        errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
        assert [e["extensions"]["code"] for e in errors] == [code], message
        assert "Traceback" not in json.dumps(message)


def test_events_are_heard_only_once_their_transaction_has_committed(
    graph: Graph, other_graph: Graph
) -> None:
    """Through the change feed, by another connection's follower (another process's)."""
    heard: list[Event | None] = []
    event = InteractionLogged("in_x", frozenset({"pe_a"}), frozenset())

    def publish_then_fail(tx: Tx) -> None:
        tx.publish(event)
        raise InvalidInput("refused after publishing")

    def hear(entry: feed.Entry) -> None:
        heard.extend(from_feed(record) for record in entry.events)

    follower = feed.follower(other_graph)
    follower.sync()
    follower.listen(hear)
    try:
        with pytest.raises(InvalidInput):
            graph.write_tx(publish_then_fail)
        follower.sync()
        assert heard == []
        graph.write_tx(lambda tx: tx.publish(event))
        follower.sync()
        assert heard == [event]
    finally:
        follower.unlisten(hear)


def test_a_token_revoked_elsewhere_closes_its_open_subscriptions_within_seconds(
    graph: Graph, other_graph: Graph, server: str
) -> None:
    """Revoked by another process (another connection): this server hears it in the change
    feed and closes the token's socket at its next check of the credential (every second)."""
    ids = _book(graph)
    _, secret = tokens.create_token(graph, name="phone", role=tokens.Role.VIEWER)
    with connect(f"ws://{server}/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}}
        ws.send(json.dumps(init))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": CHANGED, "variables": {"p": ids["zhou"]}}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        _wait_until_listening()
        tokens.revoke_token(other_graph, "phone")
        revoked = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        assert time.monotonic() - revoked < 3


def test_subscribers_to_one_event_cost_one_read_of_it(
    graph: Graph, server: str, statements: StatementLog
) -> None:
    """Three subscriptions hear one change: the server reads it once, not once each."""
    ids = _book(graph)
    with (
        _subscribed(server, CHANGED, p=ids["zhou"]) as first,
        _subscribed(server, CHANGED, p=ids["zhou"]) as second,
        _subscribed(server, CHANGED, c=ids["acme"]) as third,
    ):
        start = len(statements.executed)
        assert "errors" not in _post(server, UPDATE, id=ids["li_zhou"], s=0.9)
        for ws in (first, second, third):
            assert _next(ws)["data"]["relationshipChanged"]["subjectId"] == ids["li_zhou"]
        reads = [q for q, _ in statements.executed[start:] if q == history.CHANGES_BY_ID]
        assert len(reads) == 1
