"""Spans for database statements (OpenTelemetry), named by the statement's registry name.

A statement gets a span only inside a traced operation: when the current span (a GraphQL
operation's, a root field's or a DataLoader batch's, carried into worker threads by
`asyncio.to_thread`, which copies the context) is recording. Statements outside one (the
start-up, the hourly purge, the change feed follower's polls every second) make none: no
root spans of their own, no noise. With tracing off nothing records, and the check is one
context variable lookup.

A span holds the statement's name in graph/cypher (e.g. `core.companies.COMPANY_FIGURES_BY_ID`),
the database, the rows returned and, on failure, the error's type: never the statement's
parameters, nor an error's message (the database quotes values in some, e.g. a broken
uniqueness rule), which hold personal data.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer

from graph import cypher

UNREGISTERED = "(a statement not in graph/cypher)"


@functools.cache
def _names() -> dict[str, str]:
    """Registry names by statement text, read once (graph/cypher's registry). Two names for
    one text (an alias) give the first in name order."""
    found: dict[str, str] = {}
    for name, text in sorted(cypher.all_statements().items()):
        found.setdefault(text, name)
    return found


def statement_name(query: str) -> str:
    """The registry name of `query` (`area.module.CONSTANT`)."""
    return _names().get(query, UNREGISTERED)


def tracing() -> bool:
    """Whether a statement run now gets a span: inside a recording span (see the docstring)."""
    return trace.get_current_span().is_recording()


@contextmanager
def statement_span(tracer: Tracer, query: str, database: str) -> Generator[Span]:
    """A span for running `query`, a child of the current span; the caller adds the rows
    (`returned_rows`). An error is recorded by type only, and raised on."""
    name = statement_name(query)
    with tracer.start_as_current_span(
        name,
        kind=SpanKind.CLIENT,
        attributes={
            "db.system": "neo4j",  # the older convention's name; db.system.name the newer
            "db.system.name": "neo4j",
            "db.namespace": database,
            "db.operation.name": name,
        },
        record_exception=False,  # its message may quote values
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except BaseException as exc:
            failed(span, exc)
            raise


def returned_rows(span: Span, rows: int) -> None:
    span.set_attribute("db.response.returned_rows", rows)


def failed(span: Span, exc: BaseException) -> None:
    """Mark `span` failed by `exc`'s type (its message may quote personal data: left out)."""
    kind = type(exc)
    span.set_attribute("error.type", f"{kind.__module__}.{kind.__qualname__}")
    code: object = getattr(exc, "code", None)  # Neo4j's status code, or ours: no values
    if isinstance(code, str):
        span.set_attribute("db.response.status_code", code)
    span.set_status(StatusCode.ERROR, kind.__name__)
