"""Shared benchmark machinery: a synthetic graph in an embedded engine, reused between runs,
the server in its own process pointed at it, and timing helpers."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from pydantic import SecretStr

from benchmarks.serve import STATUS_ENV
from graph.auth.credentials import AuthSettings, issue_jwt
from graph.auth.tokens import Role
from graph.core.figures import backfill_figures
from graph.core.upgrades import prepare
from graph.cypher.db import admin
from graph.db import recorder
from graph.db.connection import Graph, open_graph
from graph.db.engine import BoltEndpoint, EmbeddedEngine
from graph.db.settings import EngineSettings
from graph.db.setup import count_nodes_and_edges, delete_everything
from graph.evolution import interactions
from seed.progress import KindProgress
from seed.synthetic import GENERATOR_VERSION, Synthetic, generate, load, referral_reach

ROOT = Path(__file__).resolve().parent.parent
# The benchmark's servers accept JWTs signed with this run's secret; clients send an admin's.
BENCH_JWT_SECRET = secrets.token_urlsafe(32)
BENCH_AUTH = AuthSettings(jwt_secret=SecretStr(BENCH_JWT_SECRET))

# the credential what a benchmark writes in-process is recorded with (graph/db/recorder.py)
BENCHMARK = "benchmark"


def admin_headers(subject: str = "benchmarks") -> dict[str, str]:
    """An Authorization header the benchmark's servers accept (an admin JWT, 1 day)."""
    token = issue_jwt(subject, Role.ADMIN, BENCH_AUTH, lifetime=dt.timedelta(days=1))
    return {"Authorization": f"Bearer {token}"}


DATA = ROOT / "benchmarks" / "data"


@dataclass(frozen=True)
class Samples:
    """Endpoints chosen when the graph was generated, kept beside it for reuse."""

    customer_of_50: str
    path_pairs: list[tuple[str, str, int]]
    # the our-customer pair with the longest recorded history, and the featured customer's
    # ties (our person, their person) with their interaction counts, busiest first
    busiest_pair: tuple[str, str] = ("", "")
    customer_ties: list[tuple[str, str, int]] = field(default_factory=list)
    # the ten parties with the most parties downstream within 6 levels, busiest first
    busiest_referrers: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> Samples:
        raw = json.loads(text)
        pair = raw.get("busiest_pair", ["", ""])
        return cls(
            customer_of_50=raw["customer_of_50"],
            path_pairs=[(a, b, int(d)) for a, b, d in raw["path_pairs"]],
            busiest_pair=(pair[0], pair[1]),
            customer_ties=[(a, b, int(n)) for a, b, n in raw.get("customer_ties", [])],
            busiest_referrers=[str(p) for p in raw.get("busiest_referrers", [])],
        )


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
    """A customer with 50 people, pairs of median-degree people 3 or 4 hops apart, the busiest
    tie and the featured customer's ties (when there is history), the busiest referrers."""
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
    changes: dict[str, int] = {}
    for change in data.changes:
        if change["props"]["subjectKind"] == "RELATIONSHIP":
            key = change["props"]["pairKey"]
            changes[key] = changes.get(key, 0) + 1
    ours = {p for p, c in data.company_of.items() if c.startswith("co_ours")}
    a, b = ("", "")
    if changes:
        busiest = min(changes, key=lambda k: (-changes[k], k))
        a, b = busiest.split("|")
    reach = referral_reach(data.referrals, depth=6)
    customer = data.featured_customer
    ties = sorted(
        (
            (r["fromId"], r["toId"], int(r["props"].get("interactionCount", 0)))
            if r["fromId"] in ours
            else (r["toId"], r["fromId"], int(r["props"].get("interactionCount", 0)))
            for r in data.relationships
            if "strengthRaw" in r["props"]
            and customer in (data.company_of[r["fromId"]], data.company_of[r["toId"]])
        ),
        key=lambda t: (-t[2], t[0], t[1]),
    )
    return Samples(
        customer_of_50=customer,
        path_pairs=found,
        busiest_pair=(a, b) if a in ours or not a else (b, a),
        customer_ties=ties,
        busiest_referrers=sorted(reach, key=lambda p: (-reach[p], p))[:10],
    )


