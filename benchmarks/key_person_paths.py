"""Key-person map and introduction paths: end to end over HTTP beside the bare driver.

    .venv/bin/python -m benchmarks.key_person_paths [--people 100000] [--rounds 60]

Builds (or reuses) the synthetic graph at that scale in benchmarks/data/, starts the server
in its own process against it, and times, interleaved in one run: keyPersonMap for a
customer with 50 people, introductionPaths with maxHops 4 between median-degree people 3-4
hops apart, and the same Cypher through the bare driver. Prints p50/p99 and the ratio.
"""

from __future__ import annotations

import argparse
import itertools
import os
from typing import Any

from benchmarks.harness import graphql, percentiles, server, synthetic_graph, timed
from benchmarks.queries import MAP, PATHS
from graph.core.models import tiers_at_least
from graph.cypher.keypersons import maps as keypersons
from graph.cypher.keypersons import paths
from graph.keypersons import introductions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with synthetic_graph(args.people) as (graph, endpoint, samples), server(endpoint) as client:
        tiers = tiers_at_least(None)
        pairs = itertools.cycle(samples.path_pairs)
        print(
            f"customer with 50 people: {samples.customer_of_50}; "
            f"{len(samples.path_pairs)} path endpoint pairs at distance 3-4"
        )
        results: dict[str, list[float]] = {
            name: []
            for name in ["map/http", "map/bare", "paths/http", "paths/bare", "paths/python"]
        }
        found_paths: list[dict[str, Any]] = []

        def one_round(a: str, b: str) -> dict[str, float]:
            return {
                "map/http": timed(lambda: graphql(client, MAP, c=samples.customer_of_50)),
                "map/bare": timed(
                    lambda: graph.read(keypersons.KEY_PERSON_MAP, companyId=samples.customer_of_50)
                ),
                "paths/http": timed(lambda: found_paths.append(graphql(client, PATHS, a=a, b=b))),
                # what the path query runs: the neighbourhood of both ends, in one statement
                "paths/bare": timed(
                    lambda: graph.read(
                        paths.INTRODUCTION_NEIGHBOURHOOD[3], fromId=a, toId=b, tiers=tiers
                    )
                ),
                "paths/python": timed(
                    lambda: introductions.find_introductions(graph, a, b, max_hops=4, first=5)
                ),
            }

        for round_ in range(args.warmup + args.rounds):
            a, b, _ = next(pairs)
            times = one_round(a, b)
            if round_ >= args.warmup:
                for name, ms in times.items():
                    results[name].append(ms)
        rows = []
        for op in ["map", "paths"]:
            http, bare = percentiles(results[f"{op}/http"]), percentiles(results[f"{op}/bare"])
            rows.append((op, http, bare, http[0] / bare[0]))
        python = percentiles(results["paths/python"])
        with_paths = sum(1 for r in found_paths if r["data"]["introductionPaths"])
        print(
            f"\nscale: {args.people:,} people; {args.rounds} rounds after {args.warmup} "
            f"warm-up, interleaved; cores {os.cpu_count()}"
        )
        print(
            f"{'operation':<28}{'GraphQL p50':>12}{'p99':>9}{'bare p50':>10}{'p99':>9}{'ratio':>7}"
        )
        names = {"map": "keyPersonMap (50 people)", "paths": "introductionPaths (4 hops)"}
        for op, http, bare, ratio in rows:
            print(
                f"{names[op]:<28}{http[0]:>10.1f}ms{http[1]:>7.1f}ms{bare[0]:>8.1f}ms"
                f"{bare[1]:>7.1f}ms{ratio:>7.2f}"
            )
        print(
            f"introductionPaths in-process (driver + search, no HTTP): p50 {python[0]:.1f} ms, "
            f"p99 {python[1]:.1f} ms; {with_paths}/{len(found_paths)} calls found a path"
        )


if __name__ == "__main__":
    main()
