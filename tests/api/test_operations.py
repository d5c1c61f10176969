"""Operations: /healthz, /readyz (the database answers), request ids, JSON log lines,
Prometheus metrics per operation, graceful shutdown of the real server."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from neo4j import GraphDatabase
from prometheus_client.parser import text_string_to_metric_families
from pydantic_settings import BaseSettings
from starlette.testclient import TestClient

import server
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from server import create_app
from tests.conftest import AUTH, auth_headers
from tests.live_server import ROOT, live_server
from web.logs import JsonFormatter
from web.settings import HttpSettings


def test_healthz_answers_while_the_process_is_up(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


def test_readyz_is_503_before_start_up(graph: Graph) -> None:
    app = create_app(lambda: contextlib.nullcontext(graph), demo_data=False, auth=AUTH)
    response = TestClient(app).get("/readyz")  # no `with`: the lifespan has not run
    assert response.status_code == 503 and response.json() == {"status": "starting"}


class TcpProxy:
    """Forwards connections to `target`; `cut()` drops them all and stops listening, the way a
    database that went away looks to the driver."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)

    def cut(self) -> None:
        with contextlib.suppress(OSError):  # wakes the accepting thread (close alone does not)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def test_readyz_is_503_when_the_database_stops_answering(
    engine_endpoint: BoltEndpoint, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no warm-up: its reads would wait out the driver's retries on the cut database at shutdown
    monkeypatch.setattr(server, "warm_caches", lambda graph: None)
    target = urlsplit(engine_endpoint.uri)
    assert target.hostname and target.port
    proxy = TcpProxy((target.hostname, target.port))
    driver = GraphDatabase.driver(
        f"bolt://127.0.0.1:{proxy.port}",
        auth=(engine_endpoint.username, engine_endpoint.password),
    )
    through_proxy = Graph(driver, engine_endpoint.database)
    app = create_app(
        lambda: contextlib.nullcontext(through_proxy),
        demo_data=False,
        auth=AUTH,
        http=HttpSettings(ready_timeout=3),
    )
    try:
        with TestClient(app) as client:
            assert client.get("/readyz").status_code == 200
            proxy.cut()
            started = time.monotonic()
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.json() == {"status": "database unavailable"}
            assert time.monotonic() - started < 5
            assert client.get("/healthz").status_code == 200  # the process itself is fine
    finally:
        driver.close()


# request ids


def test_a_sane_incoming_request_id_is_kept(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.def_456"})
    assert response.headers["x-request-id"] == "abc-123.def_456"


@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 129, 'quote"and<angle>', "a\tb"])
def test_otherwise_each_request_gets_a_fresh_id(client: TestClient, given: str | None) -> None:
    headers = {"X-Request-ID": given} if given is not None else {}
    first = client.get("/healthz", headers=headers).headers["x-request-id"]
    second = client.get("/healthz", headers=headers).headers["x-request-id"]
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0


def test_graphql_responses_and_refusals_carry_the_request_id(client: TestClient) -> None:
    ok = client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={**auth_headers(), "X-Request-ID": "ok-1"},
    )
    refused = client.post(
        "/graphql", content=b"nope", headers={**auth_headers(), "X-Request-ID": "bad-1"}
    )
    assert ok.headers["x-request-id"] == "ok-1"
    assert refused.status_code == 415 and refused.headers["x-request-id"] == "bad-1"


# JSON logs


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the app logs during the test, formatted by the server's own JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("guanxi")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_json_log_line_per_request_with_its_id_and_operation(
    client: TestClient, json_log: io.StringIO
) -> None:
    client.post(
        "/graphql",
        json={"query": "query Companies { companies { totalCount } }"},
        headers={**auth_headers(), "X-Request-ID": "log-1"},
    )
    client.get("/healthz", headers={"X-Request-ID": "log-2"})
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    by_id = {line["request_id"]: line for line in lines if line["logger"] == "guanxi.http"}
    graphql = by_id["log-1"]
    assert graphql["operation"] == "Companies"
    assert graphql["status"] == 200 and graphql["method"] == "POST"
    assert graphql["path"] == "/graphql" and graphql["level"] == "INFO"
    assert isinstance(graphql["duration_ms"], float) and graphql["duration_ms"] > 0
    assert graphql["time"].endswith("+00:00") and "POST /graphql 200" in graphql["message"]
    assert by_id["log-2"]["operation"] is None and by_id["log-2"]["status"] == 200


# metrics


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = client.get("/metrics").text
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def op(name: str) -> frozenset[tuple[str, str]]:
    return frozenset({("operation", name)})