@contextmanager
def synthetic_graph(
    people: int, seed: int = 7, history: bool = True, root: Path = DATA
) -> Iterator[tuple[Graph, BoltEndpoint, Samples]]:
    """An embedded engine holding the synthetic graph at this scale (built on first use, under
    `root`), with or without its four years of interactions and changes."""
    suffix = "" if history else "-nohistory"
    directory = root / f"people-{people}-seed-{seed}-v{GENERATOR_VERSION}{suffix}"
    engine = EmbeddedEngine(directory, database="guanxi", heap=os.environ.get("HEAP", "4g"))
    endpoint = engine.start()
    settings = endpoint.neo4j_settings()
    samples_file = directory / "samples.json"
    try:
        with open_graph(settings, EngineSettings(data_dir=directory / "unused")) as graph:
            prepare(graph)
            if not samples_file.exists():
                delete_everything(graph)
                what = f"{people:,} people" + ("" if history else " (no history)")
                print(f"generating the synthetic graph for {what} ...", flush=True)
                started = time.perf_counter()
                data = generate(people, seed, history=history)
                print(f"generated in {time.perf_counter() - started:.0f} s")
                for line in data.summary():
                    print(f"  {line}")
                total = data.row_count()
                started = time.perf_counter()
                timings: dict[str, float] = {}
                steps = {step: len(rows) for step, rows in data.steps() if rows}
                steps["FIGURES"] = len(data.people) + len(data.companies)
                with KindProgress(steps) as progress:
                    load(graph, data, progress=progress.advance, timings=timings)
                seconds = time.perf_counter() - started
                print(f"loaded {total:,} rows in {seconds:.0f} s ({total / seconds:,.0f} rows/s)")
                print("  " + ", ".join(f"{name.lower()} {s:.0f} s" for name, s in timings.items()))
                samples = _samples(data)
                samples_file.write_text(json.dumps(asdict(samples)))
            started = time.perf_counter()
            if backfilled := backfill_figures(graph):  # a graph built before they were stored
                seconds = time.perf_counter() - started
                print(f"stored the figures of {backfilled:,} companies and people: {seconds:.0f} s")
            samples = Samples.from_json(samples_file.read_text())
            nodes, edges = count_nodes_and_edges(graph)
            changes = int(graph.read(admin.COUNT_CHANGES)[0]["changes"])
            print(f"graph: {nodes:,} nodes, {edges:,} edges; {changes:,} recorded changes")
            yield graph, endpoint, samples
    finally:
        engine.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class ServerProcess:
    """A running server process: its HTTP client, its pid, and the driver it loaded."""

    client: httpx2.Client
    pid: int
    driver: dict[str, Any]

    def peak_memory_mib(self) -> float:
        """The process's peak resident memory so far (VmHWM), in MiB."""
        return _status_kib(self.pid, "VmHWM") / 1024

    def memory_mib(self) -> float:
        """The process's resident memory now (VmRSS), in MiB."""
        return _status_kib(self.pid, "VmRSS") / 1024


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


