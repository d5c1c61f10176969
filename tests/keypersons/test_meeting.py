"""The search over the database, with the database replaced by ties in memory: it must give
exactly what `top_paths` gives over all the ties, whatever the graph, the ends and the hops,
while fetching only ties of people it asks about, in the strength ranges it asks for."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.keypersons import paths
from graph.keypersons.paths import (
    Fetched,
    Path,
    Request,
    Tie,
    adjacency,
    meet_in_the_middle,
    top_paths,
)

# Some equal products (ties in the ranking), many near ones (thresholds just met or missed).
STRENGTHS = st.one_of(
    st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]),
    st.floats(min_value=0.01, max_value=1.0),
)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[str], list[Tie]]:
    size = draw(st.integers(min_value=2, max_value=12))
    people = [f"p{i}" for i in range(size)]
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    ties = [
        Tie(id=f"k{n}", a=a, b=b, tier="FRIEND", strength=draw(STRENGTHS))
        for n, (a, b) in enumerate(chosen)
    ]
    return people, ties


class Memory:
    """Ties in memory, served as the statements serve them; records what was asked."""

    def __init__(self, people: list[str], ties: list[Tie], sources: set[str]) -> None:
        self.people = set(people)
        self.ties = ties
        self.sources = sources
        self.asked: list[list[Request]] = []

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched:
        self.asked.append(list(requests))
        found, got, others = set(), [], set[str]()
        for person, low, below in requests:
            assert 0.0 <= low <= 1.0 and (below is None or low < below)
            if person not in self.people:
                continue
            found.add(person)
            for tie in self.ties:
                if person not in (tie.a, tie.b) or not tie.strength > 0:
                    continue
                other = tie.b if tie.a == person else tie.a
                if meet is not None and other not in meet:
                    continue
                if tie.strength >= low and (below is None or tie.strength < below):
                    got.append(tie)
                    others.add(other)
        # the other ends' strongest ties, as the statements give their stored figure
        strongest = {
            person: max(t.strength for t in self.ties if person in (t.a, t.b)) for person in others
        }
        return Fetched(frozenset(found), got, strongest)


# The first threshold: the default, or any (the answer must not depend on it).
THRESHOLDS = st.one_of(st.none(), st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


def _threshold(data: st.DataObject, ranked: list[Path]) -> float | None:
    """A first threshold: often the strength of one of the paths, where a tie at its edge is
    either fetched or missed."""
    exact = [path.strength for path in ranked]
    return data.draw(st.one_of(THRESHOLDS, st.sampled_from(exact)) if exact else THRESHOLDS)


@settings(max_examples=400, deadline=None)
@given(graphs(), st.integers(1, 6), st.integers(1, 8), st.data())
def test_pairs_match_top_paths_over_everything(
    graph: tuple[list[str], list[Tie]], max_hops: int, k: int, data: st.DataObject
) -> None:
    people, ties = graph
    source = data.draw(st.sampled_from(people))
    target = data.draw(st.sampled_from([p for p in people if p != source]))
    ranked = top_paths(adjacency(ties), [source], [target], max_hops=max_hops, k=20)
    threshold = _threshold(data, ranked)
    memory = Memory(people, ties, set())
    found = meet_in_the_middle(
        memory, [source], [target], max_hops=max_hops, k=k, threshold=threshold
    )
    assert found.paths == ranked[:k]
    assert not found.missing


@settings(max_examples=400, deadline=None)
@given(graphs(), st.integers(1, 5), st.integers(1, 8), st.data())
def test_found_sources_match_top_paths_over_everything(
    graph: tuple[list[str], list[Tie]], max_hops: int, k: int, data: st.DataObject
) -> None:
    people, ties = graph
    sources = set(data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True)))
    targets = set(data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True)))
    ranked = top_paths(adjacency(ties), sources, targets, max_hops=max_hops, k=20)
    threshold = _threshold(data, ranked)
    memory = Memory(people, ties, sources)
    found = meet_in_the_middle(
        memory, sources, targets, max_hops=max_hops, k=k, check_sources=False, threshold=threshold
    )
    assert found.paths == ranked[:k]


def _chain_with_fan(fan: int) -> tuple[list[str], list[Tie]]:
    """s - a - t strong, and s tied weakly to `fan` people tied to t weakly."""
    people = ["s", "a", "t"] + [f"f{i}" for i in range(fan)]
    ties = [Tie("sa", "s", "a", "FRIEND", 0.9), Tie("at", "a", "t", "FRIEND", 0.9)]
    for i in range(fan):
        ties.append(Tie(f"s{i}", "s", f"f{i}", "PASSER_BY", 0.05))
        ties.append(Tie(f"t{i}", f"f{i}", "t", "PASSER_BY", 0.05))
    return people, ties


def test_weak_ties_are_not_fetched_once_strong_paths_suffice() -> None:
    people, ties = _chain_with_fan(50)
    memory = Memory(people, ties, set())
    found = meet_in_the_middle(memory, ["s"], ["t"], max_hops=6, k=1)
    assert [p.person_ids for p in found.paths] == [("s", "a", "t")]
    assert found.ties < 10 and found.trips <= 3
    asked = {person for trip in memory.asked for person, _, _ in trip}
    assert not any(person.startswith("f") for person in asked)


def test_fewer_paths_than_asked_take_every_tie() -> None:
    people, ties = _chain_with_fan(5)
    memory = Memory(people, ties, set())
    found = meet_in_the_middle(memory, ["s"], ["t"], max_hops=2, k=20)
    assert len(found.paths) == 6
    assert found.paths[0].person_ids == ("s", "a", "t")


def test_a_missing_end_costs_one_round_trip() -> None:
    people, ties = _chain_with_fan(5)
    memory = Memory(people, ties, set())
    found = meet_in_the_middle(memory, ["s"], ["nobody"], max_hops=6, k=5)
    assert found.paths == [] and found.missing == {"nobody"} and found.trips == 1
    found = meet_in_the_middle(
        Memory(people, ties, {"s"}), ["s"], ["nobody"], max_hops=4, k=5, check_sources=False
    )
    assert found.paths == [] and found.missing == {"nobody"} and found.trips == 1


def test_a_search_too_large_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    people, ties = _chain_with_fan(40)
    monkeypatch.setattr(paths, "MAX_FETCHED", 30)
    with pytest.raises(paths.SearchTooLarge):
        meet_in_the_middle(Memory(people, ties, set()), ["s"], ["t"], max_hops=2, k=20)


def test_paths_exactly_at_the_threshold_are_found() -> None:
    """Two paths of the same strength, the threshold; the one with the smaller ids first, and
    its people reached with a product of exactly the threshold from the targets' side."""
    ties = [
        Tie("1", "o1", "a", "FRIEND", 1.0),
        Tie("2", "a", "b", "FRIEND", 1.0),
        Tie("3", "b", "t", "FRIEND", 0.25),
        Tie("4", "o2", "c", "FRIEND", 0.5),
        Tie("5", "c", "d", "FRIEND", 0.5),
        Tie("6", "d", "t", "FRIEND", 1.0),
    ]
    people = ["o1", "o2", "a", "b", "c", "d", "t"]
    memory = Memory(people, ties, {"o1", "o2"})
    found = meet_in_the_middle(
        memory, ["o1", "o2"], ["t"], max_hops=3, k=1, check_sources=False, threshold=0.25
    )
    assert [p.person_ids for p in found.paths] == [("o1", "a", "b", "t")]
    found = meet_in_the_middle(memory, ["o1"], ["t"], max_hops=3, k=1, threshold=0.25)
    assert [p.person_ids for p in found.paths] == [("o1", "a", "b", "t")]


