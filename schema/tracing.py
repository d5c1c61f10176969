"""Spans for GraphQL operations and their root fields (OpenTelemetry; README, "Traces").

Only when the server traces (build_schema(tracer=...)): without it this extension is not in
the schema at all, so no field pays for it.

Strawberry's own OpenTelemetryExtension is not used: it makes a span (and an awaitable) per
resolved field, 1,000 of each for a page of 1,000 roles, and puts the document and each
field's arguments in its spans, which hold personal data (a search for a person's name, an
input with their details). Here an operation has one span, each root field one, each
DataLoader batch one (resolvers/context.py), and each database statement one
(graph/db/tracing.py): the fields below the root are grouped by the batches that load them.
Spans hold names, types and counts: never the document, arguments, variables or values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from inspect import isawaitable
from typing import Any

from graphql import GraphQLResolveInfo
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext


class OperationSpans(SchemaExtension):
    """A span for the operation (the current span while it runs, so that what runs in worker
    threads nests under it) and one for each root field."""

    def __init__(self, tracer: Tracer, execution_context: ExecutionContext | None = None) -> None:
        self._tracer = tracer
        if execution_context is not None:
            self.execution_context = execution_context

    def on_operation(self) -> Iterator[None]:
        span = self._tracer.start_span("GraphQL Operation", kind=SpanKind.SERVER)
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            yield
        finally:
            otel_context.detach(token)
            self._close(span)

    def _close(self, span: Span) -> None:
        """Name the span as the semantic conventions do (`query CompanyRoles`), mark it failed
        when the result holds errors (by their codes), and end it."""
        context = self.execution_context
        name = context.operation_name
        kind = None
        if context.graphql_document is not None:
            try:
                kind = context.operation_type.value
            except Exception:  # no such operation in the document: the errors say so
                kind = None
        if kind is not None:
            span.set_attribute("graphql.operation.type", kind)
            span.update_name(f"{kind} {name}" if name else kind)
        if name:
            span.set_attribute("graphql.operation.name", name)
        errors = context.result.errors if context.result is not None else None
        errors = errors or context.pre_execution_errors
        if errors:
            codes = sorted({str((e.extensions or {}).get("code", "ERROR")) for e in errors})
            span.set_attribute("graphql.error.codes", codes)
            span.set_status(StatusCode.ERROR, ", ".join(codes))
        span.end()

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """A root field runs in a span of its own; other fields run as they are (no span, no
        awaitable added)."""
        if info.path.prev is not None:
            return _next(root, info, *args, **kwargs)
        span = self._tracer.start_span(
            f"GraphQL field {info.field_name}",
            attributes={
                "graphql.field.name": info.field_name,
                "graphql.field.path": str(info.path.key),
            },
        )
        try:
            with trace.use_span(span, record_exception=False, set_status_on_exception=False):
                result = _next(root, info, *args, **kwargs)
        except BaseException as exc:
            _failed(span, exc)
            span.end()
            raise
        if isawaitable(result):
            return _awaited(span, result)
        span.end()
        return result


async def _awaited(span: Span, result: Awaitable[Any]) -> Any:
    """Await a root field's result inside its span, then end the span."""
    try:
        with trace.use_span(span, record_exception=False, set_status_on_exception=False):
            return await result
    except BaseException as exc:
        _failed(span, exc)
        raise
    finally:
        span.end()


def _failed(span: Span, exc: BaseException) -> None:
    """By the error's type and code only: its message may quote what the client sent."""
    span.set_attribute("error.type", type(exc).__qualname__)
    code: object = getattr(exc, "code", None)
    span.set_status(StatusCode.ERROR, code if isinstance(code, str) else type(exc).__name__)
