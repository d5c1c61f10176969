"""The GraphQL schema: `build_schema(settings)` for a mode and limits; `schema` is the default.

`schema` (built from the environment's settings) is what the server serves unless given other
settings, and what schema.graphql records (the SDL is the same in every mode).
"""

from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from opentelemetry.trace import Tracer
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from graph.auth.credentials import Principal
from graph.db import recorder
from graph.db.errors import GuanxiError
from graph.db.settings import ApiSettings
from resolvers.context import Context
from schema.errors import ErrorCodes
from schema.limits import CostLimit, HeavySlots, RequestDeadline, shape_rule
from schema.mutation import Mutation
from schema.pagination import describe_pages
from schema.query import Query
from schema.scalars import SCALARS
from schema.scope import with_team_rules
from schema.subscription import Subscription
from schema.tracing import OperationSpans

# A document seen before is parsed and validated once (the caches are keyed by its text and
# shared by all requests; Strawberry wants a factory per extension).
DOCUMENT_CACHE_SIZE = 512


class _ParserCache(ParserCache):
    """Strawberry's ParserCache, except that a document it cannot parse is left to Strawberry.

    Raised from here, a syntax error (or too many tokens) would bypass ErrorCodes and reach the
    client without a code; Strawberry's own parse raises it again where ErrorCodes sees it.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None
        yield


class _Schema(strawberry.Schema):
    """Strawberry's schema, logging only unexpected errors: a refused input or a query over a
    limit is the client's business (it gets the reason), not a traceback in the server's log.
    Unexpected ones are also logged by ErrorCodes with the request id. Each page type gets
    its own description (`describe_pages`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        describe_pages(self._schema)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            error
            for error in errors
            if error.original_error is not None
            and not isinstance(error.original_error, GuanxiError | GraphQLError)
        ]
        super().process_errors(unexpected, execution_context)


class _OwnLoaders(SchemaExtension):
    """Each operation runs with loaders of its own (`Context.for_operation`): a WebSocket's
    operations, and those of an HTTP batch, share one context."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            self.execution_context.context = context.for_operation()
        yield


class _RecordedBy(SchemaExtension):
    """What an operation changes is recorded as made by the caller's credential
    (graph/db/recorder.py): the principal's JWT subject or token name, never what the client
    writes. An operation without a principal records nothing: its writes fail (NoRecorder).
    Subscriptions write nothing."""

    def on_execute(self) -> Iterator[None]:
        principal = getattr(self.execution_context.context, "principal", None)
        if (
            not isinstance(principal, Principal)
            or self.execution_context.operation_type is OperationType.SUBSCRIPTION
        ):
            yield
            return
        with recorder.recording_as(recorder.of_credential(principal.via, principal.subject)):
            yield


def _parser_cache() -> ParserCache:
    return _ParserCache(maxsize=DOCUMENT_CACHE_SIZE)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=DOCUMENT_CACHE_SIZE)


DOCUMENT_CACHES = (_parser_cache, _validation_cache)


def build_schema(
    settings: ApiSettings | None = None,
    *,
    heavy: HeavySlots | None = None,
    tracer: Tracer | None = None,
) -> strawberry.Schema:
    """The schema with the limits of `settings`; production mode also hides introspection and
    "Did you mean ...?" suggestions. `heavy`: the count of heavy operations each credential
    runs (by default one of its own, shared by the schema's requests). `tracer`: spans for
    each operation and root field (schema/tracing.py); none without it."""
    settings = settings or ApiSettings()
    rules = [shape_rule(settings.max_depth, settings.max_aliases)]
    production = settings.production

    def error_codes() -> ErrorCodes:
        return ErrorCodes(hide_suggestions=production)

    def validation_rules() -> AddValidationRules:
        return AddValidationRules(list(rules))

    def tokens() -> MaxTokensLimiter:
        return MaxTokensLimiter(settings.max_tokens)

    heavy = heavy or HeavySlots(settings.max_heavy_per_credential)

    def cost() -> CostLimit:
        return CostLimit(settings.max_cost, heavy)  # after the validation cache: see CostLimit

    def request_deadline() -> RequestDeadline:
        return RequestDeadline(settings.request_timeout)

    extensions: list[Callable[[], SchemaExtension]] = [
        _OwnLoaders,
        error_codes,
        tokens,
        validation_rules,
        *DOCUMENT_CACHES,
        cost,
        request_deadline,
        _RecordedBy,
    ]
    if production:
        extensions.insert(1, DisableIntrospection)
    if tracer is not None:

        def operation_spans() -> OperationSpans:
            return OperationSpans(tracer)

        extensions.insert(0, operation_spans)  # first: its span holds all the others' work
    batching = (
        None if settings.max_batch == 0 else BatchingConfig(max_operations=settings.max_batch)
    )
    with_team_rules(Query, Mutation, Subscription)
    return _Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(batching_config=batching, scalar_map=SCALARS),
    )


schema = build_schema()

__all__ = ["DOCUMENT_CACHES", "build_schema", "schema"]
