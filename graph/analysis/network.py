"""Network measures for analysts: degree, PageRank, betweenness and communities of people and
companies, over the relationship network or the referral network, for the whole graph or one
company's neighbourhood.

The engine has no graph-algorithm library, so the network is projected out of the database in
pages of ids and measured with igraph (C). Results are cached per graph and network until the
graph's fingerprint (one cheap statement) changes. igraph holds the GIL while it computes, so
big networks are measured in a worker process, leaving the server's threads free.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import random
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import LiteralString, cast

# igraph carries no type information (a C extension under untyped Python): what it returns is
# Unknown to basedpyright, as it is Any to mypy, so the Unknown-type rules are off in this file.
# pyright: reportUnknownMemberType=false
# pyright: reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false
import igraph

from graph.core.models import PartyKind, PartyRef
from graph.cypher.analysis import network as cypher
from graph.db import cache
from graph.db.connection import Graph, Row, Tx
from graph.db.errors import NotFound

PAGE_SIZE = 5_000  # ids per page: about 50,000 KNOWS edges for 5,000 people
DAMPING = 0.85
# Exact betweenness costs one search per node (5 s for 5,000 nodes and 50,000 edges); above
# the limit it is estimated from BETWEENNESS_SOURCES sources drawn with SEED.
BETWEENNESS_EXACT_LIMIT = 2_000
BETWEENNESS_SOURCES = 64
SEED = 7
# Networks with this many edges or more are measured in a worker process, so that a recompute
# (seconds to tens of seconds at 100,000 people) does not hold up the server's other requests.
ELSEWHERE_FROM_EDGES = 100_000


class Network(Enum):
    """RELATIONSHIPS: undirected KNOWS, DOES_BUSINESS_WITH and current roles (person-company).
    REFERRALS: directed REFERRED edges; repeated referrals of one pair are one edge."""

    RELATIONSHIPS = "RELATIONSHIPS"
    REFERRALS = "REFERRALS"


class Measure(Enum):
    """What to rank nodes by (each names a NodeMeasure field)."""

    DEGREE = "DEGREE"
    PAGERANK = "PAGERANK"
    BETWEENNESS = "BETWEENNESS"


@dataclass(frozen=True)
class Projection:
    """Nodes sorted by id, and simple edges as index pairs (undirected ones smaller first);
    with `weights`, each edge's weight (see `network_measures`), in the edges' order."""

    network: Network
    nodes: list[PartyRef]
    edges: list[tuple[int, int]]
    weights: list[float] | None = None


@dataclass(frozen=True)
class NodeMeasure:
    """One node's measures; `in_degree` and `out_degree` only in the referral network, where
    `degree` is their sum. Betweenness is normalised as networkx does."""

    ref: PartyRef
    degree: int
    in_degree: int | None
    out_degree: int | None
    pagerank: float
    betweenness: float
    community: int


@dataclass(frozen=True)
class Community:
    """A cluster; ids run from 0 by size descending, then by smallest member id."""

    id: int
    size: int
    members: list[PartyRef]


@dataclass(frozen=True)
class NetworkMeasures:
    """Measures of a whole network or one company's neighbourhood; nodes sorted by id.

    `modularity` is None without edges; `betweenness_sources` is None when betweenness is
    exact, else the number of sampled sources."""

    network: Network
    company_id: str | None
    node_count: int
    edge_count: int
    modularity: float | None
    betweenness_sources: int | None
    computed_at: dt.datetime
    nodes: list[NodeMeasure]
    communities: list[Community]
    weighted: bool = False

    def ranked(self, order_by: Measure) -> list[NodeMeasure]:
        """The nodes by a measure, largest first, ties by id (sorted once per measure)."""
        if order_by not in self._rankings:
            field_ = order_by.value.lower()
            self._rankings[order_by] = sorted(
                self.nodes, key=lambda n: (-getattr(n, field_), n.ref.id)
            )
        return self._rankings[order_by]

    @cached_property
    def _rankings(self) -> dict[Measure, list[NodeMeasure]]:
        return {}

    def node(self, id_: str) -> NodeMeasure | None:
        """One node's measures, or None when it is not in the network."""
        return self._by_id.get(id_)

    @cached_property
    def _by_id(self) -> dict[str, NodeMeasure]:
        return {n.ref.id: n for n in self.nodes}


