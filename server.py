"""The Guanxi server: Starlette with the GraphQL endpoint at /graphql (GraphiQL in a browser),
/healthz, /readyz and /metrics.

Run `python server.py` (or `make run`). With NEO4J_URI unset it starts the embedded engine
and loads the demo data on first start; Ctrl-C or SIGTERM lets in-flight requests finish and
stops both within seconds. Logs are JSON lines on stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket

from graph import network
from graph.connection import Graph, open_graph
from graph.settings import Neo4jSettings
from graph.setup import count_nodes_and_edges, ensure_schema, ping
from resolvers.context import Context
from schema import schema
from seed.demo import load_demo
from web.logs import configure_logging
from web.metrics import Metrics
from web.middleware import RequestMiddleware
from web.settings import HttpSettings
from web.view import SpecGraphQL

log = logging.getLogger("guanxi")

PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


class GuanxiGraphQL(SpecGraphQL[Context]):
    """The GraphQL endpoint, with a fresh context (and DataLoaders) per request."""

    def __init__(self, graph_of: Callable[[], Graph], metrics: Metrics) -> None:
        super().__init__(schema, metrics, graphql_ide="graphiql")
        self._graph_of = graph_of

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(graph=self._graph_of())


def create_app(
    connect: Callable[[], AbstractContextManager[Graph]] = open_graph,
    *,
    demo_data: bool | None = None,
    settings: HttpSettings | None = None,
) -> Starlette:
    """The app. `connect` opens the graph for the app's lifetime (the embedded engine or Neo4j).

    `demo_data`: load the demo data when the graph is empty; by default only on the embedded
    engine (GUANXI_DEMO_DATA=0 or 1 overrides).
    """
    settings = settings or HttpSettings()
    state: dict[str, Graph] = {}

    def graph_of() -> Graph:
        return state["graph"]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with connect() as graph:
            ensure_schema(graph)
            load = demo_data
            if load is None:
                setting = os.environ.get("GUANXI_DEMO_DATA")
                load = setting == "1" if setting else Neo4jSettings().uri is None
            if load and count_nodes_and_edges(graph)[0] == 0:
                load_demo(graph)
                log.info("demo data loaded")
            state["graph"] = graph
            try:
                yield
            finally:
                state.clear()
                network.stop_worker()

    async def healthz(request: Request) -> JSONResponse:
        """The process is up."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """The database answers a statement within GUANXI_READY_TIMEOUT seconds; else 503."""
        graph = state.get("graph")
        if graph is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            await asyncio.wait_for(run_in_threadpool(ping, graph), settings.ready_timeout)
        except Exception as exc:  # any failure to answer means not ready
            log.warning("readiness check failed: %s", type(exc).__name__)
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    metrics = Metrics(PATHS)
    graphql_app: Any = GuanxiGraphQL(graph_of, metrics)
    return Starlette(
        routes=[
            Route("/graphql", graphql_app),  # the view answers other methods with a JSON 405
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
        ],
        middleware=[
            Middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes, metrics=metrics)
        ],
        lifespan=lifespan,
    )


def _exit_cleanly(signum: int, frame: object) -> None:
    """After uvicorn's orderly shutdown it re-raises SIGTERM: that stop is a clean exit."""
    sys.exit(0)


def main() -> None:
    settings = HttpSettings()
    configure_logging(settings.log_level)
    log.info("GraphQL at http://%s:%d/graphql", settings.host, settings.port)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        create_app(settings=settings),
        host=settings.host,
        port=settings.port,
        timeout_graceful_shutdown=settings.shutdown_grace,
        log_config=None,
        access_log=False,
    )


app = create_app()

if __name__ == "__main__":
    main()
