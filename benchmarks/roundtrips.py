"""Database round trips per GraphQL operation, counted in-process.

The app runs in this process over the benchmark's graph (Starlette's TestClient, lifespan
and all), and a listener on the graph records every statement each request runs: each
statement is one database round trip (graph/db/connection.py).
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, LiteralString

from starlette.testclient import TestClient

from benchmarks.harness import BENCH_AUTH, admin_headers, result_size
from graph.cypher import all_statements
from graph.db.connection import Graph
from server import create_app, warm_caches

_NAMES = {statement: name for name, statement in all_statements().items()}


def statement_name(query: str) -> str:
    """`module.CONSTANT` of a statement of graph/cypher."""
    return _NAMES.get(query, "(a statement not in graph/cypher)")


@dataclass(frozen=True)
class Counted:
    """One request: the statements it ran (by name, and as run), and the size of its result."""

    statements: list[str]
    objects: int
    fields: int
    data: dict[str, Any]
    calls: list[tuple[LiteralString, dict[str, Any]]]

    @property
    def round_trips(self) -> int:
        return len(self.statements)

    def timed(self, graph: Graph) -> list[tuple[str, float]]:
        """Each statement again through the bare driver, with the same parameters: its median
        time in ms over three runs (one run when it takes over a second)."""
        found = []
        for name, (query, params) in zip(self.statements, self.calls, strict=True):
            times = [_run(graph, query, params)]
            if times[0] < 1000:
                times += [_run(graph, query, params) for _ in range(2)]
            found.append((name, statistics.median(times)))
        return found

    def replay(self, graph: Graph) -> None:
        """Each statement again through the bare driver, one after another, as the request
        ran them (one round trip each)."""
        for query, params in self.calls:
            graph.read(query, **params)

    def which(self) -> str:
        """The statements, each with how many times it ran when more than once."""
        counts: dict[str, int] = {}
        for name in self.statements:
            counts[name] = counts.get(name, 0) + 1
        return ", ".join(f"{n} x{c}" if c > 1 else n for n, c in counts.items()) or "none"


def _run(graph: Graph, query: LiteralString, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    graph.read(query, **params)
    return (time.perf_counter() - started) * 1000


class InProcessApp:
    """The app in this process, counting the statements each request runs."""

    def __init__(self, client: TestClient, graph: Graph) -> None:
        self._client = client
        self._graph = graph

    def run(self, query: str, **variables: Any) -> Counted:
        executed: list[tuple[LiteralString, dict[str, Any]]] = []

        def listen(statement: LiteralString, params: dict[str, Any]) -> None:
            executed.append((statement, dict(params)))

        self._graph.listeners.append(listen)
        try:
            response = self._client.post("/graphql", json={"query": query, "variables": variables})
        finally:
            self._graph.listeners.remove(listen)
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        objects, fields = result_size(body["data"])
        names = [statement_name(query) for query, _ in executed]
        return Counted(names, objects, fields, body["data"], executed)


@contextlib.contextmanager
def in_process(graph: Graph) -> Iterator[InProcessApp]:
    """The app over `graph`, in this process, for counting statements."""
    app = create_app(
        connect=lambda: contextlib.nullcontext(graph), demo_data=False, auth=BENCH_AUTH
    )
    with TestClient(app, headers=admin_headers()) as client:
        # the app warms its caches as it starts, in the background: wait for that here (each
        # call joins the computation under way), or its statements land among a request's
        warm_caches(graph)
        yield InProcessApp(client, graph)
