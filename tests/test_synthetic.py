"""The synthetic generator: deterministic, the seeds' tier ladder, loads what it generates."""

from __future__ import annotations

from collections import Counter

from graph.connection import Graph
from graph.setup import count_nodes_and_edges
from seed.synthetic import TIERS, generate, load


def test_same_seed_same_graph_other_seed_other_graph() -> None:
    assert generate(300, seed=1) == generate(300, seed=1)
    assert generate(300, seed=1).relationships != generate(300, seed=2).relationships


def test_tiers_follow_the_ladder_and_degrees_are_heavy_tailed() -> None:
    data = generate(3000)
    shares = Counter(r["props"]["tier"] for r in data.relationships)
    total = sum(shares.values())
    assert total == 30_000
    for tier, share, _ in TIERS:
        assert abs(shares[tier] / total - share) < 0.02, tier
    degrees = sorted(len(n) for n in data.neighbours.values())
    assert degrees[-1] > 5 * degrees[len(degrees) // 2]  # hubs well above the median
    names = [p["name"] for p in data.people]
    assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)


def test_load_writes_every_row(graph: Graph) -> None:
    data = generate(200)
    load(graph, data, batch_size=500)
    nodes, edges = count_nodes_and_edges(graph)
    assert nodes == len(data.companies) + len(data.people)
    assert edges == (
        len(data.roles)
        + len(data.relationships)
        + len(data.company_relationships)
        + len(data.reporting_lines)
    )
