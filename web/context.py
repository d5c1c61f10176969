"""What the server knows about the request being handled, for logs and metrics."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

# an incoming X-Request-ID is kept when it looks like an id, not like an attack on the logs
_SANE_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")


@dataclass
class RequestInfo:
    """One request: its id and, once known, the GraphQL operation it ran."""

    request_id: str
    operation: str | None = None


CURRENT: ContextVar[RequestInfo | None] = ContextVar("guanxi_request", default=None)


def request_id_from(header: str | None) -> str:
    """The client's X-Request-ID when it is sane, else a fresh one."""
    if header is not None and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current() -> RequestInfo | None:
    """The request being handled in this task or thread, if any."""
    return CURRENT.get()
