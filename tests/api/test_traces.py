"""Traces: a span per GraphQL operation, per root field, per DataLoader batch and per database
statement (named by its registry name), under the operation's span, with no parameter values;
none at all when tracing is off."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from starlette.testclient import TestClient

from graph.cypher import all_statements
from graph.db.connection import Graph
from graph.db.tracing import statement_name
from server import create_app
from tests import factories
from tests.conftest import AUTH, auth_headers, data, gql
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