# --- projection -------------------------------------------------------------------------


class _Edges:
    """Edges between ids as they are read, and the kind of every id seen."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []
        self.weights: list[float] = []  # one per pair
        self.kinds: dict[str, PartyKind] = {}

    def add(self, a: str, ends: Iterable[str], kind: PartyKind, *, inbound: bool = False) -> None:
        for b in ends:
            self.kinds[b] = kind
            self.pairs.append((b, a) if inbound else (a, b))
            self.weights.append(1.0)

    def add_weighted(self, a: str, ends: Iterable[list[object]], kind: PartyKind) -> None:
        """Ends given as [id, strength] pairs."""
        for b, strength in ends:
            b = cast(str, b)
            self.kinds[b] = kind
            self.pairs.append((a, b))
            self.weights.append(float(cast(float, strength)))


def _pages(tx: Tx, query: LiteralString, ids: list[str]) -> Iterator[Row]:
    for start in range(0, len(ids), PAGE_SIZE):
        yield tx.run(query, ids=ids[start : start + PAGE_SIZE])[0]


def _read_ties(
    tx: Tx, query: LiteralString, ids: list[str], edges: _Edges, *, weighted: bool = False
) -> set[str]:
    """Read KNOWS and current roles of people into `edges`; returns the people they know.
    `weighted`: the query gives each KNOWS as [id, strength]; a current role weighs 1."""
    known: set[str] = set()
    for page in _pages(tx, query, ids):
        for a, people, companies in zip(
            page["ids"], page["people"], page["companies"], strict=True
        ):
            edges.kinds[a] = PartyKind.PERSON
            if weighted:
                edges.add_weighted(a, people, PartyKind.PERSON)
                known.update(b for b, _ in people)
            else:
                edges.add(a, people, PartyKind.PERSON)
                known.update(people)
            edges.add(a, companies, PartyKind.COMPANY)
    return known


def _read_referrals(
    tx: Tx, query: LiteralString, ids: list[str], kind: PartyKind, edges: _Edges
) -> None:
    for page in _pages(tx, query, ids):
        for index, a in enumerate(page["ids"]):
            edges.kinds[a] = kind
            edges.add(a, page["toPeople"][index], PartyKind.PERSON)
            edges.add(a, page["toCompanies"][index], PartyKind.COMPANY)
            if "fromPeople" in page:
                edges.add(a, page["fromPeople"][index], PartyKind.PERSON, inbound=True)
                edges.add(a, page["fromCompanies"][index], PartyKind.COMPANY, inbound=True)


def _read_business(
    tx: Tx, ids: list[str], edges: _Edges, within: set[str] | None, *, weighted: bool
) -> None:
    query = cypher.COMPANY_TIES_OUT_WEIGHTED if weighted else cypher.COMPANY_TIES_OUT
    for page in _pages(tx, query, ids):
        for a, others in zip(page["ids"], page["companies"], strict=True):
            edges.kinds[a] = PartyKind.COMPANY
            if weighted:
                kept = [pair for pair in others if within is None or pair[0] in within]
                edges.add_weighted(a, kept, PartyKind.COMPANY)
            else:
                kept = [b for b in others if within is None or b in within]
                edges.add(a, kept, PartyKind.COMPANY)


def _whole(tx: Tx, network: Network, weighted: bool) -> Projection:
    edges = _Edges()
    row = tx.run(cypher.NODE_IDS)[0]
    people, companies = list(row["people"]), list(row["companies"])
    if network is Network.RELATIONSHIPS:
        query = cypher.PEOPLE_TIES_OUT_WEIGHTED if weighted else cypher.PEOPLE_TIES_OUT
        _read_ties(tx, query, people, edges, weighted=weighted)
        _read_business(tx, companies, edges, None, weighted=weighted)
    else:
        _read_referrals(tx, cypher.PEOPLE_REFERRALS_OUT, people, PartyKind.PERSON, edges)
        _read_referrals(tx, cypher.COMPANY_REFERRALS_OUT, companies, PartyKind.COMPANY, edges)
    return _simple(network, edges, None, weighted)


def _neighbourhood(tx: Tx, network: Network, company_id: str, weighted: bool) -> Projection:
    scope = tx.run(cypher.SCOPE, companyId=company_id)
    if not scope:
        raise NotFound("company", company_id, field="companyId")
    staff = set(scope[0]["people"])
    ties = _Edges()
    query = cypher.PEOPLE_TIES_WEIGHTED if weighted else cypher.PEOPLE_TIES
    known = _read_ties(tx, query, sorted(staff), ties, weighted=weighted) - staff
    _read_ties(tx, query, sorted(known), ties, weighted=weighted)
    people = staff | known
    companies = {company_id} | {b for _, b in ties.pairs if ties.kinds[b] is PartyKind.COMPANY}
    edges = _Edges()
    edges.kinds[company_id] = PartyKind.COMPANY
    if network is Network.RELATIONSHIPS:
        edges.kinds.update(ties.kinds)
        for (a, b), weight in zip(ties.pairs, ties.weights, strict=True):
            if b in people or b in companies:
                edges.pairs.append((a, b))
                edges.weights.append(weight)
        _read_business(tx, sorted(companies), edges, companies, weighted=weighted)
    else:
        _read_referrals(tx, cypher.PEOPLE_REFERRALS, sorted(people), PartyKind.PERSON, edges)
        _read_referrals(tx, cypher.COMPANY_REFERRALS, sorted(companies), PartyKind.COMPANY, edges)
    return _simple(network, edges, company_id, weighted)


def _simple(network: Network, edges: _Edges, company_id: str | None, weighted: bool) -> Projection:
    """Nodes with an edge (and the scope's company), by id; edges without repeats or loops.
    Weighted, an undirected edge read more than once (from both ends) keeps its strength, and
    repeated referrals of one pair add up."""
    ids = {end for pair in edges.pairs for end in pair}
    if company_id is not None:
        ids.add(company_id)
    order = sorted(ids)
    index = {id_: i for i, id_ in enumerate(order)}
    directed = network is Network.REFERRALS
    g = igraph.Graph(
        n=len(order), edges=[(index[a], index[b]) for a, b in edges.pairs], directed=directed
    )
    g.es["weight"] = edges.weights
    g.simplify(multiple=True, loops=True, combine_edges={"weight": "sum" if directed else "max"})
    pairs = g.get_edgelist()
    if not directed:
        pairs = [(a, b) if a < b else (b, a) for a, b in pairs]
    nodes = [PartyRef(edges.kinds[id_], id_) for id_ in order]
    if not weighted:
        return Projection(network, nodes, sorted(pairs))
    ranked = sorted(zip(pairs, cast(list[float], g.es["weight"]), strict=True))
    return Projection(network, nodes, [p for p, _ in ranked], [float(w) for _, w in ranked])


def project(
    graph: Graph, network: Network, *, company_id: str | None = None, weighted: bool = False
) -> Projection:
    """The network as nodes and edges, for the whole graph or a company's neighbourhood.

    The neighbourhood of company C: C, its current people P (current HOLDS_ROLE), the people Q
    that P KNOW (either direction), and the companies D where anyone in P or Q holds a current
    role. RELATIONSHIPS: the edges among those nodes (KNOWS within P and Q, their current roles,
    DOES_BUSINESS_WITH within C and D). REFERRALS: every referral made or received by any of
    them, whatever the other end. Only nodes with an edge are kept, and C always.
    `weighted` gives each edge its weight (see `network_measures`).
    """
    if company_id is None:
        return graph.read_tx(lambda tx: _whole(tx, network, weighted))
    return graph.read_tx(lambda tx: _neighbourhood(tx, network, company_id, weighted))


# --- measures ---------------------------------------------------------------------------


def _betweenness(
    g: igraph.Graph, limit: int, k: int, distances: list[float] | None = None
) -> tuple[list[float], int | None]:
    """Normalised like networkx's betweenness_centrality (with `k` and `seed` when sampled);
    with `distances`, shortest paths by those edge lengths (networkx's `weight`)."""
    n = g.vcount()
    pair_factor = 1 if g.is_directed() else 2  # igraph counts an undirected pair once
    if n <= 2:
        return [0.0] * n, None
    if n <= limit or k >= n:
        raw = g.betweenness(directed=g.is_directed(), weights=distances)
        return [b * pair_factor / ((n - 1) * (n - 2)) for b in raw], None
    sources = random.Random(SEED).sample(range(n), k)  # the sources networkx draws with SEED
    raw = g.betweenness(directed=g.is_directed(), sources=sources, weights=distances)
    chosen = set(sources)
    return [
        b * pair_factor / ((k - 1 if v in chosen else k) * (n - 2)) for v, b in enumerate(raw)
    ], k


# Betweenness lengths are 1 / strength rounded to a multiple of this (about 1e-6), so that
# sums of them are exact: paths equal in length in exact arithmetic tie (igraph compares
# lengths with a tolerance, networkx exactly; without the rounding they disagree on ties).
DISTANCE_QUANTUM = 2.0**-20


def distance(strength: float) -> float:
    """The length of an edge of this weight for betweenness: 1 / weight, rounded."""
    return round(1.0 / strength / DISTANCE_QUANTUM) * DISTANCE_QUANTUM


_IGRAPH_RNG = threading.Lock()  # igraph's random generator is process-wide


def _communities(g: igraph.Graph, weights: list[float] | None) -> tuple[list[int], float | None]:
    """Louvain on the undirected graph: membership renumbered, and modularity; with `weights`,
    both weighted (a reciprocal pair's weights add up)."""
    if weights is not None:
        g = g.copy()
        g.es["weight"] = weights
    if g.is_directed():
        undirected = g.as_undirected(
            mode="collapse", combine_edges={"weight": "sum"} if weights is not None else None
        )
    else:
        undirected = g
    weight = "weight" if weights is not None else None
    with _IGRAPH_RNG:
        igraph.set_random_number_generator(random.Random(SEED))
        try:
            clustering = cast(
                igraph.VertexClustering, undirected.community_multilevel(weights=weight)
            )
            found = clustering.membership
        finally:
            igraph.set_random_number_generator(random)
    groups: dict[int, list[int]] = {}
    for v, label in enumerate(found):
        groups.setdefault(label, []).append(v)
    ordered = sorted(groups, key=lambda label: (-len(groups[label]), groups[label][0]))
    number = {label: i for i, label in enumerate(ordered)}  # vertices are in id order
    membership = [number[label] for label in found]
    if not undirected.ecount():
        return membership, None
    return membership, undirected.modularity(membership, weights=weight)


def measure(
    projection: Projection,
    *,
    company_id: str | None = None,
    betweenness_limit: int = BETWEENNESS_EXACT_LIMIT,
    betweenness_sources: int = BETWEENNESS_SOURCES,
) -> NetworkMeasures:
    """Degree, PageRank, betweenness and communities of a projection; weighted when it has
    weights (see `network_measures`), degree always the count of edges."""
    directed = projection.network is Network.REFERRALS
    g = igraph.Graph(n=len(projection.nodes), edges=projection.edges, directed=directed)
    n = g.vcount()
    weights, distances = None, None
    measured = g
    if projection.weights is not None:  # an edge of weight 0 is none: dropped
        kept = [(e, w) for e, w in zip(projection.edges, projection.weights, strict=True) if w > 0]
        measured = igraph.Graph(n=n, edges=[e for e, _ in kept], directed=directed)
        weights = [w for _, w in kept]
        distances = [distance(w) for w in weights]
    pagerank = measured.pagerank(damping=DAMPING, directed=directed, weights=weights) if n else []
    betweenness, sampled = _betweenness(measured, betweenness_limit, betweenness_sources, distances)
    membership, modularity = _communities(measured, weights) if n else ([], None)
    ins, outs = (g.indegree(), g.outdegree()) if directed else ([None] * n, [None] * n)
    columns = (g.degree(), ins, outs, pagerank, betweenness, membership)  # NodeMeasure's order
    nodes = [NodeMeasure(ref, *row) for ref, *row in zip(projection.nodes, *columns, strict=True)]
    members: list[list[PartyRef]] = [[] for _ in set(membership)]
    for ref, number in zip(projection.nodes, membership, strict=True):
        members[number].append(ref)
    return NetworkMeasures(
        network=projection.network,
        company_id=company_id,
        node_count=n,
        edge_count=g.ecount(),
        modularity=modularity,
        betweenness_sources=sampled,
        computed_at=dt.datetime.now(dt.UTC),
        nodes=nodes,
        communities=[Community(i, len(m), m) for i, m in enumerate(members)],
        weighted=projection.weights is not None,
    )


def network_measures(
    graph: Graph,
    network: Network,
    *,
    company_id: str | None = None,
    weighted: bool = False,
    betweenness_limit: int = BETWEENNESS_EXACT_LIMIT,
    betweenness_sources: int = BETWEENNESS_SOURCES,
) -> NetworkMeasures:
    """The measures of a network, whole or around a company (see `project`), cached until the
    graph changes; concurrent callers for the same network compute it once.

    `weighted` (default False: every edge counts alike) weighs each edge as networkx's
    `weight` would: a relationship or company relationship by its strength, a current role
    by 1, a pair's referrals by their number. PageRank and Louvain (and modularity) use the
    weight; betweenness uses shortest paths by distance 1 / weight (rounded to a multiple of
    2**-20, `distance`), so that a strong tie is a short one. An edge of weight 0 is no edge
    for them. Degree stays the count of edges.

    Raises NotFound for an unknown company id."""
    if betweenness_sources < 2:
        raise ValueError("betweenness needs at least 2 sampled sources")
    key = ("network", network, company_id, weighted, betweenness_limit, betweenness_sources)

    def compute() -> NetworkMeasures:
        projection = project(graph, network, company_id=company_id, weighted=weighted)
        work = functools.partial(
            measure,
            projection,
            company_id=company_id,
            betweenness_limit=betweenness_limit,
            betweenness_sources=betweenness_sources,
        )
        if len(projection.edges) < ELSEWHERE_FROM_EDGES:
            return work()
        try:
            return _worker().submit(work).result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): start another
            stop_worker()
            return _worker().submit(work).result()

    return cache.cached(graph, key, compute)


_WORKER: list[ProcessPoolExecutor] = []
_WORKER_LOCK = threading.Lock()


def stop_worker() -> None:
    """Stop the worker process, if one was started (the server does so on shutdown)."""
    with _WORKER_LOCK:
        while _WORKER:
            _WORKER.pop().shutdown(wait=True, cancel_futures=True)


def _worker() -> ProcessPoolExecutor:
    """One worker process for big networks: igraph holds the GIL while it computes."""
    with _WORKER_LOCK:
        if not _WORKER:
            _WORKER.append(
                ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            )
        return _WORKER[0]


def clear_cache() -> None:
    """Forget every cached result (for tests)."""
    cache.clear()
