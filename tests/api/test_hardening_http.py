"""HTTP hardening from issue 18's outside probe: each test names the finding it covers.

Every refusal here is a 4xx (or a 503 that says what to install) with a JSON body carrying
`extensions.code`, and none leaves a traceback in the log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from graphql import parse
from starlette.applications import Starlette
from starlette.testclient import TestClient
from websockets.sync.client import connect
from websockets.typing import Subprotocol

import web.view
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.settings import ApiSettings
from server import create_app
from tests.conftest import AUTH, auth_headers, make_app
from tests.live_server import live_server, served_in_a_thread
from web.pages import page_routes, warn_if_vendor_files_are_missing
from web.protocol import HeaderTimeoutProtocol
from web.settings import HttpSettings
from web.view import media_type_of, operations_in, response_media_type

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


def only_error(response: httpx2.Response) -> dict[str, Any]:
    """The single error of an HTTP-level refusal (JSON, with extensions.code)."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    errors: list[dict[str, Any]] = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing was logged as an error, and nothing with a traceback."""
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


# finding 4: the view's own look at the document stops at the token limit


def many_operations(count: int) -> str:
    """`count` named operations: 5 tokens each (`query`, the name, `{`, the field, `}`)."""
    return " ".join(f"query Q{index} {{ __typename }}" for index in range(count))


