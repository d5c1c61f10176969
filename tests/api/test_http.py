"""GraphQL over HTTP: media types and status codes, GET for queries only, CSRF, malformed
requests and the request body limit. Every case is a 4xx with a clear message, never a 500."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.settings import ApiSettings
from server import create_app
from tests.conftest import AUTH, auth_headers, counts
from tests.live_server import live_server
from web.settings import HttpSettings
from web.view import SpecGraphQL, media_type_of

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
QUERY = "query Count { companies { totalCount } }"
MUTATION = 'mutation Make { createCompany(input: {name: "CSRF Ltd"}) { id } }'


def post(client: TestClient, body: Any, **headers: str) -> httpx2.Response:
    return client.post("/graphql", json=body, headers={**auth_headers(), **headers})


def only_error(response: httpx2.Response) -> dict[str, Any]:
    """The single error of an HTTP-level refusal (JSON, with extensions.code)."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    errors: list[dict[str, Any]] = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


# media types and status codes


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_json_unless_the_client_asks_for_graphql_response_json(
    client: TestClient, accept: str | None
) -> None:
    headers = {"accept": accept} if accept else {}
    response = post(client, {"query": QUERY}, **headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"companies": {"totalCount": 0}}}


@pytest.mark.parametrize(
    "accept",
    [GRAPHQL_RESPONSE_JSON, f"{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9"],
)
def test_graphql_response_json_when_asked(client: TestClient, accept: str) -> None:
    response = post(client, {"query": QUERY}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    assert response.json() == {"data": {"companies": {"totalCount": 0}}}


def test_json_preferred_by_quality_wins(client: TestClient) -> None:
    accept = f"{GRAPHQL_RESPONSE_JSON};q=0.5, application/json"
    response = post(client, {"query": QUERY}, accept=accept)
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ companies { totalCount "},  # parse error
        {"query": "{ noSuchField }"},  # validation error
        {"query": "query ($n: Int!) { companies(first: $n) { totalCount } }", "variables": {}},
    ],
    ids=["parse", "validation", "variables"],
)
def test_request_errors_are_400_without_data_in_graphql_response_json(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = post(client, body, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    payload = response.json()
    assert "data" not in payload and payload["errors"], payload

    legacy = post(client, body, accept="application/json")
    assert legacy.status_code == 200 and legacy.json()["errors"], legacy.text


def test_a_field_error_is_200_with_data_in_graphql_response_json(client: TestClient) -> None:
    query = '{ companies(after: "not-a-cursor") { totalCount } }'
    response = post(client, {"query": query}, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "data" in payload and payload["errors"][0]["path"] == ["companies"], payload


def test_get_runs_queries(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": QUERY}, headers=auth_headers())
    assert response.status_code == 200
    assert response.json() == {"data": {"companies": {"totalCount": 0}}}


def test_graphiql_in_a_browser(client: TestClient) -> None:
    response = client.get("/graphql", headers={**auth_headers(), "accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_405_naming_get_and_post(client: TestClient, method: str) -> None:
    response = client.request(method, "/graphql", json={"query": QUERY}, headers=auth_headers())
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert only_error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"


# CSRF: neither a link nor a cross-site form can mutate


def test_a_mutation_over_get_is_405_and_writes_nothing(client: TestClient, graph: Graph) -> None:
    response = client.get("/graphql", params={"query": MUTATION}, headers=auth_headers())
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    error = only_error(response)
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in error["message"]
    assert counts(graph) == (0, 0)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", f"query={MUTATION}"),
        ("text/plain", json.dumps({"query": MUTATION})),
        ("text/plain; charset=utf-8", json.dumps({"query": MUTATION})),
    ],
)
def test_a_simple_form_post_cannot_mutate(
    client: TestClient, graph: Graph, content_type: str, body: str
) -> None:
    response = client.post(
        "/graphql", content=body, headers={**auth_headers(), "content-type": content_type}
    )
    assert response.status_code == 415
    error = only_error(response)
    assert error["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "application/json" in error["message"]
    assert counts(graph) == (0, 0)


def test_a_multipart_form_post_cannot_mutate(client: TestClient, graph: Graph) -> None:
    response = client.post(
        "/graphql",
        data={"operations": json.dumps({"query": MUTATION}), "query": MUTATION},
        files={"map": ("map", b"{}")},
        headers=auth_headers(),
    )
    assert response.status_code == 415
    assert "multipart/form-data" in only_error(response)["message"]
    assert counts(graph) == (0, 0)


def test_the_same_mutation_as_json_does_write(client: TestClient, graph: Graph) -> None:
    response = post(client, {"query": MUTATION})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert counts(graph)[0] == 1


def test_a_body_is_parsed_once(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The view checks the body's shape and Strawberry then executes it: one JSON parse, of
    the one body, per request (a second parse was a cost of every request)."""
    parsed: list[str | bytes] = []
    decode = SpecGraphQL.decode_json

    def counted(self: SpecGraphQL[Any], data: str | bytes) -> object:
        parsed.append(data)
        return decode(self, data)

    monkeypatch.setattr(SpecGraphQL, "decode_json", counted)
    for body in ({"query": QUERY}, [{"query": QUERY}, {"query": "{ __typename }"}]):
        parsed.clear()
        response = post(client, body)
        assert response.status_code == 200, response.text
        assert len(parsed) == 1 and json.loads(parsed[0]) == body


@pytest.mark.parametrize(
    ("header", "media_type"),
    [
        ("application/json", "application/json"),
        ("application/json; charset=utf-8", "application/json"),
        (" application/json ;charset=utf-8", "application/json"),
        ('multipart/form-data; boundary="a;b"', "multipart/form-data"),
        ("Application/JSON", "application/json"),  # case-insensitive (issue 18, finding 17)
        ("", ""),
        (None, ""),
    ],
)
def test_the_media_type_of_a_content_type(header: str | None, media_type: str) -> None:
    assert media_type_of(header) == media_type


# malformed requests


def raw_post(client: TestClient, content: bytes, content_type: str | None) -> httpx2.Response:
    headers = {**auth_headers(), **({"content-type": content_type} if content_type else {})}
    return client.post("/graphql", content=content, headers=headers)


@pytest.mark.parametrize(
    ("content", "content_type", "status", "says"),
    [
        (b'{"query": "{ companies { totalCount } }"', "application/json", 400, "JSON"),
        (b"", "application/json", 400, "JSON"),
        (b'{"query": "{ __typename }"}', None, 415, "application/json"),
        (b'{"query": "{ __typename }"}', "application/xml", 415, "application/xml"),
        (b"{}", "application/json", 400, "query"),
        (b'{"variables": {}}', "application/json", 400, "query"),
        (b"42", "application/json", 400, "JSON object"),
        (b'"{ __typename }"', "application/json", 400, "JSON object"),
        (b'{"query": 7}', "application/json", 400, "query"),
        (b'{"query": "{ __typename }", "variables": [1]}', "application/json", 400, "variables"),
        (
            b'{"query": "{ __typename }", "operationName": 3}',
            "application/json",
            400,
            "operationName",
        ),
        (
            b'{"query": "{ __typename }", "operationName": {}}',
            "application/json",
            400,
            "operationName",
        ),
        (b"[]", "application/json", 400, "empty"),
        (b'[{"query": "{ __typename }"}, 3]', "application/json", 400, "each operation"),
    ],
    ids=[
        "bad-json",
        "empty-body",
        "no-content-type",
        "wrong-content-type",
        "no-query",
        "only-variables",
        "number-body",
        "string-body",
        "query-not-a-string",
        "variables-not-an-object",
        "operation-name-a-number",
        "operation-name-an-object",
        "empty-batch",
        "batch-of-a-number",
    ],
)
def test_malformed_requests_get_a_clear_4xx(
    client: TestClient, content: bytes, content_type: str | None, status: int, says: str
) -> None:
    response = raw_post(client, content, content_type)
    assert response.status_code == status, response.text
    error = only_error(response)
    assert says.lower() in error["message"].lower(), error
    assert error["extensions"]["code"] in ("BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE")


def test_an_unknown_operation_name_is_400_naming_it(client: TestClient) -> None:
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}
    response = post(client, body)
    assert response.status_code == 400
    assert '"C"' in only_error(response)["message"]


def test_several_operations_without_a_name_are_400(client: TestClient) -> None:
    response = post(client, {"query": "query A { __typename } query B { __typename }"})
    assert response.status_code == 400
    assert "operationName" in only_error(response)["message"]


def test_get_cannot_smuggle_a_mutation_behind_a_query(client: TestClient, graph: Graph) -> None:
    document = f"query Harmless {{ __typename }} {MUTATION}"
    for params in ({"query": document}, {"query": document, "operationName": "Make"}):
        response = client.get("/graphql", params=params, headers=auth_headers())
        assert response.status_code in (400, 405), response.text
    assert counts(graph) == (0, 0)


# the request body limit


@pytest.fixture
def small_limit_client(graph: Graph) -> Iterator[TestClient]:
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        http=HttpSettings(max_body_bytes=1000),
    )
    with TestClient(app) as test_client:
        yield test_client


def test_a_body_over_the_limit_is_413_and_one_under_is_served(
    small_limit_client: TestClient,
) -> None:
    under = json.dumps({"query": "{ __typename }" + " " * 900}).encode()
    assert len(under) <= 1000
    response = raw_post(small_limit_client, under, "application/json")
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}

    over = json.dumps({"query": "{ __typename }" + " " * 1000}).encode()
    response = raw_post(small_limit_client, over, "application/json")
    assert response.status_code == 413
    error = only_error(response)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "1000 bytes" in error["message"] and "GUANXI_MAX_BODY_BYTES" in error["message"]


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(
    small_limit_client: TestClient,
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }'
        for _ in range(100):
            yield b" " * 100
        yield b'"}'

    response = small_limit_client.post(
        "/graphql",
        content=chunks(),
        headers={**auth_headers(), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert only_error(response)["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_the_default_limit_is_one_mib_and_the_setting_changes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GUANXI_MAX_BODY_BYTES", raising=False)
    assert HttpSettings().max_body_bytes == 1024 * 1024
    monkeypatch.setenv("GUANXI_MAX_BODY_BYTES", "2048")
    assert HttpSettings().max_body_bytes == 2048


@pytest.mark.slow
def test_a_huge_declared_length_is_refused_before_the_body_is_read(
    engine_endpoint: BoltEndpoint, tmp_path: Path
) -> None:
    """The real server answers 413 at once to a 1 GB Content-Length with no body sent."""
    with live_server(engine_endpoint, tmp_path / "server.log") as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            head = (
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000000000\r\n"
                + "".join(f"{name}: {value}\r\n" for name, value in auth_headers().items())
                + "\r\n"
            )
            sock.sendall(head.encode())
            received = b""
            while chunk := sock.recv(65536):  # the server closes the connection after a 413
                received += chunk
            answer = received.decode()
        assert answer.startswith("HTTP/1.1 413"), answer
        assert "LIMIT_EXCEEDED" in answer
        assert server.stop() == 0


def test_a_batch_runs_each_operation_up_to_the_limit(client: TestClient) -> None:
    batch = [{"query": "{ __typename }"}, {"query": "query Q { companies { totalCount } }"}]
    response = client.post("/graphql", json=batch, headers=auth_headers())
    assert response.status_code == 200, response.text
    assert response.json() == [
        {"data": {"__typename": "Query"}},
        {"data": {"companies": {"totalCount": 0}}},
    ]
    too_many = [{"query": "{ __typename }"}] * (ApiSettings().max_batch + 1)
    response = client.post("/graphql", json=too_many, headers=auth_headers())
    assert response.status_code == 413
    error = only_error(response)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "GUANXI_MAX_BATCH" in error["message"]


def test_batches_can_be_turned_off(graph: Graph) -> None:
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        settings=ApiSettings(max_batch=0),
    )
    with TestClient(app, headers=auth_headers()) as off:
        response = off.post("/graphql", json=[{"query": "{ __typename }"}])
    assert response.status_code == 400
    assert "GUANXI_MAX_BATCH=0" in only_error(response)["message"]
