"""Errors as clients see them: a stable `extensions.code`, never a stack trace or Cypher."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, StreamExecutionResult

from graph.db.errors import GuanxiError
from schema.limits import limit_error

log = logging.getLogger(__name__)

_INPUT_HINTS = (
    "got invalid value",
    "has invalid value",
    "does not exist in",
    "of required type",
    "was not provided",
    "Expected value of type",
)


# graphql-core's parse(max_tokens=...) refusal, and its "Did you mean ...?" suggestions (the
# validation flag hide_suggestions does not reach variable coercion, so they are cut here).
# A suggestion is not always last: an input object's unknown field is followed by "Found: ..."
# (the value sent). graphql-core words every one as `did_you_mean` does: "Did you mean", maybe
# words ("the enum value", "to use an inline fragment on"), then one to five quoted names
# ("'a'", "'a' or 'b'", "'a', 'b', or 'c'") and "?"; names hold no quote, so the pattern cannot
# run on into the rest of the message.
_TOO_MANY_TOKENS = re.compile(r"Document contains more than (\d+) tokens")
_SUGGESTION = re.compile(
    r"\s*Did you mean (?:[A-Za-z ]+ )?'[^']*'(?:, '[^']*')*(?:,? or '[^']*')?\?"
)


def _code(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if any(hint in error.message for hint in _INPUT_HINTS):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


INTERNAL_MESSAGE = "Internal error."


class ErrorCodes(SchemaExtension):
    """Expected errors keep their message and gain a code; any other is logged and masked.

    `hide_suggestions` (production): messages lose graphql-core's "Did you mean ...?" hints,
    which would reveal field and type names that introspection hides.

    Only Strawberry's public hooks: the operation's result is rewritten when the operation
    ends (`on_operation`, after every other extension's), and each result of a subscription
    before it is sent (`on_stream_result`). Strawberry has already logged the originals through
    the schema's `process_errors` by then.
    """

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions
        self._streamed = False

    def on_operation(self) -> Iterator[None]:
        yield
        # a stream's results were rewritten one by one as they went out (this is the last)
        if not self._streamed:
            self._rewrite(self.execution_context.result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        self._streamed = True
        self._rewrite(result)
        yield

    def process(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        """The errors as the client gets them."""
        return [self._process(error) for error in errors]

    def _rewrite(self, result: object) -> None:
        if isinstance(result, ExecutionResult | GraphQLExecutionResult) and result.errors:
            result.errors = self.process(result.errors)

    def _process(self, error: GraphQLError) -> GraphQLError:
        processed = self._coded(error)
        if self.hide_suggestions and _SUGGESTION.search(processed.message):
            processed.message = _SUGGESTION.sub("", processed.message)
        return processed

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, GuanxiError):
            coded = {"code": original.code}
            if original.field:
                coded["field"] = original.field
            return GraphQLError(
                original.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions=coded,
            )
        too_many = _TOO_MANY_TOKENS.search(error.message)
        if too_many and original is None:
            limit = int(too_many.group(1))
            return limit_error(
                f"the document has more than {limit:,} tokens, over the limit", "GUANXI_MAX_TOKENS"
            )
        if original is None or isinstance(original, GraphQLError):
            extensions = error.extensions or {}
            return GraphQLError(
                error.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions={**extensions, "code": extensions.get("code") or _code(error)},
            )
        # the request's own id (X-Request-ID) when it came over HTTP, so logs and client agree
        request_id = getattr(self.execution_context.context, "request_id", None)
        request_id = request_id or uuid.uuid4().hex
        log.error("internal error %s", request_id, exc_info=original)
        return GraphQLError(
            INTERNAL_MESSAGE,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
