"""A mixed read/write load from several client processes against one or more servers, for a
set time.

    .venv/bin/python -m benchmarks.load [--seconds 60] [--clients 8] [--people 3000]
                                        [--servers 1] [--data benchmarks/data] [--seed 7]

Opens (or builds) the synthetic graph at that scale with its four years of history in `--data`
(benchmarks/harness.py: synthetic_graph), starts `--servers` server processes against it
(server_process; several share the graph as replicas behind a load balancer would, each
following the change feed), warms each operation up once, then runs `--clients` client
processes over loopback, client i sending to server i mod N, each sending one operation after
another, chosen at random with these weights:

    reads  85%: keyPersonMap 20, company 20, people search 20, bestIntroductions 15,
                referralChain 10
    writes 15%: logInteraction 10, updateRelationship (strength) 5

Prints per operation, for the reads, the writes and overall: calls, errors (any error message
is printed; there should be none), throughput and p50/p99 latency over HTTP; then the issue's
targets met or missed: at least 100 operations/s, no errors, read p99 under 1 s, write p99
under 500 ms. `python -m benchmarks` runs the same load (`run`) after its latency rounds.

Writes: logs meetings (held a minute ago) on the featured customer's ties and sets the
strength of relationships of the graph; run it on a graph you can change.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import httpx2
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from benchmarks import queries
from benchmarks.harness import (
    DATA,
    Samples,
    ServerProcess,
    admin_headers,
    graphql,
    log_variables,
    percentiles,
    server_process,
    synthetic_graph,
)
from benchmarks.report import Report, Section, Target, machine, ms, targets_section

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
# the targets for the load (8 clients, 60 s)
MIN_OPS_PER_SECOND = 100
READ_P99_MS = 1000.0
WRITE_P99_MS = 500.0
MAX_MESSAGES = 10  # error messages kept per client
CREDENTIALS = 16  # distinct credentials the clients use, each its own


@dataclass(frozen=True)
class Plan:
    """What the clients send: the server, its credential, and the ids the operations use."""

    base_urls: list[str]  # the servers; client i sends to base_urls[i % len]
    headers: dict[str, str]
    # one credential per client, as each planner has their own: the server limits the heavy
    # operations of each credential (GUANXI_MAX_HEAVY_PER_CREDENTIAL)
    client_headers: list[dict[str, str]]
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
        return queries.COMPANY, {"c": rng.choice(plan.customers)}
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
    headers = plan.client_headers[seed % len(plan.client_headers)]
    base_url = plan.base_urls[seed % len(plan.base_urls)]
    with httpx2.Client(base_url=base_url, headers=headers, timeout=120) as http:
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


def make_plan(
    http: httpx2.Client, samples_targets: list[str], base_urls: list[str], **fixed: Any
) -> Plan:
    """Ids for the operations, read through the API (a page of customers, of people names,
    and those people's relationships) beside those chosen with the synthetic graph."""
    customers = graphql(http, "{ companies(first: 50, filter: {isOurs: false}) { nodes { id } } }")
    people = graphql(http, "{ people(first: 50) { nodes { name relationships { id } } } }")
    # not a page of every relationship sorted by strength: at 100,000 people that sorts 1.4
    # million edges in the engine, past GUANXI_REQUEST_TIMEOUT
    tied = [r["id"] for p in people["data"]["people"]["nodes"] for r in p["relationships"]]
    return Plan(
        base_urls=base_urls,
        headers=admin_headers(),
        client_headers=[admin_headers(f"planner-{n}") for n in range(CREDENTIALS)],
        customers=[c["id"] for c in customers["data"]["companies"]["nodes"]],
        names=[p["name"] for p in people["data"]["people"]["nodes"]],
        targets=samples_targets,
        relationships=tied[:100],
        **fixed,
    )


@dataclass(frozen=True)
class LoadResult:
    """The latencies (ms) and errors of every call of a load run, per operation."""

    clients: int
    seconds: float  # from the first call to the last answer
    latencies: dict[str, list[float]]
    errors: Counter[str]
    messages: list[str]
    peak_mib: float
    server_cpu: float = 0.0  # CPU seconds the server processes used during the run
    engine_cpu: float = 0.0  # and this process: the embedded engine, the progress bar
    servers: int = 1

    def cpu_ms_per_call(self) -> tuple[float, float]:
        """The server's and the engine's CPU time per call, in ms."""
        calls = max(1, len(self.calls(WEIGHTS)))
        return self.server_cpu * 1000 / calls, self.engine_cpu * 1000 / calls

    def calls(self, ops: Iterable[str]) -> list[float]:
        return [ms for op in ops for ms in self.latencies.get(op, [])]

    def error_count(self, ops: Iterable[str]) -> int:
        return sum(self.errors[op] for op in ops)

    @property
    def reads(self) -> list[str]:
        return [op for op in WEIGHTS if op not in WRITES]

    @property
    def writes(self) -> list[str]:
        return [op for op in WEIGHTS if op in WRITES]

    def ops_per_second(self) -> float:
        return len(self.calls(WEIGHTS)) / self.seconds


def run(
    server: ServerProcess,
    samples: Samples,
    clients: int,
    seconds: float,
    seed: int,
    *,
    more: Sequence[ServerProcess] = (),
) -> LoadResult:
    """`clients` client processes against the running server (and the `more` servers beside
    it, client i sending to server i mod N) for `seconds`, after one warm-up call of each
    operation on each server."""
    servers = [server, *more]
    plan = make_plan(
        server.client,
        [b for _, b, _ in samples.path_pairs],
        [str(s.client.base_url).rstrip("/") for s in servers],
        referrers=samples.busiest_referrers,
        ties=[(o, t) for o, t, _ in samples.customer_ties[:50]],
    )
    rng = random.Random(seed)
    for each in servers:
        for op in WEIGHTS:  # one warm-up call each, not counted
            query, variables = request(plan, op, rng)
            graphql(each.client, query, **variables)
    pids = [s.pid for s in servers]
    print(
        f"{clients} client processes for {seconds:.0f} s against server pid(s) {pids}; "
        f"{len(plan.customers)} customers, {len(plan.relationships)} relationships in play",
        flush=True,
    )
    context = multiprocessing.get_context("spawn")  # no fork of a process with a JVM
    done: Synchronized[int] = context.Value("q", 0)
    cpu_before = (sum(map(_cpu_seconds, pids)), time.process_time())
    with context.Pool(clients, initializer=_share, initargs=(done,)) as pool:
        started = time.perf_counter()
        pending = [
            pool.apply_async(client, (plan, seconds, seed * 1000 + i)) for i in range(clients)
        ]
        columns: list[Any] = [
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TimeRemainingColumn(),
        ]
        with Progress(*columns) as progress:
            task = progress.add_task("load", total=seconds)
            while not all(p.ready() for p in pending):
                elapsed = time.perf_counter() - started
                progress.update(
                    task, completed=min(elapsed, seconds), description=f"{done.value:,} calls"
                )
                time.sleep(0.25)
        results = [p.get() for p in pending]
        server_cpu = sum(map(_cpu_seconds, pids)) - cpu_before[0]
        engine_cpu = time.process_time() - cpu_before[1]
    # throughput over the time the clients ran, from the first call to the last answer
    window = max(r.window[1] for r in results) - min(r.window[0] for r in results)
    latencies = {op: [ms for r in results for ms in r.latencies.get(op, [])] for op in WEIGHTS}
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r.errors)
    return LoadResult(
        clients=clients,
        seconds=window,
        latencies=latencies,
        errors=errors,
        messages=[m for r in results for m in r.messages],
        peak_mib=max(s.peak_memory_mib() for s in servers),
        server_cpu=server_cpu,
        engine_cpu=engine_cpu,
        servers=len(servers),
    )


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used so far, from /proc."""
    # the fields after the command's closing parenthesis start with the state (field 3);
    # utime and stime are fields 14 and 15, in clock ticks
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _row(name: str, samples: list[float], errors: int, seconds: float) -> list[str]:
    p50, p99 = percentiles(samples) if samples else (0.0, 0.0)
    return [
        name,
        f"{len(samples):,}",
        str(errors),
        f"{len(samples) / seconds:.1f}",
        ms(p50) if samples else "-",
        ms(p99) if samples else "-",
    ]


def section(result: LoadResult) -> Section:
    """The load run's table: per operation, reads, writes and overall."""
    rows = [_row(op, result.latencies[op], result.errors[op], result.seconds) for op in WEIGHTS]
    for name, ops in (("all reads", result.reads), ("all writes", result.writes)):
        rows.append(_row(f"**{name}**", result.calls(ops), result.error_count(ops), result.seconds))
    rows.append(
        _row("**overall**", result.calls(WEIGHTS), result.error_count(WEIGHTS), result.seconds)
    )
    mix = ", ".join(f"{op} {weight}" for op, weight in WEIGHTS.items())
    server_ms, engine_ms = result.cpu_ms_per_call()
    cores = os.cpu_count() or 1
    against = "one server" if result.servers == 1 else f"{result.servers} server processes"
    servers = "" if result.servers == 1 else f", {result.servers} servers"
    return Section(
        title=f"Mixed load: {result.clients} clients{servers} for {result.seconds:.0f} s",
        intro=(
            f"`python -m benchmarks.load`'s run: {result.clients} client processes over "
            f"loopback against {against} (plain driver), each sending one operation after "
            f"another, chosen at random by weight ({mix}). Latency per call over HTTP; "
            f"throughput over the run. Server peak memory {result.peak_mib:,.0f} MiB "
            f"(the largest server). CPU per call: the server(s) {server_ms:.0f} ms, the "
            f"embedded engine "
            f"{engine_ms:.0f} ms; with {cores} cores and the clients on none of them, at "
            f"most {cores * 1000 / max(server_ms + engine_ms, 0.001):.0f} operations/s."
        ),
        columns=["operation", "calls", "errors", "ops/s", "p50", "p99"],
        rows=rows,
        notes=[f"error: {m}" for m in result.messages],
    )


