"""Network measures against networkx on the same graph.

Each test builds a random world (people, companies, current and ended roles, relationships,
business relationships, referrals with a repeated pair, a reciprocal pair and a cycle) through
the app's own writes, builds the networkx graph it expects from its own list of what it made,
and compares the projection and every measure to 1e-6.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

import networkx as nx
import pytest

from graph.analysis import network
from graph.analysis.network import (
    Measure,
    Network,
    NetworkMeasures,
    NodeMeasure,
    network_measures,
    project,
)
from graph.core import kinds, writes
from graph.core.models import PartyKind, PartyRef
from graph.cypher.analysis import network as cypher
from graph.db.connection import Graph
from graph.db.errors import NotFound
from tests import factories
from tests.conftest import StatementLog

TOLERANCE = 1e-6
EDGE_READS = {cypher.PEOPLE_TIES_OUT, cypher.COMPANY_TIES_OUT, cypher.PEOPLE_TIES}


@dataclass
class World:
    people: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    knows: list[tuple[str, str]] = field(default_factory=list)
    knows_ids: dict[tuple[str, str], str] = field(default_factory=dict)
    strengths: dict[tuple[str, str], float] = field(default_factory=dict)
    roles: list[tuple[str, str, bool]] = field(default_factory=list)  # person, company, current
    business: list[tuple[str, str]] = field(default_factory=list)
    referrals: list[tuple[str, str]] = field(default_factory=list)

    def relationship_edges(self) -> list[tuple[str, str]]:
        current = [(p, c) for p, c, now in self.roles if now]
        return self.knows + self.business + current

    def weights(self) -> dict[frozenset[str], float]:
        """The documented weights: a relationship's strength, a company relationship's
        (0.5 here), a current role 1."""
        found = {frozenset(pair): self.strengths[pair] for pair in self.knows}
        found |= {frozenset(pair): 0.5 for pair in self.business}
        found |= {frozenset((p, c)): 1.0 for p, c, now in self.roles if now}
        return found


def _world(graph: Graph, seed: int, people: int = 40, ties: int = 90) -> World:
    rng = random.Random(seed)
    world = World()
    world.companies = [factories.company(graph, f"Company {i}") for i in range(6)]
    world.people = [factories.person(graph, f"Person {i}") for i in range(people)]
    today = dt.date.today()
    for i, p in enumerate(world.people):
        if i < 8:  # the first company's people, so its neighbourhood is not empty
            factories.role(graph, p, world.companies[0])
            world.roles.append((p, world.companies[0], True))
        elif rng.random() < 0.8:
            c = rng.choice(world.companies)
            ended = rng.random() < 0.25
            end = dt.date(2021, 6, 30) if ended else rng.choice([None, today, dt.date(2099, 1, 1)])
            factories.role(graph, p, c, startDate=dt.date(2020, 1, 1), endDate=end)
            world.roles.append((p, c, not ended))
    first, second = world.people[:2]
    extra_roles = [(first, 0, None), (second, 3, dt.date(2021, 6, 30)), (second, 4, None)]
    for who, at, end in extra_roles:  # a second role at one company, an ended one, another
        factories.role(graph, who, world.companies[at], "Board", endDate=end)
        world.roles.append((who, world.companies[at], end is None))
    pairs: set[frozenset[str]] = set()
    while len(pairs) < ties:
        a, b = rng.sample(world.people, 2)
        if frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            _know(graph, world, a, b, round(rng.random(), 2))
    for i, j in [(0, 1), (1, 2), (3, 4), (2, 5)]:
        _business(graph, world, world.companies[i], world.companies[j])
    parties = world.people + world.companies
    chosen = [tuple(rng.sample(parties, 2)) for _ in range(20)]
    x, y, z = rng.sample(world.people, 3)
    chosen += [(x, y), (y, z), (z, x), (x, y), (y, x)]  # a cycle, a repeat, a reciprocal pair
    chosen += [(world.companies[1], x), (world.people[0], world.companies[2])]
    for a, b in chosen:
        _refer(graph, world, a, b)
    return world


def _know(graph: Graph, world: World, a: str, b: str, strength: float = 0.5) -> None:
    world.knows_ids[(a, b)] = factories.knows(graph, a, b, strength)
    world.knows.append((a, b))
    world.strengths[(a, b)] = strength


def _strangers(world: World) -> Iterator[tuple[str, str]]:
    known = {frozenset(pair) for pair in world.knows}
    for a in world.people:
        for b in world.people:
            if a < b and frozenset((a, b)) not in known:
                yield a, b


def _business(graph: Graph, world: World, a: str, b: str) -> None:
    data = {"tier": "PARTNERSHIP", "strength": 0.5}
    writes.create_edge(
        graph, kinds.COMPANY_RELATIONSHIP, a, b, kinds.COMPANY_RELATIONSHIP.checked(data)
    )
    world.business.append((a, b))


def _refer(graph: Graph, world: World, a: str, b: str) -> str:
    world.referrals.append((a, b))
    return writes.create_edge(
        graph, kinds.REFERRAL, a, b, kinds.REFERRAL.checked({"date": dt.date(2024, 5, 1)})
    ).id


def _expected(network_: Network, edges: Iterable[tuple[str, str]], extra: str | None) -> nx.Graph:
    """The networkx graph of these edges, nodes added in id order as the module orders them."""
    edges = list(edges)
    nodes = {end for pair in edges for end in pair} | ({extra} if extra else set())
    g = nx.DiGraph() if network_ is Network.REFERRALS else nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(edges)
    return g


def _weigh(g: nx.Graph, weights: dict[frozenset[str], float] | None = None) -> nx.Graph:
    """Each edge's `weight`: from `weights` (undirected), else the number of times the pair
    occurs among the referrals (`_weigh_referrals`)."""
    for a, b, attrs in g.edges(data=True):
        attrs["weight"] = weights[frozenset((a, b))] if weights is not None else 1.0
    return g


def _weigh_referrals(g: nx.DiGraph, referrals: list[tuple[str, str]]) -> nx.DiGraph:
    for a, b, attrs in g.edges(data=True):
        attrs["weight"] = float(referrals.count((a, b)))
    return g


def _edge_set(g: nx.Graph) -> set[tuple[str, str]] | set[frozenset[str]]:
    if g.is_directed():
        return set(g.edges())
    return {frozenset(e) for e in g.edges()}


def _check_projection(graph: Graph, expected: nx.Graph, company_id: str | None = None) -> None:
    network_ = Network.REFERRALS if expected.is_directed() else Network.RELATIONSHIPS
    found = project(graph, network_, company_id=company_id)
    ids = [ref.id for ref in found.nodes]
    assert ids == sorted(expected.nodes())
    pairs = [(ids[a], ids[b]) for a, b in found.edges]
    got = set(pairs) if expected.is_directed() else {frozenset(p) for p in pairs}
    assert len(pairs) == len(got)  # no repeated edges
    assert got == _edge_set(expected)


def _check_measures(result: NetworkMeasures, expected: nx.Graph, *, weighted: bool = False) -> None:
    """With `weighted`, networkx weighs by each edge's `weight`, and betweenness follows the
    documented distance; an edge of weight 0 is none."""
    assert result.node_count == expected.number_of_nodes()
    assert result.edge_count == expected.number_of_edges()
    assert result.weighted is weighted
    by_id = {n.ref.id: n for n in result.nodes}
    assert set(by_id) == set(expected.nodes())
    weight = "weight" if weighted else None
    # numpy is not installed, so networkx's own pure-Python reference implementation
    pagerank = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(
        expected, alpha=0.85, tol=1e-12, max_iter=1000, weight=weight
    )
    if weighted:
        lengths = expected.copy()
        lengths.remove_edges_from(
            [(a, b) for a, b, w in expected.edges(data="weight") if not w > 0]
        )
        for _, _, attrs in lengths.edges(data=True):
            attrs["distance"] = network.distance(attrs["weight"])
        betweenness = nx.betweenness_centrality(lengths, normalized=True, weight="distance")
    else:
        betweenness = nx.betweenness_centrality(expected, normalized=True)
    for node in expected.nodes():
        measure = by_id[node]
        assert measure.degree == expected.degree(node)
        if expected.is_directed():
            assert measure.in_degree == expected.in_degree(node)
            assert measure.out_degree == expected.out_degree(node)
        else:
            assert measure.in_degree is None and measure.out_degree is None
        assert measure.pagerank == pytest.approx(pagerank[node], abs=TOLERANCE)
        assert measure.betweenness == pytest.approx(betweenness[node], abs=TOLERANCE)
    assert result.betweenness_sources is None
    # communities: a partition, numbered by size then smallest member, with its modularity
    members = [{ref.id for ref in c.members} for c in result.communities]
    assert sorted(i for m in members for i in m) == sorted(expected.nodes())
    assert [c.id for c in result.communities] == list(range(len(members)))
    assert [(-c.size, c.members[0].id) for c in result.communities] == sorted(
        (-len(m), min(m)) for m in members
    )
    for c in result.communities:
        assert [r.id for r in c.members] == sorted(r.id for r in c.members) and c.size == len(
            c.members
        )
        assert all(by_id[r.id].community == c.id for r in c.members)
    undirected = nx.Graph()  # a reciprocal pair's weights add up
    undirected.add_nodes_from(expected.nodes())
    for a, b, w in expected.edges(data="weight", default=1.0):
        if weighted and not w > 0:
            continue
        before = undirected.edges[a, b]["weight"] if undirected.has_edge(a, b) else 0.0
        undirected.add_edge(a, b, weight=before + w)
    if undirected.number_of_edges():
        assert result.modularity == pytest.approx(
            nx.community.modularity(undirected, members, weight=weight), abs=TOLERANCE
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    network.clear_cache()  # the session shares one Graph object between tests
    yield
    network.clear_cache()


def test_relationship_network_matches_networkx(graph: Graph) -> None:
    world = _world(graph, seed=11)
    expected = _expected(Network.RELATIONSHIPS, world.relationship_edges(), None)
    _check_projection(graph, expected)
    result = network_measures(graph, Network.RELATIONSHIPS)
    _check_measures(result, expected)
    assert result.network is Network.RELATIONSHIPS and result.company_id is None
    kinds_ = {ref.id: ref.kind.value for ref in (n.ref for n in result.nodes)}
    assert {i for i, k in kinds_.items() if k == "COMPANY"} <= set(world.companies)
    assert {i for i, k in kinds_.items() if k == "PERSON"} <= set(world.people)


def test_referral_network_matches_networkx(graph: Graph) -> None:
    world = _world(graph, seed=12)
    expected = _expected(Network.REFERRALS, world.referrals, None)
    _check_projection(graph, expected)
    result = network_measures(graph, Network.REFERRALS)
    _check_measures(result, expected)
    assert sum(n.out_degree or 0 for n in result.nodes) == expected.number_of_edges()


@pytest.mark.slow
def test_big_networks_are_measured_in_a_worker_process(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _world(graph, seed=14)
    expected = _expected(Network.RELATIONSHIPS, world.relationship_edges(), None)
    monkeypatch.setattr(network, "ELSEWHERE_FROM_EDGES", 1)
    elsewhere = network_measures(graph, Network.RELATIONSHIPS)
    assert network._WORKER, "the worker process was not used"
    _check_measures(elsewhere, expected)


@pytest.mark.parametrize("kind", list(Network))
def test_sampled_betweenness_follows_networkx_sampling(graph: Graph, kind: Network) -> None:
    world = _world(graph, seed=13)
    edges = world.referrals if kind is Network.REFERRALS else world.relationship_edges()
    expected = _expected(kind, edges, None)
    n = expected.number_of_nodes()
    sampled = network_measures(graph, kind, betweenness_limit=2, betweenness_sources=5)
    assert sampled.betweenness_sources == 5
    # the same sources networkx draws with the same seed, scaled the same way
    wanted = nx.betweenness_centrality(expected, k=5, normalized=True, seed=network.SEED)
    for node in sampled.nodes:
        assert node.betweenness == pytest.approx(wanted[node.ref.id], abs=TOLERANCE)
    every = network_measures(graph, kind, betweenness_limit=2, betweenness_sources=n)
    exact = network_measures(graph, kind)
    assert every.betweenness_sources is None and exact.betweenness_sources is None
    for a, b in zip(every.nodes, exact.nodes, strict=True):
        assert a.betweenness == pytest.approx(b.betweenness, abs=TOLERANCE)
    if kind is Network.RELATIONSHIPS:  # weighted: the same sources, by distance
        lengths = _weigh(expected, world.weights())
        lengths.remove_edges_from([(a, b) for a, b, w in lengths.edges(data="weight") if not w])
        for _, _, attrs in lengths.edges(data=True):
            attrs["distance"] = network.distance(attrs["weight"])
        wanted = nx.betweenness_centrality(
            lengths, k=5, normalized=True, seed=network.SEED, weight="distance"
        )
        weighted = network_measures(
            graph, kind, weighted=True, betweenness_limit=2, betweenness_sources=5
        )
        assert weighted.betweenness_sources == 5
        for node in weighted.nodes:
            assert node.betweenness == pytest.approx(wanted[node.ref.id], abs=TOLERANCE)


def test_neighbourhood(graph: Graph) -> None:
    world = _world(graph, seed=14, people=60, ties=45)
    home = world.companies[0]
    current = [(p, c) for p, c, now in world.roles if now]
    staff = {p for p, c in current if c == home}
    known = {b for a, b in world.knows if a in staff} | {a for a, b in world.knows if b in staff}
    people = staff | known
    companies = {home} | {c for p, c in current if p in people}
    members = people | companies
    relationships = (
        [(a, b) for a, b in world.knows if a in people and b in people]
        + [(p, c) for p, c in current if p in people]
        + [(a, b) for a, b in world.business if a in companies and b in companies]
    )
    referrals = [(a, b) for a, b in world.referrals if a in members or b in members]
    assert len(people) < len(world.people)  # the neighbourhood is not the whole graph
    assert any(a not in members or b not in members for a, b in referrals)
    for kind, edges in ((Network.RELATIONSHIPS, relationships), (Network.REFERRALS, referrals)):
        expected = _expected(kind, edges, home)
        _check_projection(graph, expected, company_id=home)
        result = network_measures(graph, kind, company_id=home)
        assert result.company_id == home
        _check_measures(result, expected)


def test_a_company_with_no_edges_is_its_own_neighbourhood(graph: Graph) -> None:
    lonely = factories.company(graph, "Lonely")
    result = network_measures(graph, Network.RELATIONSHIPS, company_id=lonely)
    assert [n.ref.id for n in result.nodes] == [lonely]
    assert result.nodes[0].degree == 0 and result.modularity is None
    assert network_measures(graph, Network.REFERRALS).node_count == 0


def test_unknown_company(graph: Graph) -> None:
    with pytest.raises(NotFound) as raised:
        network_measures(graph, Network.RELATIONSHIPS, company_id="co_missing")
    assert raised.value.field == "companyId"


def test_ranking(graph: Graph) -> None:
    _world(graph, seed=15)
    result = network_measures(graph, Network.RELATIONSHIPS)
    values: dict[Measure, Callable[[NodeMeasure], float]] = {
        Measure.DEGREE: lambda n: n.degree,
        Measure.PAGERANK: lambda n: n.pagerank,
        Measure.BETWEENNESS: lambda n: n.betweenness,
    }
    for measure, value in values.items():
        ranked = result.ranked(measure)
        assert ranked == sorted(result.nodes, key=lambda n: (-value(n), n.ref.id))
    assert [n.degree for n in result.ranked(Measure.DEGREE)][:3] == sorted(
        (n.degree for n in result.nodes), reverse=True
    )[:3]
    first = result.nodes[0]
    assert result.node(first.ref.id) is first and result.node("nobody") is None


def _edge_reads(statements: StatementLog, start: int) -> int:
    return sum(1 for query, _ in statements.executed[start:] if query in EDGE_READS)


def test_cache_until_the_graph_changes(
    graph: Graph, other_graph: Graph, statements: StatementLog
) -> None:
    world = _world(graph, seed=16, people=20, ties=30)
    first = network_measures(graph, Network.RELATIONSHIPS)
    with statements.count_during() as counter:
        again = network_measures(graph, Network.RELATIONSHIPS)
    assert again is first and counter.count == 1  # the change feed's head only

    _know(other_graph, world, *next(_strangers(world)))  # a write by another process
    seen = network_measures(graph, Network.RELATIONSHIPS)
    assert seen is not first and seen.edge_count == first.edge_count + 1
    first = seen

    _know(graph, world, *next(_strangers(world)))
    added = network_measures(graph, Network.RELATIONSHIPS)
    assert added is not first and added.edge_count == first.edge_count + 1
    _check_measures(added, _expected(Network.RELATIONSHIPS, world.relationship_edges(), None))

    # one deleted and another added by another process: the same counts, but the change log
    # moved
    gone = world.knows.pop(0)
    writes.delete_edge(other_graph, kinds.RELATIONSHIP, world.knows_ids.pop(gone))
    _know(other_graph, world, *next(_strangers(world)))
    swapped = network_measures(graph, Network.RELATIONSHIPS)
    assert swapped is not added and swapped.edge_count == added.edge_count
    _check_measures(swapped, _expected(Network.RELATIONSHIPS, world.relationship_edges(), None))

    referrals = network_measures(graph, Network.REFERRALS)
    assert network_measures(graph, Network.REFERRALS) is referrals
    made = _refer(graph, world, world.people[0], world.people[1])
    more = network_measures(graph, Network.REFERRALS)
    assert more is not referrals and more.edge_count >= referrals.edge_count

    # one referral deleted and another made elsewhere: the same count, but the change log moved
    writes.delete_edge(other_graph, kinds.REFERRAL, made)
    world.referrals.pop()
    _refer(other_graph, world, world.people[2], world.people[3])
    swapped_referrals = network_measures(graph, Network.REFERRALS)
    assert swapped_referrals is not more
    _check_measures(swapped_referrals, _expected(Network.REFERRALS, world.referrals, None))


def test_concurrent_callers_compute_once(graph: Graph, statements: StatementLog) -> None:
    _world(graph, seed=17, people=20, ties=30)
    start = len(statements.executed)
    barrier = threading.Barrier(4)
    results: list[NetworkMeasures] = []

    def call() -> None:
        barrier.wait()
        results.append(network_measures(graph, Network.RELATIONSHIPS))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(r is results[0] for r in results)
    assert _edge_reads(statements, start) == 2  # one page of people, one of companies


def test_weighted_relationship_network_matches_networkx(graph: Graph) -> None:
    world = _world(graph, seed=21)
    assert len({world.strengths[pair] for pair in world.knows}) > 20  # strengths vary
    expected = _weigh(
        _expected(Network.RELATIONSHIPS, world.relationship_edges(), None), world.weights()
    )
    weighted = network_measures(graph, Network.RELATIONSHIPS, weighted=True)
    _check_measures(weighted, expected, weighted=True)
    plain = network_measures(graph, Network.RELATIONSHIPS)  # the default is unchanged
    _check_measures(plain, expected)
    assert (
        max(abs(a.pagerank - b.pagerank) for a, b in zip(weighted.nodes, plain.nodes, strict=True))
        > 1e-3
    )


def test_weighted_referral_network_matches_networkx(graph: Graph) -> None:
    world = _world(graph, seed=22)
    expected = _weigh_referrals(
        cast(nx.DiGraph, _expected(Network.REFERRALS, world.referrals, None)), world.referrals
    )
    assert any(w > 1 for _, _, w in expected.edges(data="weight"))  # a repeated referral
    _check_measures(
        network_measures(graph, Network.REFERRALS, weighted=True), expected, weighted=True
    )


def test_weighted_neighbourhood_matches_networkx(graph: Graph) -> None:
    world = _world(graph, seed=23, people=60, ties=45)
    home = world.companies[0]
    current = [(p, c) for p, c, now in world.roles if now]
    staff = {p for p, c in current if c == home}
    known = {b for a, b in world.knows if a in staff} | {a for a, b in world.knows if b in staff}
    people = staff | known
    companies = {home} | {c for p, c in current if p in people}
    relationships = (
        [(a, b) for a, b in world.knows if a in people and b in people]
        + [(p, c) for p, c in current if p in people]
        + [(a, b) for a, b in world.business if a in companies and b in companies]
    )
    expected = _weigh(_expected(Network.RELATIONSHIPS, relationships, home), world.weights())
    found = network_measures(graph, Network.RELATIONSHIPS, company_id=home, weighted=True)
    _check_measures(found, expected, weighted=True)


def test_weighted_karate_club_matches_networkx(graph: Graph) -> None:
    """Zachary's karate club with its interaction counts (1-7) as strengths w / 7: few distinct
    strengths, so many shortest paths of equal length, which must tie as networkx ties them."""
    karate = nx.karate_club_graph()
    people = {v: factories.person(graph, f"Member {v:02d}") for v in karate.nodes()}
    world = World(people=list(people.values()))
    for a, b, count in karate.edges(data="weight"):
        _know(graph, world, people[a], people[b], count / 7)
    expected = _weigh(_expected(Network.RELATIONSHIPS, world.knows, None), world.weights())
    weighted = network_measures(graph, Network.RELATIONSHIPS, weighted=True)
    _check_measures(weighted, expected, weighted=True)
    _check_measures(network_measures(graph, Network.RELATIONSHIPS), expected)
    assert weighted.modularity is not None and weighted.modularity > 0.4


def test_weighted_measures_on_random_graphs_match_networkx() -> None:
    """Random graphs measured from their projection (no database): continuous strengths, a
    few strengths of 0, and strengths from a small set (exact ties of path length)."""
    rng = random.Random(5)
    for round_ in range(12):
        n = rng.randint(5, 70)
        g = nx.gnm_random_graph(n, rng.randint(n, 4 * n), seed=round_)
        pool = [0.2, 0.25, 0.5, 0.3, 0.6, 1.0]
        for _, _, attrs in g.edges(data=True):
            attrs["weight"] = (
                rng.choice(pool) if round_ % 2 else (0.0 if rng.random() < 0.05 else rng.random())
            )
        ids = {v: f"p{v:03d}" for v in g.nodes()}
        expected = nx.relabel_nodes(g, ids)
        nodes = sorted(expected.nodes())
        index = {v: i for i, v in enumerate(nodes)}
        edges = sorted(
            (tuple(sorted((index[a], index[b]))), w) for a, b, w in expected.edges(data="weight")
        )
        projection = network.Projection(
            Network.RELATIONSHIPS,
            [PartyRef(PartyKind.PERSON, v) for v in nodes],
            [(a, b) for (a, b), _ in edges],
            [w for _, w in edges],
        )
        _check_measures(network.measure(projection), expected, weighted=True)
