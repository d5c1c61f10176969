"""A mixed read/write load from several client processes against one server, for a set time.

    .venv/bin/python -m benchmarks.load [--seconds 60] [--clients 4] [--people 3000]
                                        [--data benchmarks/data] [--seed 7]

Opens (or builds) the synthetic graph at that scale with its four years of history in `--data`
(benchmarks/harness.py: synthetic_graph), starts the server in its own process against it
(server_process), warms each operation up once, then runs `--clients` client processes over
loopback, each sending one operation after another, chosen at random with these weights:

    reads  85%: keyPersonMap 20, company 20, people search 20, bestIntroductions 15,
                referralChain 10
    writes 15%: logInteraction 10, updateRelationship (strength) 5

Prints per operation and overall: calls, errors (any error message is printed; there should
be none), throughput and p50/p99 latency over HTTP.

Writes: logs meetings (held a minute ago) on the featured customer's ties and sets the
strength of relationships of the graph; run it on a graph you can change.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import httpx2
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from benchmarks import queries
from benchmarks.harness import (
    DATA,
    admin_headers,
    graphql,
    log_variables,
    percentiles,
    server_process,
    synthetic_graph,
)

COMPANY = """query ($c: ID!) { company(id: $c) {
  id name status valueClass lifecycleStage ourRelationshipCount peopleCount
  people { title buyingRole isKeyPerson person { id name } } } }"""
UPDATE_STRENGTH = """mutation ($id: ID!, $s: Float!) {
  updateRelationship(id: $id, input: {strength: $s}) { id strength } }"""

# operation -> weight; the reads first
WEIGHTS: dict[str, int] = {
    "keyPersonMap": 20,
    "company": 20,
    "people search": 20,
    "bestIntroductions": 15,
    "referralChain": 10,
    "logInteraction": 10,
    "updateRelationship": 5,
}
WRITES = frozenset({"logInteraction", "updateRelationship"})
MAX_MESSAGES = 10  # error messages kept per client


@dataclass(frozen=True)
class Plan:
    """What the clients send: the server, its credential, and the ids the operations use."""

    base_url: str
    headers: dict[str, str]
    customers: list[str]
    names: list[str]
    targets: list[str]  # people to find introductions to
    referrers: list[str]
    ties: list[tuple[str, str]]  # (ours, theirs)
    relationships: list[str]


def request(plan: Plan, op: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """The document and variables of one call of `op`."""
    if op == "keyPersonMap":
        return queries.MAP, {"c": rng.choice(plan.customers), "at": None}
    if op == "company":
        return COMPANY, {"c": rng.choice(plan.customers)}
    if op == "people search":
        return queries.PEOPLE_SEARCH, {"q": rng.choice(plan.names)}
    if op == "bestIntroductions":
        return queries.BEST, {"p": rng.choice(plan.targets)}
    if op == "referralChain":
        return queries.REFERRAL_SUMMARY, {"id": rng.choice(plan.referrers)}
    if op == "logInteraction":
        return queries.LOG_INTERACTION, log_variables(*rng.choice(plan.ties))
    if op == "updateRelationship":
        strength = round(rng.uniform(0.2, 0.95), 2)
        return UPDATE_STRENGTH, {"id": rng.choice(plan.relationships), "s": strength}
    raise ValueError(op)


@dataclass
class ClientResult:
    """One client's latencies (ms) and errors per operation."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)  # wall-clock time of the first call, the last end


_DONE: list[Synchronized[int]] = []  # a client process's shared call counter


def _share(done: Synchronized[int]) -> None:
    """A client process's initialiser: shared values pass to a pool only this way."""
    _DONE.append(done)


def client(plan: Plan, seconds: float, seed: int) -> ClientResult:
    """One client process: operations one after another until `seconds` have passed."""
    [done] = _DONE
    rng = random.Random(seed)
    ops, weights = list(WEIGHTS), list(WEIGHTS.values())
    result = ClientResult()
    first = time.time()
    deadline = time.perf_counter() + seconds
    with httpx2.Client(base_url=plan.base_url, headers=plan.headers, timeout=120) as http:
        while time.perf_counter() < deadline:
            op = rng.choices(ops, weights)[0]
            query, variables = request(plan, op, rng)
            started = time.perf_counter()
            problem = ""
            try:
                response = http.post("/graphql", json={"query": query, "variables": variables})
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    problem = f"{op}: HTTP {response.status_code} {body.get('errors', body)}"
            except Exception as exc:  # counted and shown, never hidden
                problem = f"{op}: {type(exc).__name__}: {exc}"
            result.latencies.setdefault(op, []).append((time.perf_counter() - started) * 1000)
            if problem:
                result.errors[op] += 1
                if len(result.messages) < MAX_MESSAGES:
                    result.messages.append(problem[:500])
            with done.get_lock():
                done.value += 1
    result.window = (first, time.time())
    return result


