"""Path ranking checked against independent implementations on many random graphs.

Single pairs against networkx's simple-path enumeration; many sources and targets against a
brute-force search written here. Results must be identical, tie order included.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.keypersons.paths import Path, Tie, adjacency, top_paths

# Few distinct strengths, so that equal products (ties) are common.
STRENGTHS = st.sampled_from([0.1, 0.2, 0.25, 0.5, 0.8, 1.0])


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


def _key(path: Path) -> tuple[float, int, tuple[str, ...]]:
    return path.rank_key()


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