def test_a_document_over_the_token_limit_without_operation_name_gets_the_limit_error(
    client: TestClient,
) -> None:
    """Finding 4: without `operationName` the view looked for the document's operations with
    an unbounded parse before the schema's token limit applied (95,000 tokens: 1.4 s of
    blocked event loop). Now the look stops at the limit, so a document of several operations
    over the limit is refused by the limit, not parsed whole to find it holds several."""
    limit = ApiSettings().max_tokens
    document = many_operations(limit // 5 + 100)
    response = client.post("/graphql", json={"query": document}, headers=auth_headers())
    assert response.status_code == 200, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED", error
    assert "GUANXI_MAX_TOKENS" in error["message"], error
    assert "data" not in response.json() or response.json()["data"] is None


def test_every_parse_of_the_view_is_bounded_by_the_token_limit(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 4: the view never calls graphql-core's parse without `max_tokens`."""
    seen: list[int | None] = []

    def spy(source: str, **options: Any) -> Any:
        seen.append(options.get("max_tokens"))
        return parse(source, **options)

    monkeypatch.setattr(web.view, "parse", spy)
    operations_in.cache_clear()
    for query in ("query A { __typename }", many_operations(2000)):
        client.post("/graphql", json={"query": query}, headers=auth_headers())
    assert seen and all(tokens == ApiSettings().max_tokens for tokens in seen), seen


def test_operations_in_gives_up_at_the_limit() -> None:
    """Finding 4: a 95,000-token document is not parsed whole: it has no operations to the
    view (the schema then refuses it by the limit); one under the limit is read as before."""
    assert operations_in(many_operations(19_000), 5000) == ()
    assert operations_in(many_operations(3), 5000) == ("Q0", "Q1", "Q2")
    assert operations_in("{ __typename }", 5000) == (None,)


# finding 10: JSON too deep to parse, and bodies that are not UTF-8


DEEP = 100_000  # far past Python's recursion limit
DEEP_JSON = "[" * DEEP + "]" * DEEP


@pytest.mark.parametrize(
    "body",
    [
        ('{"query": "{ __typename }", "variables": {"v": ' + DEEP_JSON + "}}").encode(),
        DEEP_JSON.encode(),
        b'{"query": "{ __typename }", "operationName": "caf\xe9"}',
        b'{"query": "{ \xff\xfe__typename }"}',
    ],
    ids=["deep-variables", "deep-body", "latin-1-body", "invalid-utf-8-body"],
)
def test_a_post_body_too_deep_or_not_utf_8_is_a_clear_400(
    client: TestClient, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    """Finding 10: these were a plain 500 with a logged traceback."""
    response = client.post(
        "/graphql", content=body, headers={**auth_headers(), "content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "JSON" in error["message"]
    no_tracebacks(caplog)


@pytest.mark.parametrize("param", ["variables", "extensions"])
def test_get_parameters_too_deep_are_a_clear_400(
    client: TestClient, caplog: pytest.LogCaptureFixture, param: str
) -> None:
    """Finding 10: the same over GET, in the `variables` and `extensions` parameters."""
    params = {"query": "{ __typename }", param: "[" * 5000 + "]" * 5000}
    response = client.get("/graphql", params=params, headers=auth_headers())
    assert response.status_code == 400, response.text
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert param in error["message"]
    no_tracebacks(caplog)


# finding 13: the map's vendor files missing


@pytest.fixture
def ui_without_vendor(tmp_path: Path) -> Path:
    """A copy of ui/ as a checkout has it before `npm ci`: no node_modules."""
    ui = tmp_path / "ui"
    ui.mkdir()
    shutil.copy(UI_DIR / "index.html", ui / "index.html")
    shutil.copy(UI_DIR / "map.css", ui / "map.css")
    shutil.copytree(UI_DIR / "src", ui / "src")
    return ui


def test_missing_vendor_files_are_a_503_that_says_what_to_install(
    ui_without_vendor: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Finding 13: without ui/node_modules, /map/vendor/cytoscape/* answered 500 with a
    traceback."""
    with TestClient(Starlette(routes=page_routes(ui_without_vendor))) as pages:
        response = pages.get("/map/vendor/cytoscape/cytoscape.esm.min.mjs")
        assert response.status_code == 503, response.text
        error = only_error(response)
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "npm ci" in error["message"] and "ui/" in error["message"]
        assert pages.get("/map/").status_code == 200  # the page itself is still served
    no_tracebacks(caplog)


def test_vendor_files_installed_later_are_served(ui_without_vendor: Path) -> None:
    """Finding 13: the check is made per request, so `make ui` needs no restart."""
    with TestClient(Starlette(routes=page_routes(ui_without_vendor))) as pages:
        assert pages.get("/map/vendor/cytoscape/x.mjs").status_code == 503
        dist = ui_without_vendor / "node_modules" / "cytoscape" / "dist"
        dist.mkdir(parents=True)
        (dist / "x.mjs").write_text("export default 1;\n")
        response = pages.get("/map/vendor/cytoscape/x.mjs")
        assert response.status_code == 200 and "export default 1" in response.text
        assert pages.get("/map/vendor/cytoscape/missing.mjs").status_code == 404


# finding 14: junk operation names cannot take the metric labels of real ones


def operation_labels(client: TestClient) -> dict[str, float]:
    """guanxi_graphql_operations_total by its `operation` label."""
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "guanxi_graphql_operations_total":
                found[sample.labels["operation"]] = sample.value
    return found


def test_junk_operation_names_take_no_metric_label(client: TestClient) -> None:
    """Finding 14: names of operations that did not pass validation (an `operationName` that
    names nothing, a document that does not parse or validate) no longer fill the 200 label
    slots, so a real operation afterwards still gets its own label."""
    for index in range(210):
        junk = [
            {"query": "{ __typename }", "operationName": f"Junk{index}"},
            {"query": f"query Broken{index} {{ __typename", "operationName": f"Broken{index}"},
            {"query": f"query Invalid{index} {{ noSuchField }}"},
        ][index % 3]
        client.post("/graphql", json=junk, headers=auth_headers())
    client.post(
        "/graphql", json={"query": "query Companies { companies { totalCount } }"}
    ).raise_for_status()
    labels = operation_labels(client)
    assert labels.get("Companies") == 1, labels
    assert not any(label.startswith(("Junk", "Broken", "Invalid")) for label in labels), labels
    assert labels["other"] == 210


@pytest.fixture
def reserving_client(graph: Graph) -> Iterator[TestClient]:
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        http=HttpSettings(metric_operations=["Planner", "Companies"]),
    )
    with TestClient(app, headers=auth_headers()) as test_client:
        yield test_client


def test_reserved_operation_names_keep_their_label_after_a_flood(
    reserving_client: TestClient,
) -> None:
    """Finding 14: valid documents under 205 made-up names fill the first-come slots; the
    names the operator lists in GUANXI_METRIC_OPERATIONS keep their own label regardless."""
    for index in range(205):
        reserving_client.post("/graphql", json={"query": f"query Op{index} {{ __typename }}"})
    reserving_client.post(
        "/graphql", json={"query": "query Companies { companies { totalCount } }"}
    ).raise_for_status()
    labels = operation_labels(reserving_client)
    assert labels.get("Companies") == 1, labels
    assert labels["other"] >= 5
    assert "Planner" not in labels  # reserved, but not run yet: no series


# finding 15: a connection that never finishes its request head is closed


def _closed_within(sock: socket.socket) -> bool:
    """The server closed the connection (recv gives b"") before the socket's timeout."""
    try:
        while chunk := sock.recv(4096):
            del chunk
    except TimeoutError:
        return False
    return True


@pytest.mark.slow
def test_unfinished_request_heads_are_closed_after_the_header_timeout(
    engine_endpoint: BoltEndpoint, tmp_path: Path
) -> None:
    """Finding 15: 1,000 half-open connections (a request head never finished) stayed open
    for 40 s. With GUANXI_HEADER_TIMEOUT=1 the server closes them; a keep-alive connection
    whose next head dribbles in is closed the same way, and whole requests are served."""
    with live_server(engine_endpoint, tmp_path / "server.log", GUANXI_HEADER_TIMEOUT="1") as server:
        host = ("127.0.0.1", server.port)
        with socket.create_connection(host, timeout=20) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
            assert _closed_within(sock), "a half-sent request head kept its connection open"
        with socket.create_connection(host, timeout=20) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200"), answer
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            assert _closed_within(sock), "a dribbled second request head kept it open"
        assert httpx2.get(f"{server.base}/healthz").status_code == 200
        assert server.stop() == 0
        assert not [line for line in server.log_lines() if line["level"] == "ERROR"]


@pytest.fixture
def one_second_heads(graph: Graph) -> Iterator[int]:
    """The app served by uvicorn in a thread with a 1 s header timeout; yields its port."""
    http = HeaderTimeoutProtocol.with_timeout(1)
    with served_in_a_thread(make_app(graph), http=http) as base:
        yield int(base.rsplit(":", 1)[1])


def test_the_header_timeout_leaves_a_websocket_alone(one_second_heads: int) -> None:
    """Finding 15: the deadline covers the request head only; a WebSocket upgraded from that
    head (a subscription) stays open past it."""
    url = f"ws://127.0.0.1:{one_second_heads}/graphql"
    with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": auth_headers()}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        time.sleep(2)  # past the deadline (1 s)
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "pong"
    with socket.create_connection(("127.0.0.1", one_second_heads), timeout=20) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        assert _closed_within(sock), "a half-sent request head kept its connection open"


def test_the_header_timeout_defaults_to_10_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 15: the setting and its default."""
    monkeypatch.delenv("GUANXI_HEADER_TIMEOUT", raising=False)
    assert HttpSettings().header_timeout == 10
    monkeypatch.setenv("GUANXI_HEADER_TIMEOUT", "2.5")
    assert HttpSettings().header_timeout == 2.5


# finding 17: media types are case-insensitive


@pytest.mark.parametrize(
    "content_type", ["APPLICATION/JSON", "Application/Json; Charset=UTF-8", "application/JSON"]
)
def test_the_json_content_type_in_any_case_is_served(client: TestClient, content_type: str) -> None:
    """Finding 17: `Content-Type: APPLICATION/JSON` got 415."""
    response = client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={**auth_headers(), "content-type": content_type},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


def test_media_type_of_lowercases() -> None:
    """Finding 17."""
    assert media_type_of(" Application/JSON ; charset=utf-8") == "application/json"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", "application/graphql-response+json"),
        ("application/graphql-response+json;Q=0.5, application/json", "application/json"),
        ("application/graphql-response+json; Q=0, */*", "application/json"),
    ],
)
def test_accept_is_read_case_insensitively(accept: str, chosen: str) -> None:
    """Finding 17: media types and the `q` parameter's name are case-insensitive."""
    assert response_media_type(accept) == chosen


def test_missing_vendor_files_are_logged_at_start_not_when_the_app_is_built(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Finding 13's warning came from `app = create_app()` at import, before the JSON logging
    was set up: a plain line in a log of JSON lines. It is logged as the server starts."""
    (tmp_path / "src").mkdir()
    (tmp_path / "index.html").write_text("<html></html>")
    with caplog.at_level(logging.WARNING, logger="guanxi"):
        page_routes(tmp_path)
        assert not caplog.records
        warn_if_vendor_files_are_missing(tmp_path)
    assert [r.getMessage() for r in caplog.records] == [
        f"the key-person map needs its npm packages: run `npm ci` in {tmp_path}"
    ]