def test_metrics_per_operation_and_per_status(client: TestClient) -> None:
    def run(body: dict[str, Any]) -> None:
        client.post("/graphql", json=body, headers=auth_headers())

    for _ in range(3):
        run({"query": "query Companies { companies { totalCount } }"})
    run({"query": "{ __typename }"})
    run({"query": 'query Missing { companies(after: "not-a-cursor") { totalCount } }'})
    run({"query": "query Broken { noSuchField }"})
    client.post("/graphql", content=b"{", headers={**auth_headers(), "content-type": "x/y"})

    found = samples(client)
    assert found[("guanxi_graphql_operations_total", op("Companies"))] == 3
    assert found[("guanxi_graphql_operation_duration_seconds_count", op("Companies"))] == 3
    assert found[("guanxi_graphql_operation_duration_seconds_sum", op("Companies"))] > 0
    assert ("guanxi_graphql_operation_errors_total", op("Companies")) not in found
    assert found[("guanxi_graphql_operations_total", op("anonymous"))] == 1
    assert found[("guanxi_graphql_operation_errors_total", op("Missing"))] == 1
    # a document that fails validation takes no label of its own (issue 18, finding 14)
    assert ("guanxi_graphql_operations_total", op("Broken")) not in found
    assert found[("guanxi_graphql_operation_errors_total", op("other"))] == 1
    graphql_200 = frozenset({("path", "/graphql"), ("status", "200")})
    assert found[("guanxi_http_responses_total", graphql_200)] == 6
    graphql_415 = frozenset({("path", "/graphql"), ("status", "415")})
    assert found[("guanxi_http_responses_total", graphql_415)] == 1


def test_client_chosen_operation_names_cannot_flood_the_metrics(client: TestClient) -> None:
    for index in range(205):
        client.post(
            "/graphql", json={"query": f"query Op{index} {{ __typename }}"}, headers=auth_headers()
        )
    found = samples(client)
    names = {
        dict(labels)["operation"]
        for name, labels in found
        if name == "guanxi_graphql_operations_total"
    }
    assert len(names) == 201 and "other" in names
    assert found[("guanxi_graphql_operations_total", op("other"))] == 5


# graceful shutdown


@pytest.mark.slow
def test_sigterm_lets_an_in_flight_request_finish_then_exits_0(
    engine_endpoint: BoltEndpoint, tmp_path: Path
) -> None:
    """SIGTERM arrives while a request's body is still coming in: the request is answered in
    full, the server exits 0 within seconds, and every line it logged is JSON."""
    body = json.dumps({"query": "query Slow { __typename }" + " " * 2000}).encode()
    head = (
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Request-ID: in-flight-1\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in auth_headers().items())
        + "\r\n"
    ).encode()
    with live_server(engine_endpoint, tmp_path / "server.log") as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(head + body[:1000])
            time.sleep(0.3)
            server.process.send_signal(15)  # SIGTERM
            time.sleep(1.0)
            assert server.process.poll() is None, "the server quit with a request in flight"
            sock.sendall(body[1000:])
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        started = time.monotonic()
        code = server.process.wait(timeout=15)
        assert time.monotonic() - started < 10
    status_line, _, rest = answer.decode().partition("\r\n")
    assert status_line == "HTTP/1.1 200 OK", answer
    assert rest.split("\r\n\r\n", 1)[1] == '{"data":{"__typename":"Query"}}'
    assert code == 0
    lines = server.log_lines()
    access = [
        line
        for line in lines
        if line.get("request_id") == "in-flight-1" and line.get("logger") == "guanxi.http"
    ]
    assert len(access) == 1, lines
    assert access[0]["operation"] == "Slow" and access[0]["status"] == 200
    assert access[0]["duration_ms"] >= 1000
    messages = [line["message"] for line in lines]
    assert any("Application shutdown complete" in message for message in messages), messages


# settings


def test_every_setting_the_code_reads_is_in_the_readme_table() -> None:
    """Each pydantic setting (prefix + field) and each GUANXI_/NEO4J_ name the code mentions
    appears in the one configuration table of the README."""
    import graph.evolution.strength  # noqa: F401  (defines StrengthModel)
    import server  # noqa: F401  (imports the rest)

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`((?:GUANXI|NEO4J)_[A-Z0-9_]+)`", table))

    read: set[str] = set()
    for settings_class in _subclasses(BaseSettings):
        prefix = settings_class.model_config.get("env_prefix", "")
        read |= {f"{prefix}{field}".upper() for field in settings_class.model_fields}
    named = re.compile(r"[\"']((?:GUANXI|NEO4J)_[A-Z0-9_]*[A-Z0-9])[\"']")  # not prefixes
    sources = [root / "server.py"]
    for folder in ("graph", "schema", "resolvers", "seed", "web", "benchmarks"):
        sources += (root / folder).rglob("*.py")
    for source in sources:
        read |= set(named.findall(source.read_text()))
    assert read >= {"NEO4J_URI", "GUANXI_MAX_BODY_BYTES", "GUANXI_DEMO_DATA"}
    assert read - documented == set()


def _subclasses(cls: type[BaseSettings]) -> set[type[BaseSettings]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variable", "value"),
    [("GUANXI_FEED_POLL_SECONDS", "abc"), ("GUANXI_FEED_RETENTION_DAYS", "1e12")],
)
def test_a_setting_that_is_not_valid_stops_the_start_with_one_line(
    tmp_path: Path, variable: str, value: str
) -> None:
    """Before the engine starts (nothing is written to the data directory), exit status 2."""
    env = {**os.environ, variable: value, "GUANXI_DATA_DIR": str(tmp_path / "data")}
    ran = subprocess.run(
        [sys.executable, "server.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 2
    [line] = ran.stderr.strip().splitlines()
    assert line.startswith(f"error: {variable}: ") and repr(value) in line
    assert not (tmp_path / "data").exists()