def test_the_bound_by_the_other_ends_ties_is_tight() -> None:
    """s - a - b - t (0.5 * 0.752 * 0.8 = 0.3008) against the direct tie (0.3), the threshold:
    a's tie to b is wanted from 0.3 / (0.5 * 0.8) = 0.75 on, 0.8 being t's strongest tie to
    someone other than s, so a bound 1% tighter misses the better path."""
    ties = [
        Tie("1", "s", "a", "FRIEND", 0.5),
        Tie("2", "a", "b", "FRIEND", 0.752),
        Tie("3", "b", "t", "FRIEND", 0.8),
        Tie("4", "s", "t", "FRIEND", 0.3),
        Tie("5", "t", "c", "FRIEND", 0.1),
    ]
    people = ["s", "a", "b", "c", "t"]
    for sources, check in (({"s"}, True), ({"s"}, False)):
        found = meet_in_the_middle(
            Memory(people, ties, sources),
            ["s"],
            ["t"],
            max_hops=3,
            k=1,
            check_sources=check,
            threshold=0.3,
        )
        assert [p.person_ids for p in found.paths] == [("s", "a", "b", "t")]


def test_people_whose_ties_are_all_too_weak_are_not_asked_about() -> None:
    """s - a - t at 0.81: beyond the ends' ties a path of that strength needs ties of 1.0,
    and a's and w's strongest (given with the ties that reach them) are 0.9."""
    ties = [
        Tie("1", "s", "a", "FRIEND", 0.9),
        Tie("2", "a", "t", "FRIEND", 0.9),
        Tie("3", "s", "w", "FRIEND", 0.9),
        Tie("4", "w", "x", "FRIEND", 0.05),
        Tie("5", "x", "t", "FRIEND", 0.9),
    ]
    memory = Memory(["s", "a", "t", "w", "x"], ties, set())
    found = meet_in_the_middle(memory, ["s"], ["t"], max_hops=4, k=1, threshold=0.81)
    assert [p.person_ids for p in found.paths] == [("s", "a", "t")]
    asked = {person for trip in memory.asked for person, _, _ in trip}
    assert asked == {"s", "t"}


@settings(max_examples=200, deadline=None)
@given(graphs(), st.integers(1, 4), st.integers(1, 5), st.data())
def test_searches_run_together_answer_as_alone(
    graph: tuple[list[str], list[Tie]], max_hops: int, k: int, data: st.DataObject
) -> None:
    """Several searches answered a round at a time (`run_together`) find what each finds
    alone, in as many rounds as the longest of them takes."""
    people, ties = graph
    sources = set(data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True)))
    targets = data.draw(st.lists(st.sampled_from(people), min_size=1, max_size=4))
    memory = Memory(people, ties, sources)
    alone = [
        meet_in_the_middle(memory, sources, [t], max_hops=max_hops, k=k, check_sources=False)
        for t in targets
    ]
    rounds: list[int] = []

    def many(asks: Sequence[paths.Ask]) -> list[Fetched]:
        rounds.append(len(asks))
        return [memory(ask.requests, meet=ask.meet) for ask in asks]

    searches = [
        paths.search(sources, [t], max_hops=max_hops, k=k, check_sources=False) for t in targets
    ]
    together = paths.run_together(searches, many)
    assert together == alone
    assert len(rounds) == max((found.trips for found in alone), default=0)
