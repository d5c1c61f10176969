"""One ASGI middleware for every HTTP request: its id, the body size limit, the access log line
and the HTTP status count."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web import context
from web.errors import error_body
from web.metrics import Metrics

log = logging.getLogger("guanxi.http")


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being received."""


# where the request's id sits in the ASGI scope
REQUEST_ID_KEY = "guanxi.request_id"


class RequestMiddleware:
    """Gives each request an id (X-Request-ID in and out), refuses bodies over `max_body_bytes`
    with 413 before reading them whole, logs one line per request and counts its status."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, metrics: Metrics) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        info = context.RequestInfo(context.request_id_from(headers.get("x-request-id")))
        token = context.CURRENT.set(info)
        scope[REQUEST_ID_KEY] = info.request_id  # for the app: errors quote it to the client
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                MutableHeaders(scope=message)["X-Request-ID"] = info.request_id
            await send(message)

        try:
            if self._declared_too_large(headers):
                await self._refuse_too_large(send_with_id)
            else:
                try:
                    await self.app(scope, self._limited(receive), send_with_id)
                except BodyTooLarge:
                    if response_started:
                        raise
                    await self._refuse_too_large(send_with_id)
        finally:
            seconds = time.perf_counter() - started
            path: str = scope["path"]
            self.metrics.observe_response(path, status)
            log.info(
                "%s %s %d",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                },
            )
            context.CURRENT.reset(token)

    def _declared_too_large(self, headers: Headers) -> bool:
        length = headers.get("content-length")
        return length is not None and length.isdigit() and int(length) > self.max_body_bytes

    def _limited(self, receive: Receive) -> Receive:
        """`receive`, raising BodyTooLarge as soon as the body received passes the limit."""
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        return receive_limited

    async def _refuse_too_large(self, send: Send) -> None:
        body = error_body(
            f"the request body is larger than the limit of {self.max_body_bytes} bytes "
            "(GUANXI_MAX_BODY_BYTES)",
            413,
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
