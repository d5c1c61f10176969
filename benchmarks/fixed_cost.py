"""The fixed cost of a request: Guanxi against a bare Starlette app served the same way.

    .venv/bin/python -m benchmarks.fixed_cost [--rounds 300] [--profile 3000]

Starts Guanxi (`python server.py`, over an empty embedded engine of its own) and
benchmarks/bare_server.py (Starlette, a trivial endpoint and a one-field Strawberry schema,
uvicorn with server.py's options), each in its own process, and times over loopback,
interleaved, the order rotating each round: `GET /healthz` and the GraphQL query
`{ __typename }` on each (both with the same admin JWT header; the bare app ignores it).
`python -m benchmarks` runs the same measurement (`measure`) in its own run.

With `--profile N`, it instead runs N `{ __typename }` requests and N `GET /healthz` through
Guanxi's ASGI app in this process (no network, no uvicorn) under cProfile, and prints where
the time goes: what a request costs in our code (web/, server.py, resolvers/auth.py,
resolvers/context.py) and in Starlette and Strawberry.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.harness import (
    BENCH_AUTH,
    ServerProcess,
    admin_headers,
    percentiles,
    server_process,
)
from benchmarks.report import Section
from graph.db.connection import Graph, open_graph
from graph.db.engine import BoltEndpoint, EmbeddedEngine
from graph.db.settings import EngineSettings

HEALTHZ, TYPENAME = "GET /healthz", "GraphQL { __typename }"
GUANXI, BARE = "Guanxi", "bare Starlette + Strawberry"
TYPENAME_BODY = {"query": "{ __typename }"}


@dataclass
class FixedCost:
    """Milliseconds per request, by (server, request)."""

    times: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def add(self, server: str, request: str, took: float) -> None:
        self.times.setdefault((server, request), []).append(took)

    def p50(self, server: str, request: str) -> float:
        return percentiles(self.times[(server, request)])[0]

    def p99(self, server: str, request: str) -> float:
        return percentiles(self.times[(server, request)])[1]


def _request(client: httpx2.Client, request: str) -> None:
    if request == HEALTHZ:
        response = client.get("/healthz")
    else:
        response = client.post("/graphql", json=TYPENAME_BODY)
    response.raise_for_status()
    if request == TYPENAME and response.json() != {"data": {"__typename": "Query"}}:
        raise RuntimeError(f"unexpected answer: {response.text}")


def measure(guanxi: httpx2.Client, bare: httpx2.Client, rounds: int, warmup: int = 20) -> FixedCost:
    """Both requests on both servers each round, the order rotating."""
    found = FixedCost()
    plan = [(server, request) for server in (GUANXI, BARE) for request in (HEALTHZ, TYPENAME)]
    clients = {GUANXI: guanxi, BARE: bare}
    for round_ in range(warmup + rounds):
        by = round_ % len(plan)
        for server, request in plan[by:] + plan[:by]:
            started = time.perf_counter()
            _request(clients[server], request)
            took = (time.perf_counter() - started) * 1000
            if round_ >= warmup:
                found.add(server, request, took)
    return found


def section(found: FixedCost, rounds: int) -> Section:
    rows = []
    for request in (HEALTHZ, TYPENAME):
        ours, bare = found.p50(GUANXI, request), found.p50(BARE, request)
        rows.append(
            [
                request,
                ms2(ours),
                ms2(found.p99(GUANXI, request)),
                ms2(bare),
                ms2(found.p99(BARE, request)),
                ms2(ours - bare),
            ]
        )
    return Section(
        title="The fixed cost of a request",
        intro=(
            f"{rounds} rounds, interleaved, the order rotating: Guanxi's server against a bare "
            "Starlette app with a trivial endpoint and a one-field Strawberry schema "
            "(benchmarks/bare_server.py), each in its own process, served by uvicorn with "
            "server.py's options, over loopback, with the same headers."
        ),
        columns=["request", "Guanxi p50", "p99", "bare p50", "p99", "ours (p50 difference)"],
        rows=rows,
    )


def ms2(value: float) -> str:
    """Milliseconds with two decimals: the fixed costs are a few."""
    return f"{value:.2f} ms"


@contextlib.contextmanager
def servers(endpoint: BoltEndpoint) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Guanxi over `endpoint` and the bare app, each in its own process."""
    with (
        server_process(endpoint) as guanxi,
        server_process(None, module="benchmarks.bare_server") as bare,
    ):
        yield guanxi, bare


@contextlib.contextmanager
def _empty_engine() -> Iterator[tuple[Graph, BoltEndpoint]]:
    with tempfile.TemporaryDirectory() as scratch:
        engine = EmbeddedEngine(Path(scratch) / "db", database="guanxi", heap="1g")
        endpoint = engine.start()
        try:
            settings = endpoint.neo4j_settings()
            with open_graph(settings, EngineSettings(data_dir=Path(scratch) / "unused")) as graph:
                yield graph, endpoint
        finally:
            engine.stop()


# -- profiling in-process ----------------------------------------------------------------------


async def _asgi(
    app: Any, method: str, path: str, body: bytes, headers: list[tuple[bytes, bytes]]
) -> int:
    """One HTTP request through an ASGI app, as uvicorn would hand it over; its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def profile(graph: Graph, requests: int) -> str:
    """cProfile of `requests` { __typename } and GET /healthz through Guanxi's ASGI app."""
    from starlette.testclient import TestClient

    from server import create_app

    app = create_app(
        connect=lambda: contextlib.nullcontext(graph), demo_data=False, auth=BENCH_AUTH
    )
    headers = [(k.lower().encode(), v.encode()) for k, v in admin_headers().items()]
    json_headers = [*headers, (b"content-type", b"application/json"), (b"host", b"127.0.0.1")]
    body = b'{"query": "{ __typename }"}'

    async def run(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            assert await _asgi(app, "POST", "/graphql", body, json_headers) == 200
            assert await _asgi(app, "GET", "/healthz", b"", headers) == 200
        return (time.perf_counter() - started) / count * 1000

    with TestClient(app):  # runs the lifespan: the app's graph is set
        asyncio.run(run(200))  # warm-up
        plain = asyncio.run(run(requests))
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(run(requests))
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    return (
        f"in-process, no network: {plain:.3f} ms for one {{ __typename }} and one GET /healthz "
        f"(unprofiled)\n{out.getvalue()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="requests to profile in-process")
    args = parser.parse_args()
    with _empty_engine() as (graph, endpoint):
        if args.profile:
            print(profile(graph, args.profile))
            return
        with servers(endpoint) as (guanxi, bare):
            found = measure(guanxi.client, bare.client, args.rounds)
    result = section(found, args.rounds)
    print(result.intro)
    for row in result.rows:
        print("  " + "  ".join(f"{c}: {v}" for c, v in zip(result.columns, row, strict=True)))


if __name__ == "__main__":
    main()
