"""Referral chains, rankings and network measures: end to end beside the bare driver and
networkx.

    .venv/bin/python -m benchmarks.referrals [--people 100000] [--rounds 30] [--no-networkx]

Builds (or reuses) the synthetic graph at that scale without its interaction history (the
referrals and deals do not need it), starts the server in its own process against it, and
times, interleaved in one run over the ten busiest referrers:

- the downstream summary to depth 6 (counts and value per depth) over GraphQL, the same with
  the first page of 20 parties and their names, the chain in-process (driver + Python), and
  the bare driver counting the same parties with one variable-length match;
- topReferrers by reach and by value, and referralConversion (cold, then cached);
- network measures over the whole graph: the projection, the igraph computation, a cached
  GraphQL page of the top 20 by PageRank, and networkx on the same projection in-process.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Callable

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from benchmarks.harness import graphql, percentiles, server, synthetic_graph, timed
from benchmarks.queries import REFERRAL_PAGE, REFERRAL_SUMMARY, TOP_REFERRERS
from graph.analysis import network
from graph.cypher.referrals import chains as cypher
from graph.referrals import chains as referrals
from graph.referrals import referrers

CONVERSION = """{ referralConversion { referred converted alreadyCustomers rate
  medianDaysToFirstDeal p90DaysToFirstDeal } }"""
MEASURES = """{ networkMeasures(network: RELATIONSHIPS) { nodeCount edgeCount modularity
  betweennessSources nodes(first: 20) { nodes { degree pagerank betweenness community
  party { ... on Person { id name } ... on Company { id name } } } } } }"""


def seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx runs")
    args = parser.parse_args()
    with (
        synthetic_graph(args.people, history=False) as (graph, endpoint, samples),
        server(endpoint) as client,
    ):
        busiest = samples.busiest_referrers
        chains = [referrals.referral_chain(graph, p) for p in busiest]
        print("ten busiest referrers, parties downstream within 6 levels:")
        print("  " + ", ".join(f"{p} {c.total:,}" for p, c in zip(busiest, chains, strict=True)))
        top = chains[0]
        levels = ", ".join(f"{x.depth}: {x.count:,}" for x in top.levels)
        print(f"  busiest {busiest[0]}: {levels}; value {top.value:,.0f} CNY")

        # -- chains, interleaved -------------------------------------------------------------
        names = ["summary/http", "page/http", "chain/in-process", "count/bare"]
        results: dict[str, list[float]] = {name: [] for name in names}
        busiest_only: dict[str, list[float]] = {name: [] for name in names}
        parties = itertools.cycle(busiest)

        def one_round(party: str) -> dict[str, float]:
            return {
                "summary/http": timed(lambda: graphql(client, REFERRAL_SUMMARY, id=party)),
                "page/http": timed(lambda: graphql(client, REFERRAL_PAGE, id=party)),
                "chain/in-process": timed(lambda: referrals.referral_chain(graph, party)),
                "count/bare": timed(lambda: graph.read(cypher.DOWNSTREAM_COUNT_6, id=party)),
            }

        for round_ in range(args.warmup + args.rounds * len(busiest)):
            party = next(parties)
            times = one_round(party)
            if round_ >= args.warmup:
                for name, ms in times.items():
                    results[name].append(ms)
                    if party == busiest[0]:
                        busiest_only[name].append(ms)
        print(
            f"\nscale: {args.people:,} people; {args.rounds} rounds over the ten busiest "
            f"referrers after {args.warmup} warm-up, interleaved; cores {os.cpu_count()}"
        )
        print(f"{'downstream to depth 6':<34}{'all ten p50':>12}{'p99':>10}{'busiest p50':>13}")
        for name in names:
            p50, p99 = percentiles(results[name])
            first = percentiles(busiest_only[name])[0]
            print(f"{name:<34}{p50:>10.1f}ms{p99:>8.1f}ms{first:>11.1f}ms")
        bare = percentiles(results["count/bare"])[0]
        print(
            "ratio to the bare count (p50): summary "
            f"{percentiles(results['summary/http'])[0] / bare:.2f}, page "
            f"{percentiles(results['page/http'])[0] / bare:.2f}, in-process "
            f"{percentiles(results['chain/in-process'])[0] / bare:.2f}"
        )

        # -- rankings and conversion -----------------------------------------------------------
        cold = seconds(lambda: graphql(client, TOP_REFERRERS, by="REACH"))  # the server's own cache
        warm = [timed(lambda: graphql(client, TOP_REFERRERS, by="VALUE")) for _ in range(10)]
        in_process = seconds(lambda: referrers.referral_network(graph))
        conversion = seconds(lambda: graphql(client, CONVERSION))
        print(
            f"\ntopReferrers: first call {cold:.1f} s (reads every referral and what each "
            f"brought), cached p50 {percentiles(warm)[0]:.1f} ms; the same network in-process "
            f"{in_process:.1f} s; referralConversion {conversion:.1f} s"
        )

        # -- network measures ----------------------------------------------------------------
        started = time.perf_counter()
        projection = network.project(graph, network.Network.RELATIONSHIPS)
        projected_in = time.perf_counter() - started
        measured_in = seconds(lambda: network.measure(projection))
        cold_http = seconds(lambda: graphql(client, MEASURES))
        warm_http = [timed(lambda: graphql(client, MEASURES)) for _ in range(10)]
        print(
            f"\nnetwork measures, RELATIONSHIPS, whole graph: {len(projection.nodes):,} nodes, "
            f"{len(projection.edges):,} edges"
        )
        print(
            f"  projection {projected_in:.1f} s; igraph degree + PageRank + betweenness "
            f"({network.BETWEENNESS_SOURCES} sources) + Louvain {measured_in:.1f} s; over "
            f"GraphQL first call {cold_http:.1f} s, cached p50 {percentiles(warm_http)[0]:.1f} ms"
        )
        if args.no_networkx:
            return
        g = nx.Graph()
        g.add_nodes_from(range(len(projection.nodes)))
        g.add_edges_from(projection.edges)
        nx_pagerank = seconds(lambda: _pagerank_python(g, alpha=network.DAMPING))
        nx_between = seconds(
            lambda: nx.betweenness_centrality(g, k=network.BETWEENNESS_SOURCES, seed=network.SEED)
        )
        nx_louvain = seconds(lambda: nx.community.louvain_communities(g, seed=network.SEED))
        total = nx_pagerank + nx_between + nx_louvain
        print(
            f"  networkx in-process: PageRank {nx_pagerank:.1f} s, betweenness "
            f"{nx_between:.1f} s, Louvain {nx_louvain:.1f} s; total {total:.1f} s, "
            f"{total / measured_in:.1f}x igraph"
        )


if __name__ == "__main__":
    main()
