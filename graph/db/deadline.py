"""The deadline of the request being served: every statement it runs checks it.

The server sets one per GraphQL operation (GUANXI_REQUEST_TIMEOUT). It lives in a context
variable, which asyncio hands to the request's tasks and worker threads, so the graph layer
sees it without being passed it. A request made of many short statements (a nested list,
a path search's rounds) is stopped at its next statement; a long single statement gets what
is left of the deadline as its transaction timeout (graph/db/connection.py); a write whose
deadline passes before its commit is rolled back.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from contextlib import contextmanager
from contextvars import ContextVar

from graph.db.errors import TimedOut

# a statement the database stops this close to the deadline was stopped by it
_MARGIN = 0.01
# monotonic time by which the current request must be done, and its length (for the message)
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("guanxi_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Generator[None]:
    """Within the block, work must end within `seconds` (0 or less: no deadline)."""
    if seconds <= 0:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextmanager
def lifted() -> Generator[None]:
    """Within the block, no deadline: for work shared by many requests (a cached result that
    others wait for), which one request's deadline must not cut short."""
    token = _DEADLINE.set(None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def started() -> float | None:
    """When the current request began (time.monotonic()), if it has a deadline."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - current[1]


def remaining() -> float | None:
    """Seconds left before the current deadline (None: there is none)."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - time.monotonic()


def expired() -> TimedOut | None:
    """The error to answer with when the current deadline has passed; else None."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() >= current[0] - _MARGIN:
        return request_timed_out(current[1])
    return None


def check() -> None:
    """Raise TimedOut when the current deadline has passed."""
    error = expired()
    if error is not None:
        raise error


def request_timed_out(seconds: float) -> TimedOut:
    """The error a request past its deadline answers with."""
    return TimedOut(
        f"the request ran longer than its {seconds:g} s limit (GUANXI_REQUEST_TIMEOUT) and was "
        "stopped; nothing it was writing was kept: ask for less (smaller pages, fewer nested "
        "lists, shorter paths) or try again later"
    )
