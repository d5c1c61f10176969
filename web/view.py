"""The GraphQL endpoint as the GraphQL-over-HTTP spec wants it, on top of Strawberry's view.

- Media types: `application/graphql-response+json` when the Accept header prefers it,
  `application/json` otherwise (also for `*/*` and no Accept header).
- Status codes: with `application/graphql-response+json`, a request that fails before
  execution (parse, validation, variable coercion) gets 400 and no `data` entry; with
  `application/json` every GraphQL response is 200.
- Only queries over GET (a mutation gets 405); POST bodies must be `application/json` (form
  posts and text/plain get 415), so neither a link nor a cross-site form can mutate.
- HTTP-level errors (bad JSON, a missing query, batches...) are JSON with `extensions.code`;
  so is JSON nested too deeply for Python's parser, or a body that is not UTF-8 (a 400).
- Media types are case-insensitive (RFC 9110): `Content-Type: APPLICATION/JSON` is JSON, and
  so is the `q` of an Accept header's `Q=0.5`.
- Trusted documents (web/trusted.py): an operation may name a registered document by id
  (`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`), over POST, GET and
  WebSockets alike; with GUANXI_TRUSTED_DOCUMENTS=only other documents are refused (400
  `UNTRUSTED_DOCUMENT`), an unknown id is 400 `PERSISTED_QUERY_NOT_FOUND`.
- The view looks at the document itself only to name its operation (for the metrics and the
  access log); that look stops at the schema's token limit (GUANXI_MAX_TOKENS), so a document
  over the limit costs no more than one under it before the schema refuses it.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Generic, TypeVar

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.types import QueryParams
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from web.context import current as current_request
from web.errors import error_response
from web.metrics import Metrics
from web.sockets import GuardedTransportWSHandler, LimitedWebSocketAdapter
from web.trusted import DocumentRefused, TrustedDocuments

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
ContextT = TypeVar("ContextT")


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` when the Accept header ranks it at least as high as
    `application/json`; `application/json` in every other case (the spec's default)."""
    if not accept:
        return JSON
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranks[media.lower()] = max(quality, ranks.get(media.lower(), 0.0))
    preferred = ranks.get(GRAPHQL_RESPONSE_JSON, 0.0)
    if preferred > 0 and preferred >= ranks.get(JSON, 0.0):
        return GRAPHQL_RESPONSE_JSON
    return JSON


