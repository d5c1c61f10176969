"""WebSockets held to the rules of HTTP (issue 18): a socket loses its rights with its
credential, its messages have the body's size limit, every operation on it is checked like an
HTTP request, and the legacy protocol is refused rather than failing on every operation.

A real uvicorn server in a thread and a real client (`websockets`)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

import server as server_module
from graph.auth.credentials import AuthSettings, issue_jwt, revoke_token
from graph.auth.tokens import Role, create_token
from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.db.connection import Graph
from graph.db.errors import Unavailable
from graph.db.settings import ApiSettings
from resolvers.context import Context
from server import GuanxiGraphQL, create_app
from tests import factories
from tests.conftest import counts
from tests.live_server import served_in_a_thread
from web.metrics import Metrics
from web.settings import HttpSettings

PROTOCOL = "graphql-transport-ws"
RECHECK = 1.0  # GUANXI_TOKEN_CACHE_SECONDS of these tests' server
AUTH = AuthSettings(jwt_secret=SecretStr("socket-secret-" + "x" * 32), token_cache_seconds=RECHECK)
CREATE = 'mutation { createCompany(input: {name: "%s"}) { id } }'
CHANGED = "subscription ($p: ID) { relationshipChanged(personId: $p) { subjectId } }"


@pytest.fixture
def server(graph: Graph) -> Iterator[str]:
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        settings=ApiSettings(mode="production"),
        http=HttpSettings(max_body_bytes=20_000),
    )
    with served_in_a_thread(app) as base:
        yield base


@contextlib.contextmanager
def _socket(base: str, credential: str) -> Iterator[ClientConnection]:
    """An acknowledged graphql-transport-ws connection, authenticated in connection_init."""
    with connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": credential}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        yield ws


def _run(ws: ClientConnection, id_: str, query: str, **variables: Any) -> dict[str, Any]:
    """Run one query or mutation on the socket; its first message's payload."""
    ws.send(
        json.dumps(
            {"id": id_, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
    )
    message = json.loads(ws.recv(timeout=15))
    assert message["id"] == id_, message
    if message["type"] == "error":
        return {"errors": message["payload"]}
    assert json.loads(ws.recv(timeout=15)) == {"id": id_, "type": "complete"}
    payload: dict[str, Any] = message["payload"]
    return payload


def _closed_with(ws: ClientConnection, seconds: float) -> int | None:
    """The close code the server ends the connection with, waiting up to `seconds`."""
    ended = time.monotonic() + seconds
    with contextlib.suppress(ConnectionClosed):
        while time.monotonic() < ended:
            with contextlib.suppress(TimeoutError):
                ws.recv(timeout=0.2)
    assert ws.close_code is not None, "the server kept the connection open"
    return ws.close_code


def test_a_revoked_token_ends_its_socket_and_runs_nothing_more(graph: Graph, server: str) -> None:
    """Finding 1: after its token was revoked, an open socket still ran mutations."""
    token, secret = create_token(graph, name="admin-socket", role=Role.ADMIN)
    with _socket(server, f"Bearer {secret}") as ws:
        assert "errors" not in _run(ws, "1", CREATE % "Before")
        revoke_token(graph, token.name)
        before = counts(graph)
        ws.send(
            json.dumps({"id": "2", "type": "subscribe", "payload": {"query": CREATE % "After"}})
        )
        assert _closed_with(ws, RECHECK + 5) == 4401
    assert counts(graph) == before


def test_a_socket_closes_when_its_jwt_expires_even_when_idle(graph: Graph, server: str) -> None:
    """Finding 1: an expired JWT's socket kept receiving events."""
    short = issue_jwt("brief", Role.ADMIN, AUTH, lifetime=dt.timedelta(seconds=2))
    li = factories.person(graph, "Li")
    with _socket(server, f"Bearer {short}") as ws:
        payload = {"query": CHANGED, "variables": {"p": li}}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        started = time.monotonic()
        assert _closed_with(ws, 2 + RECHECK + 5) == 4401
        assert time.monotonic() - started < 2 + RECHECK + 5
        assert "expired" in (ws.close_reason or "")


def test_a_socket_message_over_the_body_limit_closes_it_unread(graph: Graph, server: str) -> None:
    """Finding 11: GUANXI_MAX_BODY_BYTES did not apply to WebSocket messages."""
    token = issue_jwt("big", Role.ADMIN, AUTH)
    before = counts(graph)
    with _socket(server, f"Bearer {token}") as ws:
        huge = CREATE % ("x" * 30_000)
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": huge}}))
        assert _closed_with(ws, 10) == 1009
    assert counts(graph) == before


def test_operations_on_a_socket_are_checked_like_http_requests(graph: Graph, server: str) -> None:
    """Permissions and the cost limit hold over a socket as over HTTP."""
    viewer = issue_jwt("viewer", Role.VIEWER, AUTH)
    before = counts(graph)
    with _socket(server, f"Bearer {viewer}") as ws:
        forbidden = _run(ws, "1", CREATE % "Viewer's")
        assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        hub = """{ person(id: "p") { relationships { toPerson { relationships {
            toPerson { relationships { strength } } } } } } }"""
        costly = _run(ws, "2", hub)
        assert costly["errors"][0]["extensions"]["limit"] == "GUANXI_MAX_COST"
        assert "errors" not in _run(ws, "3", "{ companies { totalCount } }")
    assert counts(graph) == before


def test_the_legacy_protocol_is_refused_at_the_handshake(server: str) -> None:
    """Finding 12: over `graphql-ws` every operation answered INTERNAL with a traceback."""
    with connect(f"ws://{server}/graphql", subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        assert _closed_with(ws, 10) == 4406


def test_each_operation_on_a_socket_reads_the_graph_afresh(graph: Graph, server: str) -> None:
    """A socket's operations share its context, but not its loaders: a company read, renamed
    by another client, reads renamed on the same socket (shared loaders kept the first read,
    and once kept a load a failed operation had left waiting, so the next hung)."""
    admin = issue_jwt("admin", Role.ADMIN, AUTH)
    company = factories.company(graph, "Before")
    read = "query ($id: ID!) { node(id: $id) { ... on Company { name } } }"
    with _socket(server, f"Bearer {admin}") as ws:
        assert _run(ws, "1", read, id=company)["data"]["node"] == {"name": "Before"}
        writes.update_node(graph, kinds.COMPANY, company, Patch({"name": "After"}))
        assert _run(ws, "2", read, id=company)["data"]["node"] == {"name": "After"}


def test_a_socket_whose_credential_cannot_be_checked_again_stays_open(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database (or the identity provider's keys) out of reach at a recheck: the socket's
    credential was good, so it is kept, and checked again at the next one (not closed, and no
    error escapes the recheck, which would end the rechecks)."""

    async def unavailable(*args: object) -> None:
        raise Unavailable("the database cannot be reached")

    monkeypatch.setattr(server_module, "check_credential", unavailable)
    view = GuanxiGraphQL(lambda: graph, Metrics(frozenset({"/graphql"})), AUTH)
    context = Context(graph, credential="Bearer something")
    assert asyncio.run(view.socket_refusal(context)) is None