def targets(result: LoadResult) -> list[Target]:
    """The issue's throughput targets, met or missed."""
    rate = result.ops_per_second()
    errors = result.error_count(WEIGHTS)
    reads = percentiles(result.calls(result.reads))[1] if result.calls(result.reads) else 0.0
    writes = percentiles(result.calls(result.writes))[1] if result.calls(result.writes) else 0.0

    def slowest(ops: list[str]) -> str:
        by_p99 = [(percentiles(result.latencies[op])[1], op) for op in ops if result.latencies[op]]
        return ", ".join(f"{op} p99 {ms(p99)}" for p99, op in sorted(by_p99, reverse=True)[:3])

    prefix = f"load, {result.clients} clients: "
    return [
        Target(
            f"{prefix}at least {MIN_OPS_PER_SECOND} operations/s",
            f"{rate:.1f} ops/s",
            rate >= MIN_OPS_PER_SECOND,
            ""
            if rate >= MIN_OPS_PER_SECOND
            else f"{MIN_OPS_PER_SECOND - rate:.1f} ops/s short ({rate / MIN_OPS_PER_SECOND:.0%} "
            f"of the target); slowest: {slowest(list(WEIGHTS))}",
        ),
        Target(
            f"{prefix}no errors",
            f"{errors} in {len(result.calls(WEIGHTS)):,} calls",
            errors == 0,
            "" if errors == 0 else "; ".join(result.messages[:3]),
        ),
        Target(
            f"{prefix}read p99 under {ms(READ_P99_MS)}",
            ms(reads),
            reads < READ_P99_MS,
            ""
            if reads < READ_P99_MS
            else f"{ms(reads - READ_P99_MS)} over; {slowest(result.reads)}",
        ),
        Target(
            f"{prefix}write p99 under {ms(WRITE_P99_MS)}",
            ms(writes),
            writes < WRITE_P99_MS,
            ""
            if writes < WRITE_P99_MS
            else f"{ms(writes - WRITE_P99_MS)} over; {slowest(result.writes)}",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument(
        "--servers", type=int, default=1, help="server processes sharing the graph (default 1)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="where the graphs are kept")
    parser.add_argument("--seed", type=int, default=7, help="of the clients' choices")
    args = parser.parse_args(argv)

    with (
        synthetic_graph(args.people, root=args.data) as (_, endpoint, samples),
        contextlib.ExitStack() as stack,
    ):
        server, *more = [
            stack.enter_context(server_process(endpoint)) for _ in range(max(1, args.servers))
        ]
        result = run(server, samples, args.clients, args.seconds, args.seed, more=more)
    report = Report(
        title="Guanxi under load",
        facts=[
            ("scale", f"{args.people:,} people"),
            ("servers", str(result.servers)),
            ("machine", machine()),
        ],
        command=" ".join(["python -m benchmarks.load", *(argv or sys.argv[1:])]),
        sections=[section(result), targets_section(targets(result))],
    )
    print("\n" + report.text())
    return 1 if result.error_count(WEIGHTS) else 0


if __name__ == "__main__":
    sys.exit(main())
