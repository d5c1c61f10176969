"""Traces: a span per GraphQL operation, per root field, per DataLoader batch and per database
statement (named by its registry name), under the operation's span, with no parameter values;
none at all when tracing is off."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import neo4j
import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from starlette.testclient import TestClient

from graph.auth.credentials import issue_jwt
from graph.auth.tokens import Role
from graph.cypher import all_statements
from graph.cypher.core.deleted import DELETED_PAGE
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.tracing import statement_name
from server import create_app
from tests import factories
from tests.api import test_sockets as sockets
from tests.conftest import AUTH, auth_headers, data, gql
from tests.live_server import served_in_a_thread, start_server, wait_ready
from web import tracing

COMPANY_ROLES = """
query CompanyRoles($id: ID!) {
  company(id: $id) { name people { title person { name email } } }
}"""
CREATE = """
mutation Create($name: String!) { createCompany(input: {name: $name}) { id } }"""
# personal values the operations send or read: none may appear in a span
NAME, PERSON, EMAIL, TITLE, NEW = (
    "Zhang Wei Trading",
    "Li Na",
    "li.na@example.cn",
    "Procurement Director",
    "Wang Fang Holdings",
)


@pytest.fixture
def company_id(graph: Graph) -> str:
    company = factories.company(graph, NAME)
    person = factories.person(graph, PERSON, email=EMAIL)
    factories.role(graph, person, company, TITLE)
    return company


@contextlib.contextmanager
def app_client(graph: Graph, provider: TracerProvider | None) -> Iterator[TestClient]:
    app = create_app(
        lambda: contextlib.nullcontext(graph), demo_data=False, auth=AUTH, tracer_provider=provider
    )
    with TestClient(app, headers=auth_headers()) as client:
        yield client


def ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[ReadableSpan]:
    """The span's parents, nearest first, as far as they were recorded."""
    found = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        found.append(span)
    return found


def attribute_values(spans: tuple[ReadableSpan, ...]) -> list[str]:
    return [str(v) for s in spans for v in (s.attributes or {}).values()] + [s.name for s in spans]


def test_statement_spans_sit_under_the_operation_span_by_registry_name(
    graph: Graph, company_id: str
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with app_client(graph, provider) as client:
        exporter.clear()  # the start-up's statements made none (no operation): checked below
        read = data(client, COMPANY_ROLES, id=company_id)
        assert read["company"]["people"][0]["person"]["name"] == PERSON
        made = data(client, CREATE, name=NEW)["createCompany"]["id"]
        refused = gql(client, f'query Refused {{ company(id: "{company_id}") {{ nope }} }}')
        assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        time.sleep(0.6)  # the change feed's follower polls every 0.2 s meanwhile
    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans if s.context is not None}

    roots = [s for s in spans if s.parent is None]
    assert sorted(s.name for s in roots) == [
        "mutation Create",
        "query CompanyRoles",
        "query Refused",
    ], [
        s.name for s in roots
    ]  # no orphans: the follower's polls and the start-up's reads make no span
    refused_op = next(s for s in roots if s.name == "query Refused")
    assert refused_op.status.status_code is StatusCode.ERROR
    assert refused_op.status.description == "GRAPHQL_VALIDATION_FAILED"
    read_op = next(s for s in roots if s.name == "query CompanyRoles")
    assert read_op.kind is trace.SpanKind.SERVER
    assert read_op.attributes == {
        "graphql.operation.type": "query",
        "graphql.operation.name": "CompanyRoles",
    }

    registered = set(all_statements())
    statements = [s for s in spans if s.kind is trace.SpanKind.CLIENT]
    assert statements and all(s.name in registered for s in statements), [
        s.name for s in statements
    ]
    for span in statements:
        assert span.attributes is not None
        assert span.attributes["db.system"] == "neo4j"
        assert span.attributes["db.operation.name"] == span.name
        assert isinstance(span.attributes["db.response.returned_rows"], int)
        assert ancestors(span, by_id)[-1] in roots, span.name

    def chain(name: str) -> list[str]:
        """The names from the statement `name` (read by the query) up to its root."""
        span = next(s for s in statements if s.name == name and read_op in ancestors(s, by_id))
        return [span.name, *(s.name for s in ancestors(span, by_id))]

    # the root field's own read, through its DataLoader batch; the roles (a field below the
    # root) through theirs, which the operation holds
    assert chain("core.kinds.COMPANY.by_id") == [
        "core.kinds.COMPANY.by_id",
        "DataLoader companies",
        "GraphQL field company",
        "query CompanyRoles",
    ]
    assert chain("core.roles.ROLES_FOR_COMPANIES") == [
        "core.roles.ROLES_FOR_COMPANIES",
        "DataLoader current_roles_and_people_by_company",
        "query CompanyRoles",
    ]
    # the write's statements, the change feed's entry among them, under the mutation
    write_op = next(s for s in roots if s.name == "mutation Create")
    under_write = {s.name for s in statements if write_op in ancestors(s, by_id)}
    assert any(n.startswith("db.feed.") for n in under_write), under_write

    # names, counts and types only: no value the operations sent or read
    values = attribute_values(spans)
    for secret in (company_id, made, NAME, PERSON, EMAIL, TITLE, NEW):
        leaks = [v for v in values if secret in v]
        assert not leaks, (secret, leaks)


