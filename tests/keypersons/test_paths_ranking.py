"""Path ranking checked against independent implementations on many random graphs.

Single pairs against networkx's simple-path enumeration; many sources and targets against a
brute-force search written here; the Les Miserables network, many pairs. The oracles rank by
the documented rule in exact arithmetic (each strength as the decimal it was written as, the
products as fractions), so that products equal in exact arithmetic tie however floating point
rounds them. Results must be identical, tie order included.
"""

from __future__ import annotations

import random
from fractions import Fraction

import networkx as nx
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.keypersons.paths import (
    Path,
    Tie,
    adjacency,
    meet_in_the_middle,
    strength_groups,
    top_paths,
)
from tests.keypersons.test_meeting import Memory

# Few distinct strengths whose products often coincide in exact arithmetic and not in floating
# point (0.1 * 0.2 * 0.8 != 0.8 * 0.2 * 0.1, 0.3 * 0.4 != 0.2 * 0.6): ties are common.
STRENGTHS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0])


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[str], list[Tie]]:
    size = draw(st.integers(min_value=2, max_value=9))
    people = [f"p{i}" for i in range(size)]
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    ties = [
        Tie(id=f"k{n}", a=a, b=b, tier="FRIEND", strength=draw(STRENGTHS))
        for n, (a, b) in enumerate(chosen)
    ]
    return people, ties


def _exact(strength: float) -> Fraction:
    """The strength as the decimal it was written as (the Les Miserables ones: `_LES_MIS`)."""
    return _LES_MIS.get(strength) or Fraction(repr(strength))


_LES_MIS: dict[float, Fraction] = {}


def _key(path: Path) -> tuple[Fraction, int, tuple[str, ...]]:
    """The documented rule in exact arithmetic: strength, fewer hops, the ids along."""
    product = Fraction(1)
    for tie in path.ties:
        product *= _exact(tie.strength)
    return (-product, path.hops, path.person_ids)


def _networkx_paths(ties: list[Tie], source: str, target: str, max_hops: int) -> list[Path]:
    g = nx.Graph()
    for tie in ties:
        g.add_edge(tie.a, tie.b, tie=tie)
    if source not in g or target not in g:
        return []
    paths = []
    for nodes in nx.all_simple_paths(g, source, target, cutoff=max_hops):
        hops = tuple(g.edges[u, v]["tie"] for u, v in zip(nodes, nodes[1:], strict=False))
        paths.append(Path(tuple(nodes), hops))
    return sorted(paths, key=_key)


def _brute_force(
    ties: list[Tie], sources: set[str], targets: set[str], max_hops: int
) -> list[Path]:
    adj = adjacency(ties)
    paths: list[Path] = []

    def walk(nodes: tuple[str, ...], hops: tuple[Tie, ...]) -> None:
        if hops and nodes[-1] in targets:
            paths.append(Path(nodes, hops))
            return
        if len(hops) == max_hops:
            return
        for other, tie in adj.get(nodes[-1], ()):
            if other not in nodes and other not in sources:
                walk((*nodes, other), (*hops, tie))

    for source in sorted(sources - targets):
        walk((source,), ())
    return sorted(paths, key=_key)


@settings(max_examples=300, deadline=None)
@given(graphs(), st.integers(1, 6), st.integers(1, 8), st.data())
def test_single_pair_matches_networkx(
    graph: tuple[list[str], list[Tie]], max_hops: int, k: int, data: st.DataObject
) -> None:
    people, ties = graph
    source = data.draw(st.sampled_from(people))
    target = data.draw(st.sampled_from([p for p in people if p != source]))
    expected = _networkx_paths(ties, source, target, max_hops)[:k]
    found = top_paths(adjacency(ties), [source], [target], max_hops=max_hops, k=k)
    assert [p.person_ids for p in found] == [p.person_ids for p in expected]
    assert [p.strength for p in found] == [p.strength for p in expected]


@settings(max_examples=300, deadline=None)
@given(graphs(), st.integers(1, 5), st.integers(1, 8), st.data())
def test_many_sources_and_targets_match_brute_force(
    graph: tuple[list[str], list[Tie]], max_hops: int, k: int, data: st.DataObject
) -> None:
    people, ties = graph
    sources = set(data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True)))
    targets = set(data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True)))
    expected = _brute_force(ties, sources, targets, max_hops)[:k]
    found = top_paths(adjacency(ties), sources, targets, max_hops=max_hops, k=k)
    assert [(p.person_ids, p.ties) for p in found] == [(p.person_ids, p.ties) for p in expected]