@contextmanager
def server_process(
    endpoint: BoltEndpoint | None,
    *,
    pythonpath: Path | None = None,
    log: Path | None = None,
    module: str = "benchmarks.serve",
) -> Iterator[ServerProcess]:
    """The Guanxi server in its own process (`python server.py`, by way of benchmarks.serve,
    which first records the driver it loaded), reaching the engine as it would reach Neo4j.
    `pythonpath` goes first on the process's PYTHONPATH (e.g. a driver with its Rust
    extension). `log` receives the process's log (JSON lines on stderr); none is kept without
    it. `module` another server run the same way (benchmarks.bare_server: no engine, no
    driver recorded)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        status = Path(scratch) / "driver.json"
        database = (
            {}
            if endpoint is None
            else {
                "NEO4J_URI": endpoint.uri,
                "NEO4J_USERNAME": endpoint.username,
                "NEO4J_PASSWORD": endpoint.password,
                "NEO4J_DATABASE": endpoint.database,
            }
        )
        env = {
            **os.environ,
            **database,
            "GUANXI_PORT": str(port),
            "GUANXI_DEMO_DATA": "0",
            "GUANXI_JWT_SECRET": BENCH_JWT_SECRET,
            STATUS_ENV: str(status),
        }
        if pythonpath is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in [str(pythonpath), os.environ.get("PYTHONPATH", "")] if p
            )
        with (log or Path(os.devnull)).open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", module],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        try:
            with httpx2.Client(
                base_url=f"http://127.0.0.1:{port}", timeout=120, headers=admin_headers()
            ) as client:
                for _ in range(600):
                    if process.poll() is not None:
                        raise RuntimeError(f"the server exited with status {process.returncode}")
                    try:
                        client.get("/healthz")
                        break
                    except httpx2.TransportError:
                        time.sleep(0.1)
                else:
                    raise RuntimeError("the server did not answer /healthz within 60 s")
                driver = json.loads(status.read_text()) if status.exists() else {}
                yield ServerProcess(client=client, pid=process.pid, driver=driver)
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def server(endpoint: BoltEndpoint) -> Iterator[httpx2.Client]:
    """The Guanxi server in its own process, reaching the engine as it would reach Neo4j."""
    with server_process(endpoint) as running:
        yield running.client


def pure_driver(directory: Path = DATA) -> Path:
    """A directory holding the installed driver's version without its Rust extension (the
    app depends on neo4j-rust-ext), installed there by pip on first use: put it first on a
    process's PYTHONPATH for the pure-Python driver. Never installed into the project's
    environment."""
    version = importlib.metadata.version("neo4j")
    # named site-packages so that mypy, which checks benchmarks/, leaves it alone
    target = directory / f"neo4j-{version}-pure" / "site-packages"
    if not (target / ".installed").exists():
        print(f"installing neo4j=={version} alone into {target} ...", flush=True)
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
                str(target),
                f"neo4j=={version}",
            ],
            check=True,
        )
        (target / ".installed").touch()
    return target


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


def result_size(data: dict[str, Any]) -> tuple[int, int]:
    """The objects in a GraphQL result's `data` (the root not counted) and its fields."""
    return sum(count_objects(v) for v in data.values()), count_fields(data)


def count_objects(value: Any) -> int:
    """The JSON objects in a JSON value, nested ones included."""
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


def count_fields(value: Any) -> int:
    """The fields resolved to produce a GraphQL result: every key of every object in it."""
    if isinstance(value, dict):
        return len(value) + sum(count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


# The benchmarks' write: a meeting held a minute ago between one of ours and one of theirs,
# over GraphQL (queries.LOG_INTERACTION with these variables) or in-process.


def log_variables(ours: str, theirs: str) -> dict[str, Any]:
    """The variables of queries.LOG_INTERACTION for a meeting held a minute ago."""
    held = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    return {"at": held.isoformat(), "ours": [ours], "theirs": [theirs]}


def log_meeting(graph: Graph, ours: str, theirs: str) -> None:
    """The same meeting logged in-process, through graph.evolution.interactions."""
    meeting = interactions.InteractionFields.model_validate(
        {
            "kind": "MEETING",
            "at": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
            "ourPersonIds": [ours],
            "theirPersonIds": [theirs],
            "sentiment": 1,
            "summary": "benchmark meeting",
        }
    )
    with recorder.recording_as(BENCHMARK):
        interactions.log_interaction(graph, meeting)