def test_with_tracing_off_nothing_is_recorded_or_exported(
    graph: Graph, company_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in tracing.ENDPOINTS:
        monkeypatch.delenv(name, raising=False)
    assert tracing.provider_from_environment.__wrapped__() is None
    seen: list[trace.Span] = []

    def current_span(query: str, params: dict[str, Any]) -> None:
        seen.append(trace.get_current_span())  # in the statement's worker thread

    graph.listeners.append(current_span)
    try:
        with app_client(graph, None) as client:
            seen.clear()
            data(client, COMPANY_ROLES, id=company_id)
    finally:
        graph.listeners.remove(current_span)
    assert seen and not any(span.is_recording() for span in seen)
    assert graph.tracer.__class__ is trace.NoOpTracer  # and the app left the graph's as it was
    # nothing set a tracer provider for the process: no SDK, nothing to export
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def test_traces_are_on_when_an_otlp_endpoint_is_set() -> None:
    assert not tracing.configured({})
    assert tracing.configured({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing.configured({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"})
    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert not tracing.configured({**endpoint, "OTEL_SDK_DISABLED": "true"})
    assert not tracing.configured({**endpoint, "OTEL_TRACES_EXPORTER": "none"})


def test_a_statement_is_named_by_the_registry() -> None:
    name, text = next(iter(sorted(all_statements().items())))
    assert statement_name(text) == name
    assert statement_name("MATCH (n) RETURN n") == "(a statement not in graph/cypher)"


class OtlpReceiver:
    """A collector's OTLP/HTTP traces endpoint on loopback: keeps what it is sent."""

    def __init__(self) -> None:
        received: list[ExportTraceServiceRequest] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                received.append(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def spans(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(service.name, span name, attributes) of every span received."""
        found = []
        for request in self.received:
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        attributes = {a.key: str(a.value) for a in span.attributes}
                        found.append((resource["service.name"], span.name, attributes))
        return found


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_server_exports_its_spans_over_otlp_when_an_endpoint_is_set(
    engine_endpoint: BoltEndpoint, company_id: str, tmp_path: Path, workers: str
) -> None:
    """`python server.py` (and each worker of `--workers 2`) with OTEL_EXPORTER_OTLP_ENDPOINT:
    its spans reach the endpoint, at the latest when it stops (the batch is sent every minute
    here, so what arrives was flushed at shutdown)."""
    receiver = OtlpReceiver()
    server = start_server(
        engine_endpoint,
        tmp_path / "server.log",
        "--workers",
        workers,
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        OTEL_BSP_SCHEDULE_DELAY="60000",
    )
    try:
        wait_ready(server)
        for _ in range(4):
            response = httpx2.post(
                server.graphql_url,
                json={"query": COMPANY_ROLES, "variables": {"id": company_id}},
                headers=auth_headers(),
            )
            assert response.json()["data"]["company"]["name"] == NAME
    finally:
        assert server.stop() == 0, server.log.read_text()
    receiver.server.shutdown()
    receiver.server.server_close()
    spans = receiver.spans()
    names = [name for _, name, _ in spans]
    assert names.count("query CompanyRoles") == 4, names
    assert "core.roles.ROLES_FOR_COMPANIES" in names, names
    assert {service for service, _, _ in spans} == {"guanxi"}
    for secret in (company_id, NAME, PERSON, EMAIL, TITLE):
        assert not [s for s in spans if secret in str(s)], secret


def test_a_failed_statement_is_marked_by_its_error_type_and_code_not_its_message(
    graph: Graph,
) -> None:
    """The span keeps the error's type and code, not its message, where a database may quote
    the value it refused (Neo4j does, for some errors)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    graph.tracer = tracer
    try:
        with (
            tracer.start_as_current_span("operation"),
            pytest.raises(neo4j.exceptions.Neo4jError) as refused,
        ):
            graph.read(DELETED_PAGE, kind=None, offset=0, limit=NAME)
    finally:
        graph.tracer = trace.NoOpTracer()
    statement = next(s for s in exporter.get_finished_spans() if s.name != "operation")
    assert statement.name == "core.deleted.DELETED_PAGE"
    assert statement.status.status_code is StatusCode.ERROR
    assert statement.attributes is not None
    assert statement.attributes["error.type"] == type(refused.value).__module__ + "." + (
        type(refused.value).__qualname__
    )
    assert statement.attributes["db.response.status_code"] == refused.value.code
    assert not [s for s in exporter.get_finished_spans() if NAME in str(s.to_json())]


def test_operations_on_a_socket_and_a_subscription_each_have_their_span(
    graph: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    """A subscription's span lasts as long as it does, with the statements it runs under it;
    the socket's other operations have their own. OpenTelemetry logs nothing (a context
    attached in one task and detached in another would be logged as an error)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=sockets.AUTH,
        tracer_provider=provider,
    )
    a, b = factories.person(graph, PERSON), factories.person(graph, "Wang Fang")
    token = issue_jwt("socket", Role.ADMIN, sockets.AUTH)
    with served_in_a_thread(app) as base, sockets._socket(base, f"Bearer {token}") as ws:
        assert sockets._run(ws, "1", "query Before { companies { totalCount } }")["data"]
        subscribe = {"query": sockets.CHANGED, "variables": {"p": a}}
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": subscribe}))
        time.sleep(0.5)
        factories.knows(graph, a, b, 0.5)
        assert json.loads(ws.recv(timeout=10))["type"] == "next"
        ws.send(json.dumps({"id": "2", "type": "complete"}))
        assert sockets._run(ws, "3", "query After { companies { totalCount } }")["data"]
    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    roots = sorted(s.name for s in spans if s.parent is None)
    assert roots == ["query After", "query Before", "subscription"], roots
    subscription = next(s for s in spans if s.name == "subscription")
    under = {s.name for s in spans if subscription in ancestors(s, by_id)}
    assert "GraphQL field relationshipChanged" in under and "core.kinds.PERSON.by_id" in under
    assert not [r for r in caplog.records if r.name.startswith("opentelemetry")]
