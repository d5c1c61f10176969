"""WebSockets (graphql-transport-ws) held to the rules of HTTP requests.

- **Message size:** a message over the body limit (GUANXI_MAX_BODY_BYTES) closes the socket
  with 1009 (message too big) before it is parsed.
- **The credential is checked again:** before each operation the socket runs, and every
  `recheck_seconds` while it is open, the view's `socket_refusal` says whether the socket's
  credential still holds (a revoked token, an expired JWT). When it does not, the socket's
  operations are stopped and it closes with 4401, the reason in the close frame.

- **Trusted documents:** a subscribe message's payload goes through the view's
  `resolve_document`, as an HTTP request's body does: a registered document named by id runs,
  a refused one gets an `error` message with the refusal's `extensions.code`.

The checks themselves are the view's (the server knows the credentials); this module is only
the protocol plumbing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable
from json import JSONDecodeError
from typing import Any, cast

from cross_web import HTTPException
from graphql import GraphQLFormattedError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage,
    SubscribeMessage,
)

MESSAGE_TOO_BIG = 1009  # RFC 6455
UNAUTHORIZED = 4401  # graphql-transport-ws: the credential no longer holds
_MAX_REASON = 120  # a close frame's reason holds at most 123 bytes


class LimitedWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter, closing the socket on a message over the view's
    `max_message_bytes` instead of parsing it."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit: int = getattr(self.view, "max_message_bytes", 0)
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if limit and len(text) * 4 > limit and len(text.encode()) > limit:
                    await self.close(
                        MESSAGE_TOO_BIG, f"message over {limit} bytes (GUANXI_MAX_BODY_BYTES)"
                    )
                    return
                try:
                    yield self.view.decode_json(text)
                except JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
        except KeyError as exc:  # a binary message
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass


# the view's check: why the socket whose context this is may no longer run anything, or None
SocketRefusal = Callable[[Any], Awaitable[str | None]]
# the view's trusted documents: a subscribe payload with its document's text, or HTTPException
DocumentResolver = Callable[[dict[str, Any]], dict[str, Any]]


class GuardedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, None]):
    """graphql-transport-ws, re-checking the socket's credential (module docstring)."""

    async def handle(self) -> None:
        watching = asyncio.create_task(self._watch())
        try:
            await super().handle()
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not await self._still_allowed():
            return
        resolve: DocumentResolver | None = getattr(self.view, "resolve_document", None)
        payload: object = message.get("payload")
        if self.connection_acknowledged and resolve is not None and isinstance(payload, dict):
            try:
                resolved = resolve(cast("dict[str, Any]", payload))
            except HTTPException as exc:
                code: str = getattr(exc, "code", "BAD_REQUEST")
                error: GraphQLFormattedError = {"message": exc.reason, "extensions": {"code": code}}
                refused: ErrorMessage = {"id": message["id"], "type": "error", "payload": [error]}
                await self.send_message(refused)
                return
            message = {**message, "payload": cast("Any", resolved)}
        await super().handle_subscribe(message)

    async def _watch(self) -> None:
        every: float = getattr(self.view, "recheck_seconds", 0) or 0
        if every <= 0:
            return
        while True:
            await asyncio.sleep(every)
            if self.connection_acknowledged and not await self._still_allowed():
                return

    async def _still_allowed(self) -> bool:
        refusal: SocketRefusal | None = getattr(self.view, "socket_refusal", None)
        reason = None if refusal is None else await refusal(self.context)
        if reason is None:
            return True
        for operation_id in list(self.operations):  # nothing runs on it from now on
            await self.cleanup_operation(operation_id)
        with contextlib.suppress(Exception):  # the client may have gone already
            await self.websocket.close(UNAUTHORIZED, reason[:_MAX_REASON])
        return False
