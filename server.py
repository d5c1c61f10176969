"""The Guanxi server: Starlette with the GraphQL endpoint at /graphql (GraphiQL in a browser,
subscriptions over WebSocket), the key-person map page at /map/, /healthz, /readyz and /metrics.

Run `python server.py` (or `make run`). With NEO4J_URI unset it starts the embedded engine,
loads the demo data on first start and logs a development token (and a link to the map that
signs in with it); Ctrl-C or SIGTERM lets
in-flight requests finish and stops both within seconds. Logs are JSON lines on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, NoReturn

import uvicorn
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from opentelemetry.trace import NoOpTracer, Tracer, TracerProvider
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from graph.analysis import network
from graph.analysis.classes import value_classes
from graph.auth.credentials import AuthSettings
from graph.auth.tokens import development_token
from graph.core.figures import refresh_due_figures
from graph.core.people_order import people_order
from graph.core.retention import purge_expired
from graph.core.upgrades import prepare
from graph.db import feed
from graph.db.connection import Graph, open_graph
from graph.db.deadline import request_timed_out
from graph.db.engine import starting_alone
from graph.db.errors import Unauthenticated, Unavailable
from graph.db.settings import (
    ApiSettings,
    EngineSettings,
    FeedSettings,
    Neo4jSettings,
    RetentionSettings,
)
from graph.db.setup import count_nodes_and_edges, ping
from graph.keypersons.introductions import our_ties
from graph.referrals.chains import referral_index
from graph.referrals.referrers import referral_network
from resolvers.auth import (
    RequireCredential,
    check_credential,
    connection_credential,
    connection_principal,
    principal_of,
)
from resolvers.context import Context
from schema import build_schema, schema
from seed.demo import load_demo
from web.logs import configure_logging
from web.metrics import Metrics
from web.middleware import REQUEST_ID_KEY, RequestMiddleware
from web.pages import (
    PAGE_DOCUMENTS,
    PAGE_PREFIX,
    graphiql_page,
    is_page_path,
    page_routes,
    warn_if_vendor_files_are_missing,
)
from web.protocol import ConfiguredHeaderTimeoutProtocol, HeaderTimeoutProtocol
from web.settings import HttpSettings
from web.tracing import provider_from_environment
from web.trusted import TrustedDocuments
from web.view import SpecGraphQL

log = logging.getLogger("guanxi")

PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
PURGE_EVERY_SECONDS = 3600
SOCKET_RECHECK_SECONDS = 1.0  # how often an open WebSocket's credential is checked again
WORKER_START_SECONDS = 300  # how long a worker (--workers) may take to start
DEADLINE_GRACE = 1.0  # seconds past GUANXI_REQUEST_TIMEOUT before the server stops waiting


class GuanxiGraphQL(SpecGraphQL[Context]):
    """The GraphQL endpoint, with a fresh context (and DataLoaders) per request; the caller's
    principal comes from RequireCredential (resolvers/auth.py). Production mode serves no
    GraphiQL IDE (and its schema hides introspection)."""

    def __init__(
        self,
        graph_of: Callable[[], Graph],
        metrics: Metrics,
        auth: AuthSettings,
        settings: ApiSettings | None = None,
        *,
        max_message_bytes: int = 0,
        trusted: TrustedDocuments | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        served = (
            schema if settings is None and tracer is None else build_schema(settings, tracer=tracer)
        )
        api = settings or ApiSettings()
        super().__init__(
            served,
            metrics,
            max_tokens=api.max_tokens,
            graphql_ide=None if api.production else "graphiql",
            max_message_bytes=max_message_bytes,
            # a revoked token's sockets close within a second of the revocation being heard
            # (the check finds the token in memory until then: no database round trip)
            recheck_seconds=min(auth.token_cache_seconds, SOCKET_RECHECK_SECONDS),
            trusted=trusted,
        )
        self._graph_of = graph_of
        self._auth = auth
        self._tracer = tracer or NoOpTracer()
        # the request's own deadline (schema/limits.py) stops its statements; this one also
        # stops what runs between them, a little later so that a write is rolled back first
        self._deadline = api.request_timeout + DEADLINE_GRACE if api.request_timeout else None

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page (ui/graphiql/): its scripts from ui/node_modules, not a CDN."""
        return graphiql_page()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            graph=self._graph_of(),
            principal=principal_of(request.scope),
            request_id=request.scope.get(REQUEST_ID_KEY),
            credential=request.headers.get("authorization"),
            tracer=self._tracer,
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Run one operation over HTTP, never without a principal: only the IDE page passes
        RequireCredential without one, and it runs nothing; this is the second guard."""
        if context.principal is None:
            raise HTTPException(401, "missing credential: send 'Authorization: Bearer <token>'")
        running = super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        try:
            return await asyncio.wait_for(running, self._deadline)
        except TimeoutError:
            stopped = request_timed_out(self._deadline or 0)
            return ExecutionResult(
                data=None,
                errors=[GraphQLError(stopped.message, extensions={"code": stopped.code})],
            )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket without the Authorization header authenticates in connection_init."""
        if context.principal is None:
            try:
                context.principal = await connection_principal(
                    context.graph, context.connection_params, self._auth
                )
            except Unauthenticated as exc:
                raise ConnectionRejectionError({"message": exc.message}) from None
            context.credential = connection_credential(context.connection_params)
        return await super().on_ws_connect(context)

    async def socket_refusal(self, context: Context) -> str | None:
        """An open socket runs nothing more once its credential has died: a revoked or
        deleted token, an expired JWT. Checked before each operation and every
        SOCKET_RECHECK_SECONDS: a token revoked through any server closes its sockets here
        within about a second of this server reading the revocation in the change feed."""
        try:
            context.principal = await check_credential(
                context.graph, context.credential, self._auth
            )
        except Unauthenticated as exc:
            return exc.message
        except Unavailable:  # the database or the identity provider's keys: try again later
            log.warning("could not check an open socket's credential again: unavailable")
        return None


