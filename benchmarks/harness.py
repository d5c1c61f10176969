"""Shared benchmark machinery: a synthetic graph in an embedded engine, reused between runs,
the server in its own process pointed at it, and timing helpers."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from pydantic import SecretStr
from rich.progress import Progress

from graph.connection import Graph, open_graph
from graph.engine import BoltEndpoint, EmbeddedEngine
from graph.settings import EngineSettings, Neo4jSettings
from graph.setup import count_nodes_and_edges, delete_everything, ensure_schema
from seed.synthetic import Synthetic, generate, load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"


@dataclass(frozen=True)
class Samples:
    """Endpoints chosen when the graph was generated, kept beside it for reuse."""

    customer_of_50: str
    path_pairs: list[tuple[str, str, int]]


def _distance(neighbours: dict[str, set[str]], a: str, b: str, limit: int) -> int | None:
    seen = {a: 0}
    queue = deque([a])
    while queue:
        node = queue.popleft()
        if seen[node] >= limit:
            continue
        for other in neighbours.get(node, ()):
            if other not in seen:
                seen[other] = seen[node] + 1
                if other == b:
                    return seen[other]
                queue.append(other)
    return None


def _samples(data: Synthetic, pairs: int = 20) -> Samples:
    """A customer with 50 people, and pairs of median-degree people 3 or 4 hops apart."""
    degrees = sorted(len(v) for v in data.neighbours.values())
    median = degrees[len(degrees) // 2]
    typical = sorted(p for p, n in data.neighbours.items() if abs(len(n) - median) <= 1)
    found: list[tuple[str, str, int]] = []
    step = max(1, len(typical) // 997)
    for index in range(0, len(typical) - 1, step):
        a, b = typical[index], typical[(index * 7919 + 13) % len(typical)]
        if a == b:
            continue
        distance = _distance(data.neighbours, a, b, 4)
        if distance in (3, 4):
            found.append((a, b, distance))
        if len(found) == pairs:
            break
    counts: dict[str, int] = {}
    for company in data.company_of.values():
        counts[company] = counts.get(company, 0) + 1
    customer = next(c for c, n in sorted(counts.items()) if n == 50 and not c.startswith("co_ours"))
    return Samples(customer_of_50=customer, path_pairs=found)


@contextmanager
def synthetic_graph(people: int, seed: int = 7) -> Iterator[tuple[Graph, BoltEndpoint, Samples]]:
    """An embedded engine holding the synthetic graph at this scale (built on first use)."""
    directory = DATA / f"people-{people}-seed-{seed}"
    engine = EmbeddedEngine(directory, database="guanxi", heap=os.environ.get("HEAP", "4g"))
    endpoint = engine.start()
    settings = Neo4jSettings(
        uri=endpoint.uri,
        username=endpoint.username,
        password=SecretStr(endpoint.password),
        database=endpoint.database,
    )
    samples_file = directory / "samples.json"
    try:
        with open_graph(settings, EngineSettings(data_dir=directory / "unused")) as graph:
            ensure_schema(graph)
            if not samples_file.exists():
                delete_everything(graph)
                print(f"generating the synthetic graph for {people:,} people ...", flush=True)
                data = generate(people, seed)
                total = sum(
                    len(rows)
                    for rows in (
                        data.companies,
                        data.people,
                        data.roles,
                        data.relationships,
                        data.company_relationships,
                        data.reporting_lines,
                    )
                )
                started = time.perf_counter()
                with Progress() as progress:
                    task = progress.add_task("loading rows", total=total)
                    load(graph, data, progress=lambda n: progress.advance(task, n))
                seconds = time.perf_counter() - started
                print(f"loaded {total:,} rows in {seconds:.0f} s ({total / seconds:,.0f} rows/s)")
                samples = _samples(data)
                samples_file.write_text(json.dumps(samples.__dict__))
            samples = Samples(**json.loads(samples_file.read_text()))
            samples = Samples(samples.customer_of_50, [tuple(p) for p in samples.path_pairs])  # type: ignore[misc]
            nodes, edges = count_nodes_and_edges(graph)
            print(f"graph: {nodes:,} nodes, {edges:,} edges")
            yield graph, endpoint, samples
    finally:
        engine.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(endpoint: BoltEndpoint) -> Iterator[httpx2.Client]:
    """The Guanxi server in its own process, reaching the engine as it would reach Neo4j."""
    port = _free_port()
    env = {
        **os.environ,
        "NEO4J_URI": endpoint.uri,
        "NEO4J_USERNAME": endpoint.username,
        "NEO4J_PASSWORD": endpoint.password,
        "NEO4J_DATABASE": endpoint.database,
        "GUANXI_PORT": str(port),
        "GUANXI_DEMO_DATA": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "server.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(300):
                try:
                    client.get("/healthz")
                    break
                except httpx2.TransportError:
                    time.sleep(0.1)
            yield client
    finally:
        process.terminate()
        process.wait(timeout=30)


def graphql(client: httpx2.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99