def make_plan(http: httpx2.Client, samples_targets: list[str], **fixed: Any) -> Plan:
    """Ids for the operations, read through the API (a page of customers, of people names,
    of relationships) beside those chosen with the synthetic graph."""
    customers = graphql(http, "{ companies(first: 50, filter: {isOurs: false}) { nodes { id } } }")
    people = graphql(http, "{ people(first: 50) { nodes { name } } }")
    relationships = graphql(http, "{ relationships(first: 100) { nodes { id } } }")
    return Plan(
        base_url=str(http.base_url).rstrip("/"),
        headers=admin_headers(),
        customers=[c["id"] for c in customers["data"]["companies"]["nodes"]],
        names=[p["name"] for p in people["data"]["people"]["nodes"]],
        targets=samples_targets,
        relationships=[r["id"] for r in relationships["data"]["relationships"]["nodes"]],
        **fixed,
    )


def _row(name: str, samples: list[float], errors: int, seconds: float) -> str:
    p50, p99 = percentiles(samples) if samples else (0.0, 0.0)
    return (
        f"{name:<22} {len(samples):>7,} {errors:>6} {len(samples) / seconds:>8.1f} "
        f"{p50:>8.1f} {p99:>8.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--data", type=Path, default=DATA, help="where the graphs are kept")
    parser.add_argument("--seed", type=int, default=7, help="of the clients' choices")
    args = parser.parse_args(argv)

    with (
        synthetic_graph(args.people, root=args.data) as (_, endpoint, samples),
        server_process(endpoint) as server,
    ):
        plan = make_plan(
            server.client,
            [b for _, b, _ in samples.path_pairs],
            referrers=samples.busiest_referrers,
            ties=[(o, t) for o, t, _ in samples.customer_ties[:50]],
        )
        rng = random.Random(args.seed)
        for op in WEIGHTS:  # one warm-up call each, not counted
            query, variables = request(plan, op, rng)
            graphql(server.client, query, **variables)
        print(
            f"{args.clients} client processes for {args.seconds:.0f} s against server pid "
            f"{server.pid}; {len(plan.customers)} customers, {len(plan.relationships)} "
            "relationships in play"
        )
        context = multiprocessing.get_context("spawn")  # no fork of a process with a JVM
        done: Synchronized[int] = context.Value("q", 0)
        with context.Pool(args.clients, initializer=_share, initargs=(done,)) as pool:
            started = time.perf_counter()
            pending = [
                pool.apply_async(client, (plan, args.seconds, args.seed * 1000 + i))
                for i in range(args.clients)
            ]
            columns: list[Any] = [
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                TimeRemainingColumn(),
            ]
            with Progress(*columns) as progress:
                task = progress.add_task("load", total=args.seconds)
                while not all(p.ready() for p in pending):
                    elapsed = time.perf_counter() - started
                    progress.update(
                        task,
                        completed=min(elapsed, args.seconds),
                        description=f"{done.value:,} calls",
                    )
                    time.sleep(0.25)
            results = [p.get() for p in pending]
        # throughput over the time the clients ran, from the first call to the last answer
        seconds = max(r.window[1] for r in results) - min(r.window[0] for r in results)
        peak = server.peak_memory_mib()

    print(
        f"\n{'operation':<22} {'calls':>7} {'errors':>6} {'ops/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    )
    everything: list[float] = []
    errors_total = 0
    groups: dict[str, list[float]] = {"reads": [], "writes": []}
    group_errors: Counter[str] = Counter()
    for op in WEIGHTS:
        samples_ms = [ms for r in results for ms in r.latencies.get(op, [])]
        errors = sum(r.errors[op] for r in results)
        print(_row(op, samples_ms, errors, seconds))
        everything += samples_ms
        errors_total += errors
        group = "writes" if op in WRITES else "reads"
        groups[group] += samples_ms
        group_errors[group] += errors
    for group, samples_ms in groups.items():
        print(_row(f"all {group}", samples_ms, group_errors[group], seconds))
    print(_row("overall", everything, errors_total, seconds))
    print(f"\n{seconds:.1f} s, {args.clients} clients; server peak memory {peak:,.0f} MiB")
    messages = [m for r in results for m in r.messages]
    for message in messages:
        print(f"error: {message}")
    return 1 if errors_total else 0


if __name__ == "__main__":
    sys.exit(main())
