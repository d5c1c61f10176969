"""Introduction paths through the API, on random graphs stored in the engine, against networkx.

This checks what the pure ranking tests cannot: that the neighbourhoods pulled from the
database hold every path the search needs.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from starlette.testclient import TestClient

from graph.db.connection import Graph
from graph.keypersons import introductions
from tests import factories
from tests.conftest import data, error

PATHS = """
query ($a: ID!, $b: ID!, $hops: Int!, $first: Int!, $tier: PersonTier) {
  introductionPaths(fromPersonId: $a, toPersonId: $b, maxHops: $hops, first: $first,
                    minTier: $tier) {
    strength hops label people { id } steps { fromPerson { id } toPerson { id } tier strength }
  }
}
"""
BEST = """
query ($p: ID, $c: ID, $hops: Int!, $key: Boolean! = false, $tier: PersonTier) {
  bestIntroductions(toPersonId: $p, toCompanyId: $c, maxHops: $hops, first: 10,
                    keyPersonsOnly: $key, minTier: $tier) {
    strength label people { id }
  }
}
"""
TIERS = ["PASSER_BY", "ACQUAINTANCE", "FRIEND", "CONFIDANT"]


def _random_graph(
    graph: Graph, rng: random.Random, size: int, edges: int
) -> tuple[nx.Graph, list[str]]:
    """A random graph stored in the engine; people in creation order, so that a seed always
    picks the same ones (their ids are random)."""
    people = [factories.person(graph, f"P{i:02d}") for i in range(size)]
    g = nx.Graph()
    g.add_nodes_from(people)
    while g.number_of_edges() < edges:
        a, b = rng.sample(people, 2)
        if g.has_edge(a, b):
            continue
        strength = rng.choice([0.1, 0.2, 0.25, 0.5, 0.8, 1.0])
        tier = rng.choice(TIERS)
        factories.knows(graph, a, b, strength, tier=tier)
        g.add_edge(a, b, strength=strength, tier=tier)
    return g, people


def _expected(
    g: nx.Graph, a: str, b: str, hops: int, first: int, min_tier: str | None = None
) -> list[tuple[tuple[str, ...], float]]:
    allowed = set(TIERS[TIERS.index(min_tier) :]) if min_tier else set(TIERS)
    sub = nx.Graph([(u, v, d) for u, v, d in g.edges(data=True) if d["tier"] in allowed])
    if a not in sub or b not in sub:
        return []
    ranked = []
    for nodes in nx.all_simple_paths(sub, a, b, cutoff=hops):
        strength = 1.0
        for u, v in zip(nodes, nodes[1:], strict=False):
            strength *= sub.edges[u, v]["strength"]
        ranked.append(((-strength, len(nodes) - 1, tuple(nodes)), strength))
    ranked.sort()
    return [(key[2], round(strength, 4)) for key, strength in ranked[:first]]  # as the API rounds


@pytest.mark.parametrize("seed", range(4))
def test_paths_match_networkx_on_random_graphs(client: TestClient, graph: Graph, seed: int) -> None:
    rng = random.Random(seed)
    g, people = _random_graph(graph, rng, size=18, edges=40)
    checked = 0
    for _ in range(6):
        a, b = rng.sample(people, 2)
        hops = rng.randint(1, 6)
        first = rng.randint(1, 8)
        tier = rng.choice([None, None, "ACQUAINTANCE", "FRIEND"])
        found = data(client, PATHS, a=a, b=b, hops=hops, first=first, tier=tier)
        got = [
            (tuple(p["id"] for p in path["people"]), path["strength"])
            for path in found["introductionPaths"]
        ]
        expected = _expected(g, a, b, hops, first, tier)
        assert got == expected, (a, b, hops, first, tier, sorted(g.edges(data=True)))
        checked += len(got)
    assert checked > 0


def test_steps_labels_and_limits(client: TestClient, graph: Graph) -> None:
    a, b, c = (factories.person(graph, n) for n in "ABC")
    factories.knows(graph, a, b, 0.9, tier="CONFIDANT")
    factories.knows(graph, b, c, 0.5, tier="FRIEND")
    factories.knows(graph, a, c, 0.1, tier="PASSER_BY")
    found = data(client, PATHS, a=a, b=c, hops=2, first=5)["introductionPaths"]
    assert [(p["hops"], p["label"], p["strength"]) for p in found] == [
        (2, "MODERATE", pytest.approx(0.45)),
        (1, "WEAK", 0.1),
    ]
    assert found[0]["steps"] == [
        {"fromPerson": {"id": a}, "toPerson": {"id": b}, "tier": "CONFIDANT", "strength": 0.9},
        {"fromPerson": {"id": b}, "toPerson": {"id": c}, "tier": "FRIEND", "strength": 0.5},
    ]
    friends_only = data(client, PATHS, a=a, b=c, hops=2, first=5, tier="FRIEND")
    assert len(friends_only["introductionPaths"]) == 1
    too_far = error(client, PATHS, a=a, b=c, hops=7, first=5)
    assert too_far["extensions"] == {"code": "BAD_USER_INPUT", "field": "maxHops"}
    assert "6" in too_far["message"]
    missing = error(client, PATHS, a=a, b="pe_nope", hops=3, first=5)
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "toPersonId"}


def _brute_best(
    g: nx.Graph, ours: set[str], targets: set[str], hops: int
) -> list[tuple[tuple[str, ...], float]]:
    ranked = []
    for source in ours - targets:
        for target in targets:
            for nodes in nx.all_simple_paths(g, source, target, cutoff=hops):
                interior = set(nodes[1:-1])
                if interior & (ours | targets):
                    continue
                strength = 1.0
                for u, v in zip(nodes, nodes[1:], strict=False):
                    strength *= g.edges[u, v]["strength"]
                ranked.append(((-strength, len(nodes) - 1, tuple(nodes)), strength))
    ranked.sort()
    return [(key[2], round(strength, 4)) for key, strength in ranked[:10]]  # as the API rounds


@pytest.mark.parametrize("seed", range(3))
def test_best_introductions_match_brute_force(client: TestClient, graph: Graph, seed: int) -> None:
    rng = random.Random(100 + seed)
    g, people = _random_graph(graph, rng, size=16, edges=32)
    ours_company = factories.company(graph, "Ours", isOurs=True)
    customer = factories.company(graph, "Customer")
    ours = set(rng.sample(people, 4))
    for person in ours:
        factories.role(graph, person, ours_company)
    rest = [p for p in people if p not in ours]
    at_customer = rng.sample(rest, 3)
    key_person = at_customer[0]
    for person in at_customer:
        factories.role(graph, person, customer, isKeyPerson=person == key_person)
    for hops in (2, 3, 4):
        to_company = data(client, BEST, c=customer, hops=hops)["bestIntroductions"]
        got = [(tuple(p["id"] for p in path["people"]), path["strength"]) for path in to_company]
        assert got == _brute_best(g, ours, set(at_customer), hops)
        to_key = data(client, BEST, c=customer, hops=hops, key=True)["bestIntroductions"]
        got = [(tuple(p["id"] for p in path["people"]), path["strength"]) for path in to_key]
        assert got == _brute_best(g, ours, {key_person}, hops)
        to_person = data(client, BEST, p=key_person, hops=hops)["bestIntroductions"]
        got = [(tuple(p["id"] for p in path["people"]), path["strength"]) for path in to_person]
        assert got == _brute_best(g, ours, {key_person}, hops)


def test_best_introductions_arguments(client: TestClient, graph: Graph) -> None:
    person = factories.person(graph, "Lonely")
    assert data(client, BEST, p=person, hops=3) == {"bestIntroductions": []}
    assert error(client, BEST, hops=3)["extensions"]["code"] == "BAD_USER_INPUT"
    assert error(client, BEST, p=person, hops=5)["extensions"]["field"] == "maxHops"
    assert error(client, BEST, c="co_nope", hops=3)["extensions"] == {
        "code": "NOT_FOUND",
        "field": "toCompanyId",
    }


def test_best_introductions_follow_the_tier_floor_and_a_new_tie(
    client: TestClient, graph: Graph
) -> None:
    """Our people's ties are kept in memory for the last hop (introductions.our_ties): the
    tier floor applies to them, and a tie written since is seen by the next call."""
    rng = random.Random(7)
    g, people = _random_graph(graph, rng, size=16, edges=32)
    ours_company = factories.company(graph, "Ours", isOurs=True)
    ours = set(people[:4])
    for person in ours:
        factories.role(graph, person, ours_company)
    target = next(p for p in people[4:] if not any(g.has_edge(p, o) for o in ours))

    def best(tier: str | None) -> list[tuple[tuple[str, ...], float]]:
        found = data(client, BEST, p=target, hops=3, tier=tier)["bestIntroductions"]
        return [(tuple(p["id"] for p in path["people"]), path["strength"]) for path in found]

    for tier in TIERS:
        allowed = set(TIERS[TIERS.index(tier) :])
        sub = nx.Graph([(u, v, d) for u, v, d in g.edges(data=True) if d["tier"] in allowed])
        sub.add_nodes_from(people)
        assert best(tier) == _brute_best(sub, ours, {target}, 3), tier
    tie = factories.knows(graph, people[0], target, 1.0, tier="CONFIDANT")
    assert best(None)[0] == ((people[0], target), 1.0)
    assert tie in {t.id for t in introductions.our_ties(graph).by_person[target]}


def test_a_person_of_few_ties_is_searched_without_a_threshold(graph: Graph) -> None:
    """The threshold only changes what the search costs; a target of FEW_TIES ties or fewer is
    searched in full up to FULL_SEARCH_HOPS, any other with the search's own thresholds."""
    few, many = factories.person(graph, "Few"), factories.person(graph, "Many")
    for i in range(introductions.FEW_TIES + 1):
        other = factories.person(graph, f"Other {i}")
        factories.knows(graph, many, other, 0.5)
        if i < introductions.FEW_TIES:  # exactly FEW_TIES: still few
            factories.knows(graph, few, other, 0.5)

    def first(person: str, hops: int) -> float | None:
        return graph.read_tx(
            lambda tx: introductions._first_threshold(tx, person, hops)  # pyright: ignore[reportPrivateUsage]
        )

    assert first(few, introductions.FULL_SEARCH_HOPS) == 0.0
    assert first(many, introductions.FULL_SEARCH_HOPS) is None
    assert first(few, introductions.FULL_SEARCH_HOPS + 1) is None
    assert first("pe_nobody", 2) is None
