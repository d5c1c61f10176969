"""One exception root for everything the graph layer refuses, with a stable code per kind."""

from __future__ import annotations


class GuanxiError(Exception):
    """An expected error whose message is safe to show to a client."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(GuanxiError):
    """The input breaks a rule; nothing was written."""

    code = "BAD_USER_INPUT"


class NotFound(GuanxiError):
    """An id names nothing of the expected kind."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, id_: str, *, field: str | None = None, by: str = "id") -> None:
        where = f" (in {field})" if field else ""
        super().__init__(f"no {kind} with {by} '{id_}'{where}", field=field)


class Conflict(GuanxiError):
    """The write would break a uniqueness rule or leave dangling edges; nothing was written."""

    code = "CONFLICT"


class LimitExceeded(GuanxiError):
    """A request went past one of the configured limits; the message names it."""

    code = "LIMIT_EXCEEDED"


class TimedOut(GuanxiError):
    """A statement ran past the transaction timeout and the database stopped it."""

    code = "TIMEOUT"


class Unauthenticated(GuanxiError):
    """No credential, or one that is unknown, revoked, expired or badly signed."""

    code = "UNAUTHENTICATED"


class Forbidden(GuanxiError):
    """The credential is good, but its role may not do this."""

    code = "FORBIDDEN"


class Unavailable(GuanxiError):
    """The database cannot be reached (stopped, restarting, or its process gone), or the
    identity provider's keys cannot be fetched (graph/auth/jwts.py)."""

    code = "UNAVAILABLE"
