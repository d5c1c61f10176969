"""HTTP-level errors (before any GraphQL runs), as GraphQL-shaped JSON bodies."""

from __future__ import annotations

import json

from starlette.responses import Response

# extensions.code for each status an HTTP-level error can have
CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "LIMIT_EXCEEDED",
    415: "UNSUPPORTED_MEDIA_TYPE",
    503: "UNAVAILABLE",
}


def error_body(message: str, status: int, code: str | None = None) -> bytes:
    """`{"errors": [{"message": ..., "extensions": {"code": ...}}]}` as UTF-8 JSON; the code is
    the status's (CODES) unless given."""
    code = code or CODES.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL")
    error = {"message": message, "extensions": {"code": code}}
    return json.dumps({"errors": [error]}, separators=(",", ":")).encode()


def error_response(
    message: str,
    status: int,
    media_type: str = "application/json",
    allow: str | None = None,
    code: str | None = None,
) -> Response:
    """A response carrying one HTTP-level error (with `Allow` for a 405)."""
    headers = {"Allow": allow} if allow else None
    body = error_body(message, status, code)
    return Response(body, status, headers=headers, media_type=media_type)
