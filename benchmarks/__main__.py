"""The benchmark of the API's read operations, in one run, written to BENCHMARKS.md.

    .venv/bin/python -m benchmarks [--people 100000] [--rounds 50] [--warmup 5]
                                   [--op-budget 20] [--no-pure-driver] [--output BENCHMARKS.md]
                                   [--load-clients 8] [--load-seconds 60] [--no-load]
                                   [--import-people 100000] [--import-batch-size 10000]
                                   [--no-import]

Builds (or reuses) the synthetic graph with four years of history at that scale in
benchmarks/data/, then:

1. starts the server in its own process and sends each read operation once, in turn: the
   first call after a start (the engine already open);
2. counts the database round trips of each GraphQL operation in-process (the app over the
   same graph, a listener on it, recording every statement with its parameters), and shows
   they do not grow with the result;
3. starts a second server on the same driver without its Rust extension (the app depends on
   neo4j-rust-ext; the pure-Python driver is installed on first use into benchmarks/data/,
   never into the project's environment; checked inside each process), and a bare Starlette +
   Strawberry app served the same way
   (benchmarks/bare_server.py);
4. after discarded warm-up rounds, times each operation round by round, interleaved, the
   order rotating: over HTTP on both servers; the statements the app ran for it (recorded in
   step 2 for the same variables) again through the bare driver; and its floor: the items its
   answer names, looked up by id from an index (benchmarks/lookups.py). An operation slower
   than its share of the time (--op-budget) runs in every k-th round only, at least 5 times;
5. times the fixed cost of a request (`GET /healthz`, `{ __typename }`) against the bare app
   (benchmarks/fixed_cost.py), then one write (logInteraction beside in-process
   log_interaction);
6. runs the mixed load of benchmarks/load.py (--load-clients for --load-seconds) against the
   plain server;
7. reads the servers' peak memory (VmHWM) and times Strawberry against plain graphql-core over
   the key-person map's data already fetched (benchmarks/floor.py);
8. loads and syncs (benchmarks/imports.py, --import-people): the record files of the
   synthetic graph imported into an empty engine of its own and then again with a share
   changed, and the synthetic graph with history loaded, beside a bare UNWIND … CREATE of the
   same rows, per kind (issue 19's targets);
9. prints the tables and writes them to BENCHMARKS.md with the scale, machine and date, and
   each target met or missed, by how much, beside the floor.

Targets (issue 17): every read p50 under 50 ms and p99 under 250 ms over GraphQL/HTTP, one
client (introductionPaths of 6 hops: p50 under 250 ms); the load's at least 100 operations/s,
no errors, read p99 under 1 s, write p99 under 500 ms.

Writes: each run logs 3 x (warm-up + rounds) + 1 interactions on the featured customer's ties
(held now), and their strength changes, and the load's writes (benchmarks/load.py).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import math
import statistics
import sys
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from benchmarks import fixed_cost, floor, imports, load, lookups, queries
from benchmarks.harness import (
    ROOT,
    Samples,
    ServerProcess,
    graphql,
    log_meeting,
    log_variables,
    percentiles,
    pure_driver,
    result_size,
    server_process,
    synthetic_graph,
)
from benchmarks.operations import (
    AS_OF_DAYS,
    TIMELINE_CANDIDATES,
    Operation,
    Setup,
    operations,
    setup,
)
from benchmarks.report import Report, Section, Target, machine, ms, ratio, targets_section, today
from benchmarks.roundtrips import Counted, InProcessApp, in_process
from graph.cypher.db import admin
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.setup import count_nodes_and_edges
from graph.transfer.importer import DEFAULT_BATCH_SIZE

MIN_SAMPLES = 5  # an operation over its time budget is still timed this often ...
SLOW_SAMPLES = 3  # ... or this often when one round of it takes longer than its whole budget
# Operations answered in one round trip whatever the size of the result (the path search takes
# a round trip per hop by design, bounded by maxHops, so it is not among them).
ROUND_TRIP_TARGETS = ("keyPersonMap", "lifecycleTimeline")
PLAIN, PURE = "GraphQL", "GraphQL, pure-Python driver"
STATEMENTS, FLOOR = "app's statements", "floor"
FIXED_COST_ROUNDS = 200


@dataclass
class Timings:
    by_variant: dict[str, list[float]] = field(default_factory=dict)
    objects: list[int] = field(default_factory=list)
    fields: list[int] = field(default_factory=list)
    first: float = 0.0  # the first call after the server started

    def add(self, variant: str, ms: float) -> None:
        self.by_variant.setdefault(variant, []).append(ms)

    def p50(self, variant: str) -> float:
        return percentiles(self.by_variant[variant])[0]

    def p99(self, variant: str) -> float:
        return percentiles(self.by_variant[variant])[1]

    def samples(self, variant: str) -> int:
        return len(self.by_variant[variant])


class Recordings:
    """What an operation runs and answers for a set of variables, recorded in-process (the app
    over the benchmark's graph, a listener on it) the first time that set is asked for."""

    def __init__(self, app: InProcessApp) -> None:
        self._app = app
        self._found: dict[tuple[str, str], tuple[Counted, dict[str, list[str]]]] = {}

    def get(self, op: Operation, variables: dict[str, Any]) -> tuple[Counted, dict[str, list[str]]]:
        """The request's statements and result, and the ids its answer names by kind."""
        key = (op.query, json.dumps(variables, sort_keys=True))
        if key not in self._found:
            if op.cached:  # fill the cache first, as the timed rounds find it
                self._app.run(op.query, **variables)
            counted = self._app.run(op.query, **variables)
            self._found[key] = (counted, lookups.ids_in(counted.data))
        return self._found[key]


# -- round trips, in-process -------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    label: str
    small: str
    large: str
    counted: tuple[Counted, Counted]


def _growth(app: InProcessApp, samples: Samples, setup: Setup) -> list[Growth]:
    """The same operations over a small and a large result."""
    customer = samples.customer_of_50
    a, b, _ = samples.path_pairs[0]
    ours, theirs = samples.busiest_pair
    map_query = queries.MAP.replace("everyone: true", "everyone: $everyone").replace(
        "$at: DateTime)", "$at: DateTime, $everyone: Boolean!)"
    )
    window = {"c": customer, "to": setup.changes_to.isoformat()}
    month = (setup.changes_to - dt.timedelta(days=30)).isoformat()
    four_years = (setup.changes_to - dt.timedelta(days=4 * 365)).isoformat()
    at = setup.as_of.isoformat()
    return [
        Growth(
            "companies",
            "first 5",
            "first 25",  # the most GUANXI_MAX_COST lets this query ask for
            (app.run(queries.COMPANIES, first=5), app.run(queries.COMPANIES, first=25)),
        ),
        Growth(
            "keyPersonMap (customer of 50)",
            "key persons only",
            "everyone",
            (
                app.run(map_query, c=customer, at=None, everyone=False),
                app.run(map_query, c=customer, at=None, everyone=True),
            ),
        ),
        Growth(
            f"keyPersonMap asOf {AS_OF_DAYS} days back",
            "key persons only",
            "everyone",
            (
                app.run(map_query, c=customer, at=at, everyone=False),
                app.run(map_query, c=customer, at=at, everyone=True),
            ),
        ),
        Growth(
            "introductionPaths (4 hops)",
            "first 1",
            "first 20",
            (app.run(queries.PATHS, a=a, b=b, first=1), app.run(queries.PATHS, a=a, b=b, first=20)),
        ),
        Growth(
            "relationshipHistory (busiest pair)",
            "first 5",
            "first 100",
            (
                app.run(queries.HISTORY, a=ours, b=theirs, first=5),
                app.run(queries.HISTORY, a=ours, b=theirs, first=100),
            ),
        ),
        Growth(
            "customerChanges (customer of 50)",
            "last 30 days",
            "last 4 years",
            (
                app.run(queries.CHANGES, **window, **{"from": month}),
                app.run(queries.CHANGES, **window, **{"from": four_years}),
            ),
        ),
        Growth(
            "lifecycleTimeline",
            setup.short_timeline_company,
            setup.timeline_company,
            (
                app.run(queries.TIMELINE, c=setup.short_timeline_company),
                app.run(queries.TIMELINE, c=setup.timeline_company),
            ),
        ),
    ]


def _ties(samples: Samples) -> list[tuple[str, str]]:
    a, b = samples.busiest_pair
    ties = [(o, t) for o, t, _ in samples.customer_ties if {o, t} != {a, b}]
    if not ties:
        raise SystemExit(f"{samples.customer_of_50} has no ties with our people")
    return ties


def _pure_server(
    endpoint: BoltEndpoint, pure_dir: Path | None
) -> AbstractContextManager[ServerProcess | None]:
    if pure_dir is None:
        return contextlib.nullcontext()
    return server_process(endpoint, pythonpath=pure_dir)


# -- the first calls ---------------------------------------------------------------------------


def first_calls(ops: list[Operation], client: httpx2.Client, s: Setup) -> list[float]:
    """Each operation once, in turn, on a server that has answered nothing else yet (the
    engine already open): ms each. Keeps the first pages' totals for the deep pages."""
    found: list[float] = []
    for op in ops:
        print(f"\rfirst call {len(found) + 1}/{len(ops)}", end="", flush=True)
        started = time.perf_counter()
        body = graphql(client, op.query, **op.variables(0))
        found.append((time.perf_counter() - started) * 1000)
        if op.total_key:
            s.totals[op.total_key] = int(body["data"][op.root_field]["totalCount"])
    print()
    return found


# -- timing, interleaved ---------------------------------------------------------------------


def _rotated(variants: list[str], by: int) -> list[str]:
    by %= len(variants)
    return variants[by:] + variants[:by]


def measure_reads(
    ops: list[Operation],
    clients: dict[str, httpx2.Client],
    graph: Graph,
    recordings: Recordings,
    rounds: int,
    warmup: int,
    op_budget_ms: float,
) -> list[Timings]:
    """Every operation once per variant per round, the order of variants rotating: over HTTP
    on each server, its recorded statements again through the bare driver, and its floor.

    An operation whose variants together, times the rounds, would take longer than
    `op_budget_ms` (judged on the first warm-up round, which follows its first call) runs in
    every k-th round only, at least MIN_SAMPLES times (SLOW_SAMPLES times when one round of
    it alone takes longer than the budget); the rest of the warm-up it skips, whatever the
    number of rounds."""
    timings = [Timings() for _ in ops]
    strides = [1 for _ in ops]
    over_budget = [False for _ in ops]
    settle = 0  # the warm-up round whose times set the strides
    variants = [*clients, STATEMENTS, FLOOR]
    for round_ in range(warmup + rounds):
        print(f"\rround {round_ + 1}/{warmup + rounds}", end="", flush=True)
        for index, op in enumerate(ops):
            if round_ < warmup:
                if round_ > settle and over_budget[index]:
                    continue
            elif (round_ - warmup) % strides[index]:
                continue
            variables = op.variables(round_)
            counted, ids = recordings.get(op, variables)  # untimed: in-process on first use
            spent = 0.0
            for variant in _rotated(variants, round_ + index):
                body: dict[str, Any] = {}
                started = time.perf_counter()
                if variant == STATEMENTS:
                    counted.replay(graph)
                elif variant == FLOOR:
                    lookups.look_up(graph, ids)
                else:
                    body = graphql(clients[variant], op.query, **variables)
                took = (time.perf_counter() - started) * 1000
                spent += took
                if round_ < warmup:
                    continue
                timings[index].add(variant, took)
                if variant == PLAIN:
                    objects, fields = result_size(body["data"])
                    timings[index].objects.append(objects)
                    timings[index].fields.append(fields)
            if round_ == settle:
                over_budget[index] = spent * rounds > op_budget_ms
                least = SLOW_SAMPLES if spent > op_budget_ms else MIN_SAMPLES
                affordable = max(least, math.floor(op_budget_ms / max(spent, 1e-3)))
                strides[index] = max(1, rounds // min(rounds, affordable))
    print()
    return timings


def measure_writes(
    graph: Graph, samples: Samples, clients: dict[str, httpx2.Client], rounds: int, warmup: int
) -> Timings:
    """logInteraction over HTTP on each server beside in-process log_interaction."""
    timings = Timings()
    ties = itertools.cycle(_ties(samples))
    in_process_label = "in-process"
    variants = [*clients, in_process_label]
    for round_ in range(warmup + rounds):
        for variant in _rotated(variants, round_):
            ours, theirs = next(ties)
            variables = log_variables(ours, theirs)
            started = time.perf_counter()
            if variant == in_process_label:
                log_meeting(graph, ours, theirs)
            else:
                graphql(clients[variant], queries.LOG_INTERACTION, **variables)
            took = (time.perf_counter() - started) * 1000
            if round_ >= warmup:
                timings.add(variant, took)
    return timings


# -- the report --------------------------------------------------------------------------------


def _median(values: list[int]) -> int:
    return int(statistics.median(values)) if values else 0


def _ids(recordings: Recordings, op: Operation) -> dict[str, list[str]]:
    return recordings.get(op, op.variables(0))[1]


def latency_section(
    ops: list[Operation], timings: list[Timings], counted: list[Counted], recordings: Recordings
) -> Section:
    rows = []
    for op, t, c in zip(ops, timings, counted, strict=True):
        http, ids = t.p50(PLAIN), _ids(recordings, op)
        rows.append(
            [
                op.label,
                f"{_median(t.objects):,}",
                str(t.samples(PLAIN)),
                ms(http),
                ms(t.p99(PLAIN)),
                ms(t.p50(STATEMENTS)),
                str(c.round_trips),
                ms(t.p50(FLOOR)) if ids else "-",
                lookups.describe(ids),
                ratio(http / t.p50(FLOOR)) if ids else "-",
            ]
        )
    notes = [
        "GraphQL: over HTTP to the server in its own process (plain driver), the response "
        "parsed. Statements: every statement the app ran for the operation, recorded "
        "in-process for the same variables, run again one after another through `graph.read` "
        "in the benchmark process (no HTTP, no GraphQL, no Python of the app's); rt: how many "
        "(database round trips). Floor: the smallest statements that return the same rows: "
        "the items the answer names (people, companies, roles, relationships, changes, ...), "
        "looked up by id from an index, one statement per kind (benchmarks/lookups.py); "
        "an answer naming none has none. Objects: JSON objects in the response "
        "(median). Runs: timed runs per variant (fewer for an operation over its time "
        "budget, which runs in every k-th round only). A slow statement shows as statements "
        "far above the floor; slow Python as GraphQL far above the statements.",
    ]
    notes += [f"{op.label}: {op.note}." for op in ops if op.note]
    return Section(
        title="Latency: GraphQL over HTTP, the app's statements, and the floor",
        columns=[
            "operation",
            "objects",
            "runs",
            "GraphQL p50",
            "p99",
            "statements p50",
            "rt",
            "floor p50",
            "floor reads",
            "GraphQL/floor",
        ],
        rows=rows,
        notes=notes,
    )


def first_call_section(ops: list[Operation], timings: list[Timings]) -> Section:
    rows = []
    for op, t in zip(ops, timings, strict=True):
        p50 = t.p50(PLAIN)
        rows.append([op.label, ms(t.first), ms(p50), ms(t.first - p50), ratio(t.first / p50)])
    firsts = sorted(t.first / t.p50(PLAIN) for t in timings)
    return Section(
        title="The first call after a start",
        intro=(
            "Each operation sent once, in turn, to a server just started (the engine already "
            "open, its caches as the graph's loading left them), before anything else ran "
            "against it; beside it the operation's p50 from the timed rounds. The first "
            "operation also pays the server's own first request."
        ),
        columns=["operation", "first call", "p50", "slower by", "first/p50"],
        rows=rows,
        notes=[
            f"first/p50 over the operations: median {ratio(statistics.median(firsts))}, "
            f"max {ratio(firsts[-1])}."
        ],
    )


def rust_section(
    ops: list[Operation], timings: list[Timings], writes: Timings, servers: list[ServerProcess]
) -> Section:
    rows = []
    labelled = [*zip((op.label for op in ops), timings, strict=True), ("logInteraction", writes)]
    for label, t in labelled:
        rows.append(
            [
                label,
                ms(t.p50(PLAIN)),
                ms(t.p50(PURE)),
                ratio(t.p50(PLAIN) / t.p50(PURE)),
                ms(t.p99(PLAIN)),
                ms(t.p99(PURE)),
            ]
        )
    plain, pure = servers
    return Section(
        title="With and without the driver's Rust extension",
        intro=(
            f"Two servers, interleaved in the same rounds: the app as installed, neo4j "
            f"{plain.driver['version']} with neo4j-rust-ext (Rust extension active: "
            f"{plain.driver['rust']}, checked inside the server process), and neo4j "
            f"{pure.driver['version']} pure Python (Rust extension active: "
            f"{pure.driver['rust']}; loaded from "
            f"`{Path(pure.driver['path']).relative_to(ROOT)}`)."
        ),
        columns=["operation", "p50", "pure-Python p50", "Rust/pure", "p99", "pure-Python p99"],
        rows=rows,
    )


def writes_section(writes: Timings) -> Section:
    return Section(
        title="A write: logInteraction",
        intro=(
            "A meeting between one of our people and one of theirs on the featured customer's "
            "ties, held a minute ago: the interaction, its pair chains, the strength update and "
            "its recorded change, in one transaction. Its own rounds after the reads (a write "
            "empties the referral caches)."
        ),
        columns=["variant", "p50", "p99"],
        rows=[
            [variant, ms(writes.p50(variant)), ms(writes.p99(variant))]
            for variant in writes.by_variant
        ],
        notes=[
            "in-process: `graph.evolution.interactions.log_interaction` through the bare driver."
        ],
    )


def _statement_times(times: list[tuple[str, float]]) -> str:
    return ", ".join(f"`{name}` {ms(took)}" for name, took in times) or "none"


def round_trips_section(
    ops: list[Operation],
    counted: list[Counted],
    statement_times: list[list[tuple[str, float]]],
    write: Counted,
) -> Section:
    rows = [
        [op.label, f"{c.objects:,}", str(c.round_trips), _statement_times(times)]
        for op, c, times in zip(ops, counted, statement_times, strict=True)
    ]
    rows.append(["logInteraction", f"{write.objects:,}", str(write.round_trips), write.which()])
    return Section(
        title="Database round trips per GraphQL operation",
        intro=(
            "Counted in-process: the app over the same graph (Starlette's TestClient), a "
            "listener on the graph recording every statement (one statement, one round trip). "
            "Each statement then ran again with the same parameters through the bare driver: "
            "its median time beside it. Operations served from a cache ran once before."
        ),
        columns=["operation", "objects", "round trips", "statements, each through the bare driver"],
        rows=rows,
    )


def growth_section(growth: list[Growth]) -> Section:
    rows = []
    for g in growth:
        small, large = g.counted
        rows.append(
            [
                g.label,
                f"{g.small}: {small.objects:,}",
                str(small.round_trips),
                f"{g.large}: {large.objects:,}",
                str(large.round_trips),
            ]
        )
    return Section(
        title="Round trips against the size of the result",
        columns=["operation", "small result: objects", "round trips", "large: objects", "rt"],
        rows=rows,
    )


def memory_section(servers: list[ServerProcess]) -> Section:
    return Section(
        title="Peak memory of the server process",
        intro="VmHWM and VmRSS from /proc/<pid>/status at the end of the run.",
        columns=["server", "peak (VmHWM)", "at the end (VmRSS)"],
        rows=[
            [name, f"{s.peak_memory_mib():,.0f} MiB", f"{s.memory_mib():,.0f} MiB"]
            for name, s in zip((PLAIN, PURE), servers, strict=False)
        ],
    )


def read_targets(
    ops: list[Operation], timings: list[Timings], recordings: Recordings
) -> list[Target]:
    """Each read operation's p50 and p99 over GraphQL against the absolute targets; when
    missed, by how much, beside its statements and its floor."""
    found = []
    for op, t in zip(ops, timings, strict=True):
        p50, p99 = t.p50(PLAIN), t.p99(PLAIN)
        name = f"{op.label}: p50 < {ms(op.p50_target)}" + (
            f", p99 < {ms(op.p99_target)}" if op.p99_target is not None else ""
        )
        measured = f"p50 {ms(p50)}, p99 {ms(p99)}"
        misses = []
        if p50 >= op.p50_target:
            misses.append(f"p50 {ms(p50 - op.p50_target)} over ({ratio(p50 / op.p50_target)})")
        if op.p99_target is not None and p99 >= op.p99_target:
            misses.append(f"p99 {ms(p99 - op.p99_target)} over ({ratio(p99 / op.p99_target)})")
        note = ""
        ids = _ids(recordings, op)
        if misses:
            note = (
                "; ".join(misses)
                + f". Its statements take {ms(t.p50(STATEMENTS))} through the bare driver; "
                + (
                    f"the floor ({lookups.describe(ids)} by id) {ms(t.p50(FLOOR))}"
                    if ids
                    else "its answer names no stored item (no floor)"
                )
            )
        found.append(Target(name, measured, not misses, note))
    return found


def other_targets(
    ops: list[Operation],
    counted: list[Counted],
    growth: list[Growth],
    result: floor.Floor,
) -> list[Target]:
    """Strawberry against graphql-core, and the operations that must stay one round trip."""
    found: list[Target] = []
    found.append(
        Target(
            "Strawberry execution within 1.2x of graphql-core",
            f"{ratio(result.ratio)} ({result.strawberry_us_per_field:.1f} against "
            f"{result.floor_us_per_field:.1f} µs a field)",
            result.met,
            ""
            if result.met
            else f"{ratio(result.ratio - floor.FLOOR_TARGET)} over 1.2x, "
            f"{(result.strawberry_ms - floor.FLOOR_TARGET * result.execute_only_ms):.2f} ms a "
            "run. Measured against graphql-core's `execute_sync` over an already parsed "
            "document, since the app caches parsed and validated documents; against "
            f"graphql-core parsing, validating and executing each time it is "
            f"{ratio(result.full_ratio)} (without its caches Strawberry is at "
            f"{ratio(result.uncached_ratio)} of that). Both run graphql-core's executor; on top, "
            "Strawberry wraps every field, plain attributes included, in its own resolver "
            "(Info built, arguments converted, awaitable checked per call), and builds a "
            "Strawberry object per model object where graphql-core reads dict keys",
        )
    )
    for name in ROUND_TRIP_TARGETS:
        grown = [g for g in growth if g.label.split()[0] == name]
        grows = any(g.counted[1].round_trips > g.counted[0].round_trips for g in grown)
        for op, c in zip(ops, counted, strict=True):
            if op.root_field != name:
                continue
            met = c.round_trips == 1 and not grows
            notes = [] if c.round_trips == 1 else [f"{c.round_trips - 1} more: {c.which()}"]
            if grows:
                notes.append("grows with the result")
            found.append(
                Target(
                    f"{op.label}: one round trip, not growing with the result",
                    f"{c.round_trips}, " + ("grows" if grows else "does not grow"),
                    met,
                    "; ".join(notes),
                )
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5, help="rounds run first and discarded")
    parser.add_argument(
        "--op-budget",
        type=float,
        default=20.0,
        help="seconds an operation's timed rounds may take (all variants) before it runs in "
        "every k-th round only",
    )
    parser.add_argument("--floor-repetitions", type=int, default=300)
    parser.add_argument(
        "--no-pure-driver",
        action="store_true",
        help="skip the second server, on the driver without its Rust extension",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--load-clients", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--no-load", action="store_true", help="skip the mixed load")
    parser.add_argument(
        "--import-people",
        type=int,
        default=imports.LOAD_PEOPLE,
        help="scale of the loading and syncing benchmark (benchmarks/imports.py)",
    )
    parser.add_argument("--import-batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--no-import", action="store_true", help="skip loading and syncing")
    args = parser.parse_args()
    pure_dir = None if args.no_pure_driver else pure_driver()
    started = time.perf_counter()
    load_result: load.LoadResult | None = None
    with synthetic_graph(args.people) as (graph, endpoint, samples):
        nodes, edges = count_nodes_and_edges(graph)
        changes = int(graph.read(admin.COUNT_CHANGES)[0]["changes"])
        s = setup(graph, samples)
        ops = operations(samples, s)
        with server_process(endpoint) as plain:
            print(f"first calls of {len(ops)} operations ...", flush=True)
            firsts = first_calls(ops, plain.client, s)

            print("counting round trips in-process ...", flush=True)
            with in_process(graph) as app:
                recordings = Recordings(app)
                counted = [recordings.get(op, op.variables(0))[0] for op in ops]
                growth = _growth(app, samples, s)
                write = app.run(queries.LOG_INTERACTION, **log_variables(*_ties(samples)[0]))
                statement_times = [c.timed(graph) for c in counted]

                with (
                    _pure_server(endpoint, pure_dir) as pure,
                    server_process(None, module="benchmarks.bare_server") as bare,
                ):
                    servers = [plain] + ([pure] if pure else [])
                    if not plain.driver.get("rust", True):
                        print(f"warning: the Rust extension is not active in {plain.driver}")
                    if pure is not None and pure.driver["rust"]:
                        raise SystemExit(f"the Rust extension is active in {pure.driver}")
                    clients = {PLAIN: plain.client} | ({PURE: pure.client} if pure else {})
                    print(
                        f"timing {len(ops)} operations x {len(clients) + 2} variants ...",
                        flush=True,
                    )
                    timings = measure_reads(
                        ops,
                        clients,
                        graph,
                        recordings,
                        args.rounds,
                        args.warmup,
                        args.op_budget * 1000,
                    )
                    for t, first in zip(timings, firsts, strict=True):
                        t.first = first
                    print("timing the fixed cost of a request ...", flush=True)
                    fixed = fixed_cost.measure(plain.client, bare.client, FIXED_COST_ROUNDS)
                    print("timing logInteraction ...", flush=True)
                    writes = measure_writes(graph, samples, clients, args.rounds, args.warmup)
                    memory = memory_section(servers)
            if not args.no_load:
                print(
                    f"mixed load: {args.load_clients} clients, {args.load_seconds:.0f} s ...",
                    flush=True,
                )
                load_result = load.run(plain, samples, args.load_clients, args.load_seconds, 7)
        print("timing Strawberry against graphql-core ...", flush=True)
        result = floor.measure(graph, samples.customer_of_50, args.floor_repetitions)
    bench_seconds = time.perf_counter() - started
    import_sections: list[Section] = []
    import_targets: list[Target] = []
    if not args.no_import:
        print(f"loading and syncing at {args.import_people:,} people ...", flush=True)
        import_sections, import_targets = imports.measure(
            args.import_people, args.import_batch_size
        )

    load_sections = [] if load_result is None else [load.section(load_result)]
    load_targets = [] if load_result is None else load.targets(load_result)
    report = Report(
        title="Guanxi benchmarks",
        command=" ".join([".venv/bin/python -m benchmarks", *sys.argv[1:]]),
        facts=[
            (
                "scale",
                f"{args.people:,} people (synthetic, seed 7, four years of history): "
                f"{nodes:,} nodes, {edges:,} edges, {changes:,} recorded changes",
            ),
            ("machine", machine()),
            ("date", today()),
            (
                "rounds",
                f"{args.rounds} measured after {args.warmup} warm-up rounds, discarded; each "
                f"round runs every operation once per variant "
                f"({'; '.join([*clients, STATEMENTS, FLOOR])}), the order of the variants "
                f"rotating; time budget {args.op_budget:g} s an operation; the reads took "
                f"{bench_seconds / 60:.1f} min with the load, before loading and syncing",
            ),
            (
                "setup",
                "the server in its own process (`python server.py`, uvicorn) over HTTP on "
                "loopback; the embedded engine (ArcadeDB over Bolt) and the bare driver in the "
                "benchmark process",
            ),
            (
                "samples",
                f"customer of 50 people `{samples.customer_of_50}`; "
                f"{len(samples.path_pairs)} path pairs of median-degree people 3-4 hops apart; "
                f"busiest pair `{samples.busiest_pair[0]}`-`{samples.busiest_pair[1]}`; "
                f"longest lifecycle timeline of the first {TIMELINE_CANDIDATES} customers "
                f"`{s.timeline_company}`; searches for `{s.person_name}` and "
                f"`{s.company_name}`",
            ),
        ],
    )
    report.sections = [
        latency_section(ops, timings, counted, recordings),
        first_call_section(ops, timings),
        fixed_cost.section(fixed, FIXED_COST_ROUNDS),
        round_trips_section(ops, counted, statement_times, write),
        growth_section(growth),
        writes_section(writes),
        *load_sections,
        *([rust_section(ops, timings, writes, servers)] if pure_dir else []),
        memory,
        floor.section(result),
        *import_sections,
        targets_section(
            read_targets(ops, timings, recordings)
            + load_targets
            + other_targets(ops, counted, growth, result)
            + import_targets
        ),
    ]
    print("\n" + report.text())
    report.write(args.output)
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
