"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for each request head.

uvicorn bounds the idle time between requests (`timeout_keep_alive`, 5 s), but nothing bounds
the time a client takes to send a request line and headers: the keep-alive timer starts only
after a response and stops at the first byte received, and none runs on a new connection.
A client that opens connections and dribbles (or never finishes) their heads holds each one
for as long as it likes; issue 18's probe held 1,000 for 40 s (finding 15). Here every
connection must complete each request head within `header_timeout` seconds of being ready
for it (the connection made, or the previous response sent), or it is closed. Request bodies
are bounded in size (GUANXI_MAX_BODY_BYTES), not in time; a reverse proxy in front can bound
both (nginx: `client_header_timeout`, `client_body_timeout`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import ClassVar, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("guanxi.http")


class HeaderTimeoutProtocol(H11Protocol):
    """H11Protocol closing a connection whose request head is not complete in time."""

    header_timeout: ClassVar[float] = 10.0
    _head_deadline: asyncio.TimerHandle | None = None

    @classmethod
    def with_timeout(cls, seconds: float) -> type[HeaderTimeoutProtocol]:
        """This protocol with `seconds` for each head (uvicorn takes a class: `http=`)."""
        return cast(
            "type[HeaderTimeoutProtocol]", type(cls.__name__, (cls,), {"header_timeout": seconds})
        )

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # a whole head arrived (or an upgrade)
            self._stop_waiting()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # the next request's head is awaited (unless a pipelined one is already in)
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._stop_waiting()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _stop_waiting(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        log.info(
            "closed a connection that sent no whole request head within %g s "
            "(GUANXI_HEADER_TIMEOUT)",
            self.header_timeout,
        )
        with contextlib.suppress(h11.LocalProtocolError):  # as uvicorn's keep-alive timeout
            self.conn.send(h11.ConnectionClosed())
        self.transport.close()


class ConfiguredHeaderTimeoutProtocol(HeaderTimeoutProtocol):
    """HeaderTimeoutProtocol for uvicorn's worker processes, which take the protocol by its
    import path (a class made by `with_timeout` cannot reach them): each worker sets
    `header_timeout` from GUANXI_HEADER_TIMEOUT as it starts (server.py)."""
