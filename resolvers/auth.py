"""Access control at the HTTP edge: every request but the health checks carries a credential.

`RequireCredential` is an ASGI middleware: it checks `Authorization: Bearer <token or JWT>`
(graph/auth/credentials.py) and puts the Principal in the request scope, where `principal_of` finds
it for the GraphQL context; a missing or bad credential gets a 401 with a GraphQL-style error
(extensions.code UNAUTHENTICATED). What each role may do is schema/auth.py.

WebSocket connections pass through with the header's principal when one is sent; a connection
without it authenticates with `connection_principal` on its connection_init payload
({"Authorization": "Bearer ..."}), from the GraphQL view's `on_ws_connect`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.auth import credentials
from graph.auth.credentials import (
    AuthSettings,
    Principal,
    authenticate,
    authenticate_known,
    bearer,
)
from graph.auth.tokens import ApiToken
from graph.db.connection import Graph
from graph.db.errors import Unauthenticated, Unavailable
from resolvers.context import Context, off_loop

# Answered without a credential: load balancers, orchestrators and Prometheus probe them
# (/metrics shows operation names and counts, no data: keep it off the public network).
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
PRINCIPAL_KEY = "guanxi.principal"


def principal_of(scope: Mapping[str, object]) -> Principal | None:
    """The principal the middleware found for this request (None: not authenticated yet)."""
    found = scope.get(PRINCIPAL_KEY)
    return found if isinstance(found, Principal) else None


async def check_credential(graph: Graph, header: str | None, settings: AuthSettings) -> Principal:
    """The principal for an Authorization header value; Unauthenticated if it is not good."""
    credential = bearer(header)
    # A JWT whose key is at hand (the shared secret, an identity provider's cached key), or a
    # token found recently, is checked on the loop: a worker thread per request costs more than
    # the check. A token's first look-up and a fetch of the provider's keys leave it.
    known = authenticate_known(credential, settings)
    if known is not None:
        return known
    return await off_loop(authenticate, graph, credential, settings)


def connection_credential(payload: Mapping[str, object] | None) -> str | None:
    """The Authorization entry of a WebSocket's connection_init payload, if it has one."""
    header = None if payload is None else payload.get("Authorization", payload.get("authorization"))
    return header if isinstance(header, str) else None


async def connection_principal(
    graph: Graph, payload: Mapping[str, object] | None, settings: AuthSettings
) -> Principal:
    """The principal for a WebSocket connection_init payload carrying an Authorization entry."""
    return await check_credential(graph, connection_credential(payload), settings)


def unauthenticated_response(message: str) -> JSONResponse:
    """401 with a GraphQL-style error body."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": Unauthenticated.code}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="guanxi"'},
    )


def _is_ide_page(scope: Scope, headers: Headers) -> bool:
    """GET /graphql from a browser without a query: the GraphiQL page itself (no data), where
    the user then enters the credential in the Headers tab."""
    params = QueryParams(scope.get("query_string", b""))  # decoded: `%71uery=` is `query=`
    return (
        scope["method"] == "GET"
        and "query" not in params
        and "text/html" in headers.get("accept", "")
    )


def _never(path: str) -> bool:
    return False


class RequireCredential:
    """ASGI middleware: 401 for HTTP requests without a good credential (health checks, the
    IDE page and the paths `also_open` names excepted); the principal goes into the scope."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        graph_of: Callable[[], Graph],
        settings: AuthSettings,
        also_open: Callable[[str], bool] = _never,
    ) -> None:
        self.app = app
        self._graph_of = graph_of
        self._settings = settings
        self._also_open = also_open

    def _open(self, path: str) -> bool:
        return path in OPEN_PATHS or self._also_open(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._open(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        header = headers.get("authorization")
        if header is None and (scope["type"] == "websocket" or _is_ide_page(scope, headers)):
            # a WebSocket may authenticate in connection_init; the IDE page holds no data
            await self.app(scope, receive, send)
            return
        try:
            scope[PRINCIPAL_KEY] = await check_credential(self._graph_of(), header, self._settings)
        except Unauthenticated as exc:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4401, "reason": exc.message})
            else:
                await unauthenticated_response(exc.message)(scope, receive, send)
            return
        except Unavailable as exc:  # no database for a token's look-up, no provider's keys
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1013, "reason": "try again"})
            else:
                await _unavailable_response(exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _unavailable_response(exc: Unavailable) -> JSONResponse:
    """503 with a GraphQL-style error body."""
    return JSONResponse(
        {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]},
        status_code=503,
        headers={"Retry-After": "5"},
    )


async def revoke_token(ctx: Context, name_or_id: str) -> ApiToken:
    """Revoke a live token (graph/auth/credentials.py); NotFound when there is none."""
    return await off_loop(credentials.revoke_token, ctx.graph, name_or_id)
