"""History and interactions: end to end over HTTP beside the bare driver.

    .venv/bin/python -m benchmarks.evolution [--people 100000] [--rounds 60]

Builds (or reuses) the synthetic graph with four years of history at that scale in
benchmarks/data/, starts the server in its own process against it, and times, interleaved in
one run after a warm-up: keyPersonMap of the customer with 50 people now and as of about 1.5
years back (same selection; the bare driver runs KEY_PERSON_MAP and KEY_PERSON_MAP_AS_OF),
relationshipHistory of the our-customer pair with the longest history (bare: CHANGES_FOR_PAIR),
and logInteraction on that customer's ties, over HTTP and in process (log_interaction). Prints
p50/p99, the ratio as-of/current at p50, and HTTP/bare.

logInteraction writes: each run adds 2 x (warm-up + rounds) interactions to the stored graph,
on the customer's ties other than the busiest pair, held now.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
from typing import Any

from benchmarks.harness import (
    graphql,
    log_meeting,
    log_variables,
    percentiles,
    server,
    synthetic_graph,
    timed,
)
from benchmarks.queries import HISTORY, LOG_INTERACTION, MAP
from graph.core.history import SubjectKind, to_ms
from graph.cypher.core import history
from graph.cypher.keypersons import maps as keypersons
from graph.evolution.timelines import pair_key

AS_OF_DAYS = 548  # about 1.5 years back

NAMES = {
    "map-now": "keyPersonMap now (everyone)",
    "map-asof": f"keyPersonMap asOf -{AS_OF_DAYS} d",
    "history": "relationshipHistory (pair)",
    "log": "logInteraction",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with synthetic_graph(args.people) as (graph, endpoint, samples), server(endpoint) as client:
        customer = samples.customer_of_50
        a, b = samples.busiest_pair
        as_of = dt.datetime.now(dt.UTC) - dt.timedelta(days=AS_OF_DAYS)
        at_ms = to_ms(as_of)
        ties = [(o, t) for o, t, _ in samples.customer_ties if {o, t} != {a, b}]
        if not ties:
            raise SystemExit(f"{customer} has no ties with our people to log interactions on")
        cycle = itertools.cycle(ties)
        kinds = [SubjectKind.RELATIONSHIP.value, SubjectKind.COMPANY_RELATIONSHIP.value]
        history_size = graphql(client, HISTORY, a=a, b=b)["data"]["relationshipHistory"]
        now_map = graphql(client, MAP, c=customer, at=None)["data"]["keyPersonMap"]
        then_map = graphql(client, MAP, c=customer, at=as_of.isoformat())["data"]["keyPersonMap"]
        print(
            f"customer with 50 people: {customer}: {len(samples.customer_ties)} ties with our "
            f"people, {sum(n for *_, n in samples.customer_ties):,} interactions; key persons "
            f"now {now_map['summary']['keyPersons']}, covered {now_map['summary']['covered']}; "
            f"as of {as_of.date()}: {then_map['summary']['keyPersons']}, covered "
            f"{then_map['summary']['covered']}"
        )
        print(
            f"busiest pair {a} - {b}: {history_size['totalCount']} recorded changes; "
            f"logInteraction over {len(ties)} ties"
        )
        results: dict[str, list[float]] = {
            f"{op}/{way}": []
            for op in NAMES
            for way in (("http", "python") if op == "log" else ("http", "bare"))
        }

        def log_http(ours: str, theirs: str) -> None:
            graphql(client, LOG_INTERACTION, **log_variables(ours, theirs))

        def log_python(ours: str, theirs: str) -> None:
            log_meeting(graph, ours, theirs)

        def one_round(ours: str, theirs: str) -> dict[str, float]:
            return {
                "map-now/http": timed(lambda: graphql(client, MAP, c=customer, at=None)),
                "map-asof/http": timed(
                    lambda: graphql(client, MAP, c=customer, at=as_of.isoformat())
                ),
                "map-now/bare": timed(
                    lambda: graph.read(keypersons.KEY_PERSON_MAP, companyId=customer)
                ),
                "map-asof/bare": timed(
                    lambda: graph.read(
                        keypersons.KEY_PERSON_MAP_AS_OF, companyId=customer, atMs=at_ms
                    )
                ),
                "history/http": timed(lambda: graphql(client, HISTORY, a=a, b=b)),
                "history/bare": timed(
                    lambda: graph.read(
                        history.CHANGES_FOR_PAIR,
                        pairKey=pair_key(a, b),
                        subjectKinds=kinds,
                        skip=0,
                        end=100,
                    )
                ),
                "log/http": timed(lambda: log_http(ours, theirs)),
                "log/python": timed(lambda: log_python(ours, theirs)),
            }

        for round_ in range(args.warmup + args.rounds):
            ours, theirs = next(cycle)
            times = one_round(ours, theirs)
            if round_ >= args.warmup:
                for name, ms in times.items():
                    results[name].append(ms)
        _report(args, results)


def _report(args: Any, results: dict[str, list[float]]) -> None:
    print(
        f"\nscale: {args.people:,} people; {args.rounds} rounds after {args.warmup} "
        f"warm-up, interleaved; cores {os.cpu_count()}"
    )
    print(f"{'operation':<34}{'GraphQL p50':>12}{'p99':>9}{'bare p50':>10}{'p99':>9}{'ratio':>7}")
    figures: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {}
    for op, name in NAMES.items():
        second = "python" if op == "log" else "bare"
        http, bare = percentiles(results[f"{op}/http"]), percentiles(results[f"{op}/{second}"])
        figures[op] = (http, bare)
        print(
            f"{name:<34}{http[0]:>10.1f}ms{http[1]:>7.1f}ms{bare[0]:>8.1f}ms"
            f"{bare[1]:>7.1f}ms{http[0] / bare[0]:>7.2f}"
        )
    (now_http, now_bare), (then_http, then_bare) = figures["map-now"], figures["map-asof"]
    print(
        f"as-of / current at p50: GraphQL {then_http[0] / now_http[0]:.2f}x, "
        f"bare {then_bare[0] / now_bare[0]:.2f}x (target <= 2x)"
    )
    log_http, log_python = figures["log"]
    print(
        f"logInteraction p50: GraphQL {log_http[0]:.1f} ms, in-process {log_python[0]:.1f} ms "
        "(target < 20 ms); the 'bare' columns of that row are in-process log_interaction"
    )


if __name__ == "__main__":
    main()