def media_type_of(content_type: str | None) -> str:
    """The media type of a Content-Type header value, its parameters left out, in lower case
    (media types are case-insensitive)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _media_types_lowercased(scope: Scope) -> Scope:
    """The scope with its Content-Type's media type in lower case: Strawberry compares it as
    sent, and would refuse `APPLICATION/JSON` after this view has accepted it."""
    headers = [
        (name, _lowercase_media_type(value) if name == b"content-type" else value)
        for name, value in scope["headers"]
    ]
    return {**scope, "headers": headers}


def _lowercase_media_type(value: bytes) -> bytes:
    media_type, separator, parameters = value.partition(b";")
    return media_type.lower() + separator + parameters


# The request body this task has parsed, with its raw bytes (see SpecGraphQL.parse_http_body).
_PARSED_BODY: ContextVar[tuple[str | bytes, Any] | None] = ContextVar(
    "guanxi_parsed_body", default=None
)


@lru_cache(maxsize=512)
def operations_in(query: str, max_tokens: int) -> tuple[str | None, ...]:
    """The names of the document's operations (None for an anonymous one); empty when it does
    not parse or has more than `max_tokens` tokens (execution then reports why: the schema
    refuses it by the same limit). The parse stops at the limit, so a huge document costs no
    more than one at the limit (issue 18, finding 4)."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return ()
    return tuple(
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def is_request_error(result: ExecutionResult) -> bool:
    """The operation failed before execution: a parse, validation or variable error."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


class SpecGraphQL(GraphQL[ContextT, None], Generic[ContextT]):
    """Strawberry's ASGI view, following the GraphQL-over-HTTP spec; records each operation's
    name, latency and errors in `metrics`.

    WebSockets speak graphql-transport-ws only (web/sockets.py): messages up to
    `max_message_bytes`, the credential checked again by `socket_refusal` before each
    operation and every `recheck_seconds`. The legacy `graphql-ws` protocol (of the
    unmaintained subscriptions-transport-ws) is refused at the handshake (4406).
    """

    websocket_adapter_class = LimitedWebSocketAdapter
    graphql_transport_ws_handler_class = GuardedTransportWSHandler

    def __init__(
        self,
        schema: Any,
        metrics: Metrics,
        *,
        max_tokens: int,
        max_message_bytes: int = 0,
        recheck_seconds: float = 0,
        trusted: TrustedDocuments | None = None,
        **options: Any,
    ) -> None:
        """`max_tokens`: the schema's token limit (GUANXI_MAX_TOKENS), which bounds the view's
        own parse of a document too. `trusted`: the registered documents and the mode
        (GUANXI_TRUSTED_DOCUMENTS); by default none, and any document runs."""
        options.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(schema, **options)
        self.metrics = metrics
        self.max_tokens = max_tokens
        self.max_message_bytes = max_message_bytes
        self.recheck_seconds = recheck_seconds
        self.trusted = trusted or TrustedDocuments()

    def resolve_document(self, operation: dict[str, Any]) -> dict[str, Any]:
        """The operation with its registered document's text, or DocumentRefused (web/trusted.py);
        WebSocket subscribe messages go through it too (web/sockets.py)."""
        return self.trusted.resolve(operation)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """Not for a GET that names a trusted document (by `documentId`, or Apollo's
        `extensions`) instead of sending a `query`: that one runs it."""
        params = request.query_params
        named = params.get("documentId") is not None or params.get("extensions") is not None
        return not named and super().should_render_graphql_ide(request)

    async def socket_refusal(self, context: ContextT) -> str | None:
        """Why an open socket with this context may run nothing more; None: it may."""
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        scope = _media_types_lowercased(scope)
        request = Request(scope=scope, receive=receive)
        media_type = response_media_type(request.headers.get("accept"))
        request.state.media_type = media_type
        try:
            response = await self.run(request)
        except HTTPException as exc:
            allow = "GET, POST" if exc.status_code == 405 else None
            if exc.status_code == 405 and request.method == "GET":
                allow = "POST"
            code = exc.code if isinstance(exc, DocumentRefused) else None
            response = error_response(exc.reason, exc.status_code, media_type, allow, code)
        else:
            if response.media_type == JSON and media_type == GRAPHQL_RESPONSE_JSON:
                response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
                if getattr(request.state, "request_error", False):
                    response.status_code = 400
        await response(scope, receive, send)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        """Refuse what is not one JSON operation, each with a message that says why."""
        if request.method != "POST":
            return await super().parse_http_body(request)
        content_type = media_type_of(request.content_type)
        if content_type != JSON:
            raise HTTPException(
                415,
                f"send the operation as {JSON} (a JSON object with a `query`), "
                f"not {content_type or 'a body without a Content-Type'}",
            )
        raw = await request.get_body()
        body = self.parse_json(raw)
        if isinstance(body, list):
            self._check_batch(body)
            operations = body
        elif isinstance(body, dict):
            operations = [body]
        else:
            raise HTTPException(400, "the body must be a JSON object with a `query`")
        for operation in operations:
            if not isinstance(operation, dict):
                raise HTTPException(400, "each operation must be a JSON object with a `query`")
            if not isinstance(operation.get("operationName"), str | None):
                raise HTTPException(400, "`operationName` must be a string or null")
        resolved = [self.resolve_document(operation) for operation in operations]
        # Strawberry's own parse reads the same body again: it gets this parse (parse_json),
        # with each registered document's text in `query`
        token = _PARSED_BODY.set((raw, resolved if isinstance(body, list) else resolved[0]))
        try:
            return await super().parse_http_body(request)
        finally:
            _PARSED_BODY.reset(token)

    def parse_json(self, data: str | bytes) -> Any:
        """The body parsed as JSON; parsed once per request (see parse_http_body)."""
        parsed = _PARSED_BODY.get()
        if parsed is not None and parsed[0] is data:
            return parsed[1]
        try:
            return super().parse_json(data)
        except RecursionError:  # issue 18, finding 10: was a 500 with a traceback
            raise HTTPException(400, "the JSON is nested too deeply to parse") from None
        except UnicodeDecodeError:  # the same finding: JSON over HTTP is UTF-8 (RFC 8259)
            raise HTTPException(400, "the body is not JSON in UTF-8") from None

    def parse_query_params(self, params: QueryParams) -> dict[str, Any]:
        """A GET's parameters, `variables` and `extensions` parsed as JSON; a refusal names the
        parameter (issue 18, finding 10: JSON nested too deeply was a 500 here too)."""
        parsed: dict[str, Any] = dict(params)
        for name in ("variables", "extensions"):
            if parsed.get(name):
                try:
                    parsed[name] = self.decode_json(parsed[name])
                except (ValueError, RecursionError) as exc:
                    deep = isinstance(exc, RecursionError)
                    why = "JSON nested too deeply to parse" if deep else "not valid JSON"
                    raise HTTPException(400, f"the `{name}` parameter is {why}") from None
        return self.resolve_document(parsed)

    def _check_batch(self, body: list[Any]) -> None:
        """A JSON array is a batch: allowed up to GUANXI_MAX_BATCH operations (0: none)."""
        batching = self.schema.config.batching_config
        if batching is None:
            raise HTTPException(
                400, "batched operations (a JSON array) are turned off (GUANXI_MAX_BATCH=0)"
            )
        limit = batching["max_operations"]
        if not body:
            raise HTTPException(400, "the batch (a JSON array) is empty")
        if len(body) > limit:
            raise HTTPException(
                413,
                f"the batch has {len(body)} operations, over the limit of {limit} "
                "(GUANXI_MAX_BATCH)",
            )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: ContextT,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        name = request_data.operation_name
        if name is None and request_data.query:
            operations = operations_in(request_data.query, self.max_tokens)
            if len(operations) > 1:
                raise HTTPException(
                    400,
                    "the document holds several operations: name the one to run in `operationName`",
                )
            name = operations[0] if operations else None
        info = current_request()
        if info is not None:
            info.operation = name
        started = time.perf_counter()
        failed = True
        validated = False  # refused before execution: its name takes no metrics label
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as exc:
            wrong_type = isinstance(exc.__cause__, InvalidOperationTypeError)
            if wrong_type and request_adapter.method == "GET":
                raise HTTPException(
                    405, "only queries can be sent with GET: send mutations with POST"
                ) from exc
            raise
        else:
            failed = bool(result.errors)
            validated = not is_request_error(result)
            return result
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe_operation(name, elapsed, failed, validated)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if (
            is_request_error(result)
            and getattr(request.state, "media_type", JSON) == GRAPHQL_RESPONSE_JSON
        ):
            request.state.request_error = True
            response.pop("data", None)
        return response


__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "SpecGraphQL", "response_media_type"]
