"""Errors as clients see them: a stable `extensions.code`, never a stack trace or Cypher."""

from __future__ import annotations

import logging
import uuid

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from graph.errors import GuanxiError

log = logging.getLogger(__name__)

_INPUT_HINTS = (
    "got invalid value",
    "has invalid value",
    "does not exist in",
    "of required type",
    "was not provided",
    "Expected value of type",
)


def _code(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if any(hint in error.message for hint in _INPUT_HINTS):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorCodes(MaskErrors):
    """Expected errors keep their message and gain a code; any other is logged and masked."""

    def __init__(self) -> None:
        super().__init__(error_message="Internal error.")

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._process(error) for error in errors]

    def _process(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, GuanxiError):
            extensions = {"code": original.code}
            if original.field:
                extensions["field"] = original.field
            return GraphQLError(
                original.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions=extensions,
            )
        if original is None or isinstance(original, GraphQLError):
            return GraphQLError(
                error.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions={**(error.extensions or {}), "code": _code(error)},
            )
        request_id = uuid.uuid4().hex
        log.error("internal error %s", request_id, exc_info=original)
        return GraphQLError(
            self.error_message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
