"""The reference for the fixed cost of a request: a bare Starlette app with a trivial endpoint
and a trivial Strawberry schema, served by uvicorn exactly as server.py serves Guanxi.

    python -m benchmarks.bare_server

Listens where Guanxi would (GUANXI_HOST, GUANXI_PORT) with the same uvicorn options
(`server.main`: graceful-shutdown time, no log configuration, no access log). `GET /healthz`
answers `{"status": "ok"}` as Guanxi's does, and `/graphql` serves Strawberry's own ASGI view
over a schema of one field, with no middleware, authentication, logging, metrics, limits or
per-request context. Like Guanxi's, its schema parses and validates a document once
(Strawberry's ParserCache and ValidationCache): without them a bare `{ __typename }` costs
more than Guanxi's, which would hide what ours adds. What a request to Guanxi costs beyond a
request to this is ours.
"""

from __future__ import annotations

import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

from web.settings import HttpSettings


@strawberry.type
class Query:
    hello: str = "world"


async def healthz(request: Request) -> JSONResponse:
    """As Guanxi's /healthz."""
    return JSONResponse({"status": "ok"})


def create_app() -> Starlette:
    """The bare app: /healthz and a one-field GraphQL schema."""
    schema = strawberry.Schema(query=Query, extensions=[ParserCache, ValidationCache])
    view: GraphQL[None, None] = GraphQL(schema)
    return Starlette(routes=[Route("/graphql", view), Route("/healthz", healthz)])


def main() -> None:
    http = HttpSettings()
    uvicorn.run(
        create_app(),
        host=http.host,
        port=http.port,
        timeout_graceful_shutdown=http.shutdown_grace,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