def create_app(
    connect: Callable[[], AbstractContextManager[Graph]] = open_graph,
    *,
    demo_data: bool | None = None,
    settings: ApiSettings | None = None,
    http: HttpSettings | None = None,
    dev_token: bool | None = None,
    auth: AuthSettings | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """The app. `connect` opens the graph for the app's lifetime (the embedded engine or Neo4j).

    `demo_data`: load the demo data when the graph is empty; by default only on the embedded
    engine (GUANXI_DEMO_DATA=0 or 1 overrides). `settings`: the mode and limits, `http`: the
    HTTP settings (both by default from the environment). `dev_token`: log an admin API token
    for development (kept in the data directory); by default only on the embedded engine, and
    never in production mode (GUANXI_MODE=production: dev_token=True is then a ValueError).
    `auth`: the credential settings (by default from GUANXI_JWT_* and friends).
    `tracer_provider`: where the spans of operations, root fields, DataLoader batches and
    statements go; by default the OTLP export that OTEL_* variables configure, or none (README,
    "Traces").
    """
    # Production mode never makes or logs a development token, whatever the engine: an admin
    # secret in the log (and a link that signs in with it) is for a laptop's demo only.
    production = (settings or ApiSettings()).production
    if production and dev_token:
        raise ValueError("production mode makes no development token: set GUANXI_MODE=demo")
    http = http or HttpSettings()
    state: dict[str, Graph] = {}
    auth_settings = auth or AuthSettings()
    # read now, so that a setting that is not valid stops the start before the engine does
    feed_settings, _ = FeedSettings(), RetentionSettings()
    own_provider = provider_from_environment() if tracer_provider is None else None
    provider = tracer_provider or own_provider
    tracer = provider.get_tracer("guanxi") if provider is not None else None

    def graph_of() -> Graph:
        return state["graph"]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        warn_if_vendor_files_are_missing()
        embedded = connect is open_graph and Neo4jSettings().uri is None
        with contextlib.ExitStack() as stack:
            # several servers starting on one data directory take turns (the first starts
            # the engine and loads the demo data; the others find both)
            data_dir = EngineSettings().data_dir
            with starting_alone(data_dir) if embedded else contextlib.nullcontext():
                graph = stack.enter_context(connect())
                make_dev_token = not production and (embedded if dev_token is None else dev_token)
                _get_ready(graph, demo_data, make_dev_token)
            state["graph"] = graph
            untraced = graph.tracer
            if tracer is not None:
                graph.tracer = tracer  # its statements' spans (graph/db/tracing.py)
            following = feed.follower(graph)
            following.start(feed_settings.poll_seconds)
            purging = asyncio.create_task(_purge_periodically(graph))
            warming = asyncio.create_task(run_in_threadpool(warm_caches, graph))
            try:
                yield
            finally:
                purging.cancel()
                await warming  # the graph stays open until the warm-up's reads end
                following.stop()
                state.clear()
                network.stop_worker()
                graph.tracer = untraced
                if own_provider is not None:
                    # export what is left now: a process that ran the engine ends with
                    # os._exit (_leave), before the SDK's own flush at exit
                    own_provider.force_flush()

    def _get_ready(graph: Graph, demo: bool | None, make_dev_token: bool) -> None:
        """Prepare the database, load the demo data into an empty one (when asked, or by
        default on the embedded engine) and log a development token (when asked)."""
        prepare(graph)
        if demo is None:
            setting = os.environ.get("GUANXI_DEMO_DATA")
            demo = setting == "1" if setting else Neo4jSettings().uri is None
        if demo and count_nodes_and_edges(graph)[0] == 0:
            load_demo(graph)
            log.info("demo data loaded")
        if make_dev_token:
            secret = development_token(graph, EngineSettings().data_dir / "dev-token")
            log.info("development admin token (send 'Authorization: Bearer %s')", secret)
            # a server listening everywhere is reached on loopback from this machine
            host = "127.0.0.1" if http.host in ("0.0.0.0", "::", "") else http.host
            log.info(
                "key-person map: http://%s:%d%s/#token=%s", host, http.port, PAGE_PREFIX, secret
            )
            log.info("GraphiQL: http://%s:%d/graphql#token=%s", host, http.port, secret)

    async def healthz(request: Request) -> JSONResponse:
        """The process is up."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """The database answers a statement within GUANXI_READY_TIMEOUT seconds; else 503."""
        graph = state.get("graph")
        if graph is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            await asyncio.wait_for(run_in_threadpool(ping, graph), http.ready_timeout)
        except Exception as exc:  # any failure to answer means not ready
            log.warning("readiness check failed: %s", type(exc).__name__)
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    metrics = Metrics(PATHS, reserved=http.metric_operations)
    # the map's documents and the front-end teams' (GUANXI_TRUSTED_DOCUMENT_FILES); a manifest
    # that cannot be read stops the start (ValueError) rather than refusing its clients later
    trusted = TrustedDocuments.load(
        http.trusted_documents, (PAGE_DOCUMENTS, *http.trusted_document_files)
    )
    graphql_app: Any = GuanxiGraphQL(
        graph_of,
        metrics,
        auth_settings,
        settings,
        max_message_bytes=http.max_body_bytes,
        trusted=trusted,
        tracer=tracer,
    )
    return Starlette(
        routes=[
            Route("/graphql", graphql_app),  # the view answers other methods with a JSON 405
            WebSocketRoute("/graphql", graphql_app),  # subscriptions: graphql-transport-ws
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            *page_routes(graphiql=not production),
        ],
        middleware=[
            # outermost first: request ids, body limit and access log see every request,
            # refused ones included
            Middleware(RequestMiddleware, max_body_bytes=http.max_body_bytes, metrics=metrics),
            Middleware(
                RequireCredential,
                graph_of=graph_of,
                settings=auth_settings,
                also_open=is_page_path,  # the map's static files: no data
            ),
        ],
        lifespan=lifespan,
    )


async def _purge_periodically(graph: Graph) -> None:
    """Purge deleted items and idempotency keys past their retention, and recount the figures
    of companies whose counted roles have ended (graph/core/figures.py), now and every hour."""
    while True:
        try:
            purged = await run_in_threadpool(purge_expired, graph)
            due = await run_in_threadpool(refresh_due_figures, graph, force=True)
            if due:
                log.info("recounted the figures of %d company(ies) whose roles ended", due)
            if purged.deleted_items or purged.idempotency_keys:
                log.info(
                    "purged %d deleted item(s) and %d idempotency key(s) past their retention",
                    purged.deleted_items,
                    purged.idempotency_keys,
                )
        except Exception:  # the next round tries again; serving goes on meanwhile
            log.exception("purging expired items failed")
        await asyncio.sleep(PURGE_EVERY_SECONDS)


def warm_caches(graph: Graph) -> None:
    """Read what the slow cached results are built from once, while the server starts to
    serve, so that the first planner to list people or follow a referral does not wait for it
    (at 100,000 people: seconds each; a request meanwhile joins the read under way)."""
    for build in (people_order, our_ties, referral_index, referral_network, value_classes):
        try:
            build(graph)
        except Exception:  # the first request builds it and reports the error
            log.exception("warming the cached %s failed", build.__name__)


def _exit_cleanly(signum: int, frame: object) -> None:
    """After uvicorn's orderly shutdown it re-raises SIGTERM: that stop is a clean exit."""
    _leave(0)


def _leave(status: int) -> NoReturn:
    """Exit. A process that ran the embedded engine (stopped by now, its data written) ends
    at once: the JVM keeps the process alive while other servers still hold Bolt connections
    to it, which would leave a stopped server running."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    jpype = sys.modules.get("jpype")
    if jpype is not None and jpype.isJVMStarted():
        os._exit(status)
    sys.exit(status)


def main(arguments: Sequence[str] | None = None) -> None:
    """`python server.py [--workers N]`: serve, in this process or in N worker processes."""
    parser = argparse.ArgumentParser(description="The Guanxi server (README, 'Running it').")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port (default 1: this process serves); with the "
        "embedded engine, this process runs the engine and the workers reach it over Bolt",
    )
    workers = parser.parse_args(arguments).workers
    if workers < 1:
        parser.error("--workers must be at least 1")
    http = HttpSettings()
    configure_logging(http.log_level)
    log.info("GraphQL at http://%s:%d/graphql", http.host, http.port)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    options: dict[str, Any] = {
        "host": http.host,
        "port": http.port,
        "timeout_graceful_shutdown": http.shutdown_grace,
        "ws_max_size": http.max_body_bytes,  # WebSocket messages: the same limit as bodies
        "log_config": None,
        "access_log": False,
    }
    if workers == 1:
        uvicorn.run(
            create_app(http=http),
            http=HeaderTimeoutProtocol.with_timeout(http.header_timeout),
            **options,
        )
        _leave(0)
    with contextlib.ExitStack() as stack:
        if Neo4jSettings().uri is None:  # the engine lives here, for every worker to reach
            data_dir = EngineSettings().data_dir
            with starting_alone(data_dir):
                stack.enter_context(open_graph())
        os.environ[WORKER_MARK] = "1"  # a worker configures its logging as it imports this
        uvicorn.run(
            "server:app",
            workers=workers,
            http="web.protocol:ConfiguredHeaderTimeoutProtocol",
            # a worker waits its turn to start (the demo data, at first) before it answers
            # the supervisor's health checks: give it time rather than restart it
            timeout_worker_healthcheck=WORKER_START_SECONDS,
            **options,
        )
    _leave(0)


def _settings_problems(exc: ValidationError) -> str:
    """A settings error as one line per setting, named as its environment variable."""
    prefixes = {
        kind.__name__: str(kind.model_config.get("env_prefix", ""))
        for kind in (
            ApiSettings,
            AuthSettings,
            EngineSettings,
            FeedSettings,
            HttpSettings,
            Neo4jSettings,
            RetentionSettings,
        )
    }
    prefix = prefixes.get(exc.title, "")
    lines = [
        f"error: {prefix}{'_'.join(map(str, error['loc'])).upper()}: {error['msg']} "
        f"(got {str(error.get('input'))[:80]!r})"
        for error in exc.errors()
    ]
    return "\n".join(lines)


def _app() -> Starlette:
    """The app `uvicorn server:app` (and each worker) serves; a setting that is not valid
    stops `python server.py` with one line per setting, before anything starts."""
    try:
        return create_app()
    except ValidationError as exc:
        if __name__ != "__main__":
            raise
        print(_settings_problems(exc), file=sys.stderr)
        sys.exit(2)


WORKER_MARK = "GUANXI_SERVER_WORKER"
if os.environ.get(WORKER_MARK) and __name__ != "__main__":  # a worker of `--workers N`
    _worker_http = HttpSettings()  # checked by the parent already
    configure_logging(_worker_http.log_level)
    ConfiguredHeaderTimeoutProtocol.header_timeout = _worker_http.header_timeout

app = _app()

if __name__ == "__main__":
    main()
