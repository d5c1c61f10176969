"""Fuzzing: random valid queries and mutations generated from the schema (hypothesis-graphql),
sent to the app over its GraphQL endpoint (over HTTP in demo mode; over a WebSocket in
production mode): no internal error, no server error, no socket closed on an operation."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from graph.db.connection import Graph
from graph.db.settings import ApiSettings
from schema import schema
from server import create_app
from tests import factories
from tests.conftest import AUTH, auth_headers

# Not measured for coverage: under the tracer its thousand operations take 70% longer, a minute
# of `make test`, for about 20 lines (odd argument combinations) that no other test reaches.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.no_cover,
    # graphql-core leaves an async sibling's coroutine unawaited when another field of the
    # same selection raises at once (graphql-core#236, #269): the answer is right, and the
    # warning surfaces whenever the collector frees it, in this test or not (CI, 20:39)
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <coroutine object GraphQLCoreConverter"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:coroutine 'GraphQLCoreConverter.from_resolver.<locals>._async_resolver' was "
        "never awaited:RuntimeWarning"
    ),
]

EXAMPLES = 1_000
SOCKET_EXAMPLES = 300

_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "Date": st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "DateTime": st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda t: nodes.String(t.replace(tzinfo=dt.UTC).isoformat())
    ),
    "JSON": st.dictionaries(st.sampled_from(["a", "b"]), st.integers(-5, 5), max_size=2).map(
        lambda d: nodes.String(json.dumps(d))
    ),
}


def _known(graph: Graph) -> list[str]:
    """A small book of records: ids are mostly ones that exist, so operations get past "not
    found" to the resolvers."""
    ours = factories.company(graph, "Ours", isOurs=True)
    acme = factories.company(graph, "Acme")
    li, zhou = factories.person(graph, "Li"), factories.person(graph, "Zhou")
    factories.role(graph, li, ours)
    factories.role(graph, zhou, acme, isKeyPerson=True)
    tie = factories.knows(graph, li, zhou, 0.5)
    return [ours, acme, li, zhou, tie]


def _fuzz(graph: Graph, examples: int, send_one: Callable[[str], dict[str, Any]]) -> None:
    """Send `examples` generated operations through `send_one` (which answers the response's
    body, or {"closed": code} when the transport gave up); no answer may be INTERNAL."""
    ids = st.one_of(st.sampled_from(_known(graph)), st.text(max_size=12)).map(nodes.String)
    sent: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()  # "data" or the first error's code
    failures: list[tuple[str, Any]] = []

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same operations on every run, so CI is repeatable
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema._schema, custom_scalars={**_SCALARS, "ID": ids}))
    def send(operation: str) -> None:
        sent["mutation" if operation.lstrip().startswith("mutation") else "query"] += 1
        body = send_one(operation)
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
        outcomes[str(codes[0]) if codes else "data"] += 1
        if "closed" in body or "INTERNAL" in codes:
            failures.append((operation, body))

    send()
    print(
        f"fuzzing: {sum(sent.values())} operations sent ({dict(sent)}), answered "
        f"{dict(outcomes.most_common())}, {len(failures)} failed"
    )
    assert sum(sent.values()) >= examples
    assert sent["mutation"] > 0 and sent["query"] > 0
    assert outcomes["data"] > examples // 20  # not all refused before reaching a resolver
    assert not failures, failures[:3]


def test_random_valid_operations_never_fail_internally(client: TestClient, graph: Graph) -> None:
    def over_http(operation: str) -> dict[str, Any]:
        response = client.post("/graphql", json={"query": operation})
        if response.status_code >= 500:
            return {"closed": response.status_code}
        body: dict[str, Any] = response.json()
        return body

    _fuzz(graph, EXAMPLES, over_http)


def test_random_valid_operations_over_a_socket_in_production_mode(graph: Graph) -> None:
    """The same over graphql-transport-ws, in production mode (no introspection, no hints)."""
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        settings=ApiSettings(mode="production"),
    )
    with (
        TestClient(app) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": auth_headers()})
        assert ws.receive_json()["type"] == "connection_ack"
        number = iter(range(10**9))

        def over_socket(operation: str) -> dict[str, Any]:
            id_ = str(next(number))
            ws.send_json({"id": id_, "type": "subscribe", "payload": {"query": operation}})
            try:
                message = ws.receive_json()
            except WebSocketDisconnect as closed:
                return {"closed": closed.code}
            if message["type"] == "error":
                return {"errors": message["payload"]}
            if message["type"] == "next" and not operation.lstrip().startswith("subscription"):
                assert ws.receive_json() == {"id": id_, "type": "complete"}
            else:  # a subscription listens on: end it
                ws.send_json({"id": id_, "type": "complete"})
            payload: dict[str, Any] = message.get("payload") or {}
            return payload

        _fuzz(graph, SOCKET_EXAMPLES, over_socket)