def test_ties_break_by_hops_then_ids() -> None:
    """Equal products: the shorter path first; equal length: the smaller ids first."""
    ties = [
        Tie("1", "s", "t", "FRIEND", 0.25),  # 0.25 in one hop
        Tie("2", "s", "b", "FRIEND", 0.5),
        Tie("3", "b", "t", "FRIEND", 0.5),  # 0.25 in two hops, via b
        Tie("4", "s", "a", "FRIEND", 0.5),
        Tie("5", "a", "t", "FRIEND", 0.5),  # 0.25 in two hops, via a
    ]
    found = top_paths(adjacency(ties), ["s"], ["t"], max_hops=3, k=5)
    assert [p.person_ids for p in found] == [("s", "t"), ("s", "a", "t"), ("s", "b", "t")]


def test_equal_products_tie_whatever_the_rounding() -> None:
    """0.3 * 0.2 * 0.1 and 0.1 * 0.2 * 0.3 differ in floating point: the paths tie, and the
    smaller ids come first; a product a little stronger does not tie."""
    ties = [
        Tie("1", "s", "a", "FRIEND", 0.3),
        Tie("2", "a", "b", "FRIEND", 0.2),
        Tie("3", "b", "t", "FRIEND", 0.1),
        Tie("4", "s", "c", "FRIEND", 0.1),
        Tie("5", "c", "d", "FRIEND", 0.2),
        Tie("6", "d", "t", "FRIEND", 0.3),
    ]
    assert 0.3 * 0.2 * 0.1 < 0.1 * 0.2 * 0.3  # the smaller ids' path rounds weaker
    found = top_paths(adjacency(ties), ["s"], ["t"], max_hops=3, k=2)
    assert [p.person_ids for p in found] == [("s", "a", "b", "t"), ("s", "c", "d", "t")]
    assert [p.person_ids for p in top_paths(adjacency(ties), ["s"], ["t"], max_hops=3, k=1)] == [
        ("s", "a", "b", "t")
    ]
    ties[5] = Tie("6", "d", "t", "FRIEND", 0.3 * (1 + 1e-6))  # really stronger
    found = top_paths(adjacency(ties), ["s"], ["t"], max_hops=3, k=1)
    assert [p.person_ids for p in found] == [("s", "c", "d", "t")]


def _les_miserables() -> tuple[list[str], list[Tie]]:
    """Les Miserables co-appearances (1-31) as strengths w / 31: many exact ties (1 * 6 and
    2 * 3, in 31sts) that floating point rounds apart."""
    g = nx.les_miserables_graph()
    top = max(w for _, _, w in g.edges(data="weight"))
    name = {v: f"p{i:02d}" for i, v in enumerate(sorted(g.nodes()))}
    ties = []
    for n, (a, b, w) in enumerate(sorted(g.edges(data="weight"))):
        _LES_MIS[w / top] = Fraction(w, top)
        ties.append(Tie(f"k{n}", name[a], name[b], "FRIEND", w / top))
    return sorted(name.values()), ties


def test_les_miserables_pairs_rank_by_the_rule() -> None:
    people, ties = _les_miserables()
    adj = adjacency(ties)
    rng = random.Random(21)
    checked = rounded_apart = 0
    for _ in range(198):
        source, target = rng.sample(people, 2)
        every = _brute_force(ties, {source}, {target}, 3)
        expected = [p.person_ids for p in every[:20]]
        by_float = sorted(every, key=lambda p: (-p.strength, p.hops, p.person_ids))[:20]
        rounded_apart += [p.person_ids for p in by_float] != expected
        checked += bool(expected)
        found = top_paths(adj, [source], [target], max_hops=3, k=20)
        assert [p.person_ids for p in found] == expected
        met = meet_in_the_middle(Memory(people, ties, set()), [source], [target], max_hops=3, k=20)
        assert [p.person_ids for p in met.paths] == expected
    assert checked > 150 and rounded_apart > 3  # the floating-point order would be wrong


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(STRENGTHS, min_size=1, max_size=4), max_size=12))
@example([[0.5], [0.1, 0.2, 0.8], [0.3, 0.4], [0.8, 0.2, 0.1], [0.2, 0.6], [0.016]])
def test_strength_groups_tie_equal_products_and_keep_their_order(
    factors: list[list[float]],
) -> None:
    """The call plan orders its ways in by `strength_groups`: products equal in exact
    arithmetic share a group whatever their rounding, and keep the order they came in."""
    items = list(enumerate(factors))

    def product(item: tuple[int, list[float]]) -> float:
        value = 1.0
        for f in item[1]:
            value *= f
        return value

    def exact(item: tuple[int, list[float]]) -> Fraction:
        value = Fraction(1)
        for f in item[1]:
            value *= Fraction(repr(f))
        return value

    grouped = strength_groups(items, product)
    expected = sorted(items, key=lambda item: (-exact(item), item[0]))
    assert [item for _, item in grouped] == expected
    for (g1, a), (g2, b) in zip(grouped, grouped[1:], strict=False):
        assert (g1 == g2) == (exact(a) == exact(b))
