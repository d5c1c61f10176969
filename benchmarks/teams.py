"""Account teams at scale: what a credential scoped to teams pays beside one of every customer.

    .venv/bin/python -m benchmarks.teams [--people 100000] [--teams 4] [--rounds 30]
                                         [--data benchmarks/data] [--output FILE]

On the synthetic graph (benchmarks/harness.py: synthetic_graph), its customers dealt round the
`--teams` teams `t0`, `t1`, ... in id order (set once and kept; the featured customer of 50
people goes to `t0`), one server process, and two admin JWTs: one of every customer and one
scoped to `t0`. Each operation is asked `--rounds` times by each, alternately; p50/p99.

- what `t0` sees, read anew (graph/auth/scope.py: the companies in scope and the people at
  them; the first scoped request after a write pays it, later ones find it kept);
- a customer with its people, their figures and roles, its key-person map with the call plan,
  a page of people, a people search, and a hub's relationships page.

Target: a scoped operation's p50 within 100 ms of the same operation's for a credential of
every customer (the floor: the latter), once what it sees is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.harness import (
    BENCH_AUTH,
    DATA,
    graphql,
    percentiles,
    server_process,
    synthetic_graph,
)
from benchmarks.report import Report, Section, Target, machine, ms, targets_section
from graph.auth import scope
from graph.auth.credentials import issue_jwt
from graph.auth.tokens import Role
from graph.core import reads
from graph.db.connection import Graph
from graph.transfer.exporter import whole_graph

SCOPED = "t0"
TARGET_EXTRA_MS = 100.0

CUSTOMER = """query ($id: ID!) {
  company(id: $id) { name people { person { name relationshipCount strongestTie
    roles { title company { name } } } } } }"""
MAP = """query ($id: ID!) {
  keyPersonMap(companyId: $id) { entries { person { name } covered }
    callPlan(first: 5) { action why who { name } } } }"""
PAGE = "{ people(first: 20) { totalCount nodes { name relationshipCount } } }"
SEARCH = '{ people(first: 20, filter: {search: "zh"}) { totalCount nodes { name } } }'
HUB = """query ($id: ID!) {
  relationships(first: 20, filter: {personId: $id}) { totalCount nodes { strength } } }"""


def _deal_teams(graph: Graph, teams: int, featured: str) -> int:
    """Customers dealt round the teams in id order (the featured one to SCOPED), unless the
    graph has them already; how many customers `SCOPED` holds."""
    ids = whole_graph(graph).companies
    companies = [c for c in reads.companies_by_id(graph, ids) if c is not None and not c.is_ours]
    if not any(c.teams for c in companies):
        dealt = {c.id: [f"t{i % teams}"] for i, c in enumerate(companies)}
        dealt[featured] = [SCOPED]
        scope.assign_teams(graph, dealt)
        companies = [
            c for c in reads.companies_by_id(graph, ids) if c is not None and not c.is_ours
        ]
    return sum(1 for c in companies if SCOPED in c.teams)


def _read_anew(graph: Graph, rounds: int) -> tuple[list[float], int, int]:
    """What SCOPED sees, read without the cache, `rounds` times (ms); its companies, people."""
    samples: list[float] = []
    seen = scope.EVERYTHING
    for _ in range(rounds):
        started = time.perf_counter()
        seen = scope._read(graph, frozenset({SCOPED}))  # noqa: SLF001 - the cache's miss
        samples.append((time.perf_counter() - started) * 1000)
    assert seen.companies is not None and seen.people is not None
    return samples, len(seen.companies), len(seen.people)


def _compare(
    client: httpx2.Client,
    headers: dict[str, dict[str, str]],
    ask: Callable[[], tuple[str, dict[str, Any]]],
    rounds: int,
) -> dict[str, list[float]]:
    """The operation's latencies (ms) for each credential, asked alternately after a warm-up."""
    times: dict[str, list[float]] = {name: [] for name in headers}
    query, variables = ask()
    for header in headers.values():  # warm: caches, and what the scoped one sees
        client.headers.update(header)
        graphql(client, query, **variables)
    for _ in range(rounds):
        for name, header in headers.items():
            client.headers.update(header)
            started = time.perf_counter()
            graphql(client, query, **variables)
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.teams", description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--data", type=Path, default=DATA, help="where the graphs are kept")
    parser.add_argument("--output", type=Path, help="also write the report here (Markdown)")
    args = parser.parse_args(argv)
    day = dt.timedelta(days=1)
    every = issue_jwt("bench-all", Role.ADMIN, BENCH_AUTH, lifetime=day)
    scoped = issue_jwt("bench-t0", Role.ADMIN, BENCH_AUTH, lifetime=day, teams=frozenset({SCOPED}))
    headers = {
        "every customer": {"Authorization": f"Bearer {every}"},
        f"team {SCOPED}": {"Authorization": f"Bearer {scoped}"},
    }

    with synthetic_graph(args.people, root=args.data) as (graph, endpoint, samples):
        featured = samples.customer_of_50
        held = _deal_teams(graph, args.teams, featured)
        anew, companies, people = _read_anew(graph, 5)
        hub = max(samples.customer_ties, key=lambda t: t[2])[0] if samples.customer_ties else ""
        operations: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
            "a customer, its people, their figures and roles": lambda: (CUSTOMER, {"id": featured}),
            "its key-person map and call plan": lambda: (MAP, {"id": featured}),
            "a page of people": lambda: (PAGE, {}),
            "a people search": lambda: (SEARCH, {}),
            "one of our people's relationships, a page": lambda: (HUB, {"id": hub}),
        }
        rows: list[list[str]] = []
        targets: list[Target] = []
        with server_process(endpoint) as running:
            for name, ask in operations.items():
                times = _compare(running.client, headers, ask, args.rounds)
                (a50, a99), (s50, s99) = (percentiles(t) for t in times.values())
                rows.append([name, ms(a50), ms(a99), ms(s50), ms(s99)])
                targets.append(
                    Target(
                        f"{name}: scoped within {ms(TARGET_EXTRA_MS)} of every customer's (p50)",
                        f"{ms(s50)} against {ms(a50)}",
                        s50 <= a50 + TARGET_EXTRA_MS,
                    )
                )

    r50, r99 = percentiles(anew)
    report = Report(
        title="Account teams",
        facts=[
            ("scale", f"{args.people:,} people; customers dealt round {args.teams} teams"),
            ("team t0 sees", f"{companies:,} companies ({held:,} customers), {people:,} people"),
            ("machine", machine()),
        ],
        command=" ".join(["python -m benchmarks.teams", *(argv or sys.argv[1:])]),
        sections=[
            Section(
                title="What a team sees, read anew",
                intro="The two statements of graph/auth/scope.py, without the cache: what the "
                "first scoped request after a write waits for (a slow one is refreshed in the "
                "background while the previous answer serves, graph/db/cache.py).",
                columns=["rounds", "p50", "p99"],
                rows=[[str(len(anew)), ms(r50), ms(r99)]],
            ),
            Section(
                title="Operations",
                intro=f"Through one server, {args.rounds} rounds each, the two credentials "
                "alternately. The floor of a scoped operation is the same operation for a "
                "credential of every customer.",
                columns=["operation", "every customer p50", "p99", f"team {SCOPED} p50", "p99"],
                rows=rows,
            ),
            targets_section(targets),
        ],
    )
    print("\n" + report.text())
    if args.output is not None:
        args.output.write_text(report.markdown())
    return 0 if all(t.met for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
