"""Top-k introduction paths through person-to-person relationships.

A path's strength is the product of its hops' strengths, multiplied in path order. Paths rank
by strength (highest first), then by fewer hops, then by the person ids along the path.
Strengths are compared with a relative tolerance (`TIE_TOLERANCE`, 1e-10), so that products
equal in exact arithmetic tie whatever their floating-point rounding (0.1 * 0.2 * 0.8 and
0.8 * 0.2 * 0.1 differ in the last bit): going down from the strongest path, a path ties with
the strongest of its group when it is within the tolerance of it (`ranked`).

`top_paths` ranks the paths of ties already at hand. It is best-first over weights
-log(strength) with an admissible lower bound (the lightest way to a target within the hops
left), so it never enumerates every path; it keeps every path within a float-safe margin of
the k-th weight and ranks those exactly, so the order is the same as ranking all paths by the
rule above.

`meet_in_the_middle` finds those ties in the database: it fetches, round by round, the ties of
the people near both ends that a path of at least a threshold strength can use, and ranks the
paths among them with `top_paths` (see its docstring for why that is exact).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import (
    Callable,
    Collection,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeVar

from graph.db.errors import GuanxiError

MAX_HOPS = 6
MAX_EXPANSIONS = 200_000
# Strengths within this relative distance of the strongest of their group are equal. A product
# of at most MAX_HOPS strengths is off its exact value by a few 1e-16; distinct products of
# strengths that people set or a model computed are far further apart.
TIE_TOLERANCE = 1e-10
# The searches keep every path within this of the k-th (more than the tolerance, and the
# rounding of sums of logarithms), so that the group at the k-th place is whole.
_MARGIN = 1e-9

T = TypeVar("T")


class SearchTooLarge(GuanxiError):
    """The search would have to look at too many partial paths."""

    code = "LIMIT_EXCEEDED"


class Tie(NamedTuple):
    """One relationship as the search sees it (a named tuple: a search makes thousands, and
    a frozen dataclass took 3.5 µs each, a third of the Python of a 6-hop search)."""

    id: str
    a: str
    b: str
    tier: str
    strength: float


@dataclass(frozen=True)
class Path:
    """A simple path: the people along it and the relationship of each hop."""

    person_ids: tuple[str, ...]
    ties: tuple[Tie, ...]

    @property
    def strength(self) -> float:
        product = 1.0
        for tie in self.ties:
            product *= tie.strength
        return product

    @property
    def hops(self) -> int:
        return len(self.ties)


def strength_groups(items: Iterable[T], strength: Callable[[T], float]) -> list[tuple[int, T]]:
    """Items by strength, highest first, each with its group: strengths within TIE_TOLERANCE
    (relative) of the strongest of their group count as equal and share its number, and keep
    their order within it. Groups are formed from the strongest down, so an item's group
    depends only on the items at least as strong."""
    indexed = sorted(enumerate(items), key=lambda ii: -strength(ii[1]))
    grouped: list[tuple[int, int, T]] = []
    group, floor = -1, math.inf
    for index, item in indexed:
        value = strength(item)
        if value < floor:
            group += 1
            floor = value * (1 - TIE_TOLERANCE)
        grouped.append((group, index, item))
    grouped.sort(key=lambda gi: gi[:2])
    return [(group, item) for group, _, item in grouped]


def ranked(paths: Iterable[Path]) -> list[Path]:
    """Paths in rank order: by strength, highest first, strengths within TIE_TOLERANCE
    (relative) of the strongest of their group counting as equal (`strength_groups`); then
    fewer hops; then the person ids along the path (and, for two hops between the same
    people, such as a relationship and a reporting line, the hops' ids)."""
    keyed = [
        ((group, p.hops, p.person_ids, tuple(t.id for t in p.ties)), p)
        for group, p in strength_groups(paths, lambda p: p.strength)
    ]
    keyed.sort(key=lambda kp: kp[0])
    return [p for _, p in keyed]


Adjacency = Mapping[str, Sequence[tuple[str, Tie]]]


def adjacency(ties: Iterable[Tie]) -> dict[str, list[tuple[str, Tie]]]:
    """Both directions of every tie with a positive strength, duplicates dropped."""
    seen: set[str] = set()
    adj: dict[str, list[tuple[str, Tie]]] = {}
    for tie in ties:
        if tie.id in seen or not tie.strength > 0 or tie.a == tie.b:
            continue
        seen.add(tie.id)
        adj.setdefault(tie.a, []).append((tie.b, tie))
        adj.setdefault(tie.b, []).append((tie.a, tie))
    return adj


def _hop_distances(adj: Adjacency, starts: set[str], limit: int) -> dict[str, int]:
    distance = dict.fromkeys(starts, 0)
    frontier = list(starts)
    for hop in range(1, limit + 1):
        reached: list[str] = []
        for node in frontier:
            for other, _ in adj.get(node, ()):
                if other not in distance:
                    distance[other] = hop
                    reached.append(other)
        frontier = reached
    return distance


Hops = Mapping[str, Sequence[tuple[str, float, Tie]]]


def _hops(adj: Adjacency, useful: set[str]) -> dict[str, list[tuple[str, float, Tie]]]:
    """The ties between useful people, each with its weight -log(strength), by person."""
    log = math.log
    return {
        v: [(other, -log(tie.strength), tie) for other, tie in adj.get(v, ()) if other in useful]
        for v in useful
    }


def _lower_bounds(hops: Hops, targets: set[str], max_hops: int) -> list[dict[str, float]]:
    """bound[j][v]: the least weight from v to a target in at most j hops (paths not simple)."""
    bound = [{v: (0.0 if v in targets else math.inf) for v in hops}]
    inner = [(v, ties) for v, ties in hops.items() if v not in targets]
    for _ in range(max_hops):
        previous = bound[-1]
        current = dict(previous)
        for v, ties in inner:
            best = previous[v]
            for other, weight, _ in ties:
                candidate = weight + previous[other]
                if candidate < best:
                    best = candidate
            current[v] = best
        bound.append(current)
    return bound


def top_paths(
    adj: Adjacency,
    sources: Iterable[str],
    targets: Iterable[str],
    *,
    max_hops: int,
    k: int,
) -> list[Path]:
    """The k best simple paths from a source to a target, in at most `max_hops` hops, in rank
    order (`ranked`).

    A path stops at the first target it reaches and passes through no other source, so
    each path starts at the source closest to the target along it.
    """
    return _top(adj, sources, targets, max_hops=max_hops, k=k)[0]


def _top(
    adj: Adjacency,
    sources: Iterable[str],
    targets: Iterable[str],
    *,
    max_hops: int,
    k: int,
) -> tuple[list[Path], float | None]:
    """`top_paths`, and the k-th highest strength of all paths (None when there are fewer
    than k): the k-th in rank order may be a little weaker, within the tolerance."""
    source_set, target_set = set(sources), set(targets)
    if k <= 0 or max_hops <= 0 or not source_set or not target_set:
        return [], None
    from_sources = _hop_distances(adj, source_set, max_hops)
    to_targets = _hop_distances(adj, target_set, max_hops)
    useful = {
        v for v, d in from_sources.items() if v in to_targets and d + to_targets[v] <= max_hops
    }
    if not useful:
        return [], None
    hops = _hops(adj, useful)
    bound = _lower_bounds(hops, target_set, max_hops)

    counter = 0
    heap: list[tuple[float, int, float, tuple[str, ...], tuple[Tie, ...]]] = []
    for source in sorted(source_set & useful):
        if source in target_set:
            continue
        heap.append((bound[max_hops][source], counter, 0.0, (source,), ()))
        counter += 1
    heapq.heapify(heap)

    found: list[Path] = []
    lightest: list[float] = []  # the k lightest weights found, as a max-heap (negated)
    expansions = 0
    while heap:
        f, _, g, nodes, ties = heapq.heappop(heap)
        if len(lightest) == k:
            kth = -lightest[0]
            if f > kth + _MARGIN * max(1.0, kth):
                break
        last = nodes[-1]
        if ties and last in target_set:
            found.append(Path(nodes, ties))
            if len(lightest) < k:
                heapq.heappush(lightest, -g)
            elif g < -lightest[0]:
                heapq.heapreplace(lightest, -g)
            continue
        expansions += 1
        if expansions > MAX_EXPANSIONS:
            raise SearchTooLarge(
                "the path search grew too large; lower maxHops or raise the minimum tier"
            )
        hops_left = max_hops - len(ties) - 1
        left = bound[hops_left]
        for other, step, tie in hops[last]:
            if other in nodes or other in source_set:
                continue
            rest = left[other]
            if rest == math.inf:
                continue
            weight = g + step  # g - log(strength), as the bounds add it
            heapq.heappush(heap, (weight + rest, counter, weight, (*nodes, other), (*ties, tie)))
            counter += 1
    if len(found) < k:
        return ranked(found), None
    kth = sorted((path.strength for path in found), reverse=True)[k - 1]
    return ranked(found)[:k], kth


# The search in the database.
#
# A path of strength at least t uses only ties of strength at least t, and more precisely: if
# the strengths from one of its ends to a person on it multiply to g, every later hop is at
# least t / g strong (every strength is at most 1). So for a threshold t, `_Side` walks from
# an end round by round, a round per hop, and asks only for the ties of the people reached
# with a product of at least t, and of those only the ones of at least t / product. After r
# rounds from the sources and s from the targets, r + s >= maxHops, every path of at least t
# in at most maxHops hops has all its ties at hand: its first r hops were asked from the
# sources' side, its last s from the targets'. The last round is a meeting: it asks only for
# the ties that reach a person the other side has reached (the sources themselves, when the
# search walks from the targets only), which the engine checks before it reads the tie.
# Once the ends' ties from t on are known, each side also divides t by the other ends'
# strongest tie to someone who is none of the ends (`_Side.reach`): a path of two hops or
# more ends with such a tie, so a person reached with product g needs only the ties from
# t / (g * reach) on, and none when g * reach < t.
# `top_paths` over what was fetched then ranks those paths exactly; if it finds k paths and
# the k-th highest strength is at least t, no other path can enter the top k: that is the
# answer. (The k-th in rank order is in the group of the k-th highest, whose strongest is at
# least t, so every path of that group is at least t * (1 - TIE_TOLERANCE) strong, above
# the floor the search fetched from: the group is whole.) If not, the search runs again with
# a lower threshold (the k-th highest strength found, when k paths were found), asking only
# for what it does not have yet.

Request = tuple[str, float, float | None]
"""A person, the least strength of the ties wanted, and the strength from which on all the
person's ties are known already (None: none is)."""

FIRST_THRESHOLD = 0.5
MAX_ASKED = 8_000  # people one search may ask about (each costs the engine all their ties)
MAX_FETCHED = 100_000  # ties one search may fetch
_THRESHOLD_STEP = 2.0  # with fewer than k paths found, the next threshold is this much lower
_LOWEST_THRESHOLD = 1e-6  # below it, the next run asks for every tie
_SMALL_FRONTIER = 300  # both ends are walked in one round trip when this few people are asked


def _too_large() -> SearchTooLarge:
    return SearchTooLarge("the path search grew too large; lower maxHops or raise the minimum tier")


@dataclass(frozen=True)
class Fetched:
    """One round trip's answer: which of the people asked exist, and their ties in the
    strength ranges asked; and, where known, the strongest tie of each person at the other
    end of those ties (their stored `strongestTie`, graph/core/figures.py)."""

    found: frozenset[str]
    ties: Sequence[Tie]
    strongest: Mapping[str, float] = field(default_factory=dict[str, float])


class Fetch(Protocol):
    """Fetch the allowed ties of people in strength ranges; with `meet`, only the ties whose
    other end is one of those people."""

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched: ...


class Ask(NamedTuple):
    """One round trip a search asks for: what `Fetch` is called with."""

    requests: Sequence[Request]
    meet: Collection[str] | None


class FetchMany(Protocol):
    """The rounds of several searches at once: each ask's answer, as `Fetch` answers it."""

    def __call__(self, asks: Sequence[Ask]) -> list[Fetched]: ...


@dataclass(frozen=True)
class Meeting:
    """The paths found, the ends that do not exist, and what the search cost."""

    paths: list[Path]
    missing: frozenset[str]
    trips: int
    ties: int


# A search as a generator: it yields each round trip it needs and is sent the answer; it
# returns the Meeting. `run` answers it with a Fetch; `run_together` answers several searches'
# rounds together, one FetchMany call a round.
Search = Generator[Ask, Fetched, Meeting]


class _Known:
    """The ties fetched so far, and from which strength on each person's ties are known."""

    def __init__(self, ends: Collection[str]) -> None:
        self._ends = ends  # always asked: whether they exist is part of the answer
        self._strongest: dict[str, float] = {}  # a person's strongest tie, where known
        self.adj: dict[str, list[tuple[str, Tie]]] = {}
        self._tie_ids: set[str] = set()
        self._all_from: dict[str, float] = {}  # every tie at least this strong is known
        self.found: set[str] = set()
        self.missing: set[str] = set()  # asked about, and not found
        self.asked = 0
        self.ties = 0
        self.trips = 0

    def requests(self, needs: Mapping[str, float]) -> list[Request]:
        """What is still to fetch for these needs (least strength by person), by person."""
        return sorted(self._wanted(needs.items()))

    def count(self, needs: Iterable[tuple[str, float]], limit: int) -> int:
        """How many people `requests` would ask about, counting no further than `limit`."""
        found = 0
        for _ in self._wanted(needs):
            found += 1
            if found >= limit:
                break
        return found

    def _wanted(self, needs: Iterable[tuple[str, float]]) -> Iterator[Request]:
        missing, strongest_of, ends, all_from = (
            self.missing,
            self._strongest,
            self._ends,
            self._all_from,
        )
        for person, need in needs:
            if person in missing:
                continue
            strongest = strongest_of.get(person)
            if strongest is not None and strongest < need and person not in ends:
                continue  # no tie of theirs is that strong
            have = all_from.get(person)
            if have is None or need < have:
                yield (person, need, have)

    def knows_from(self, person: str, strength: float) -> bool:
        """Whether every tie of the person at least this strong is at hand."""
        have = self._all_from.get(person)
        return have is not None and have <= strength

    def fetch(
        self, requests: Sequence[Request], *, meet: Collection[str] | None = None
    ) -> Generator[Ask, Fetched, None]:
        """Fetch these (a round trip yielded to the caller); a meeting's ties (`meet`) are only
        some of the people's, so they do not count as known for later rounds."""
        if not requests:
            return
        self.asked += len(requests)
        if self.asked > MAX_ASKED:
            raise _too_large()
        got = yield Ask(requests, meet)
        self.trips += 1
        self.found |= got.found
        self.missing |= {person for person, _, _ in requests} - got.found
        self.ties += len(got.ties)
        self._strongest.update(got.strongest)
        if self.ties > MAX_FETCHED:
            raise _too_large()
        for tie in got.ties:
            if tie.id in self._tie_ids or not tie.strength > 0 or tie.a == tie.b:
                continue
            self._tie_ids.add(tie.id)
            self.adj.setdefault(tie.a, []).append((tie.b, tie))
            self.adj.setdefault(tie.b, []).append((tie.a, tie))
        if meet is None:
            for person, need, _ in requests:
                have = self._all_from.get(person)
                self._all_from[person] = need if have is None else min(have, need)


class _Side:
    """The walk from one end: for each person reached within the rounds done, the highest
    product of strengths from the end to them (over walks, an upper bound for paths).

    `reach` bounds the rest of a path beyond the next hop: a path of two hops or more ends
    with a tie of one of the other ends to someone who is none of the ends, so once those
    ties are known (from `floor` on), no such path is stronger than its first hops' product
    times the strongest of them (`_reach`). A person's ties then matter from
    floor / (product * reach) on; a tie to one of the other ends is known already."""

    def __init__(self, ends: Iterable[str], other_ends: Collection[str]) -> None:
        self.ends = frozenset(ends)
        self.best = dict.fromkeys(self.ends, 1.0)
        self.rounds = 0
        self.reach = 1.0
        self._other_ends = other_ends  # a path goes on through none of them

    def needs(self, floor: float) -> dict[str, float]:
        """The least strength of the ties the next round needs, by person."""
        return dict(self.each_need(floor))

    def each_need(self, floor: float) -> Iterator[tuple[str, float]]:
        """`needs`, one at a time (the sources' side may be large, and is mostly counted)."""
        ends = self._other_ends
        if floor <= 0:
            for person in self.best:
                if person not in ends:
                    yield person, 0.0
            return
        bar = floor / self.reach if self.reach > 0 else math.inf
        for person, product in self.best.items():
            if product >= bar and person not in ends:
                yield person, min(1.0, bar / product)

    def advance(self, known: _Known, floor: float) -> None:
        """One more hop, through the ties at hand."""
        bar = floor / self.reach if self.reach > 0 else math.inf
        best = dict(self.best)
        ends = self._other_ends
        adj = known.adj
        for person, product in self.best.items():
            if product < bar or person in ends:
                continue
            for other, tie in adj.get(person, ()):
                further = product * tie.strength
                if further > best.get(other, -1.0) and (
                    further >= bar or (further >= floor and other in ends)
                ):
                    best[other] = further
        self.best = best
        self.rounds += 1


def _reach(known: _Known, ends: Collection[str], others: Collection[str], floor: float) -> float:
    """The strongest tie of `ends` to someone in neither set, if every tie of theirs from
    `floor` on is known (1.0 if not): no path of two hops or more has a stronger last hop
    (it stops at the first end it reaches and passes through none of the others)."""
    strongest = 0.0
    for end in ends:
        if end in known.missing:
            continue
        if not known.knows_from(end, floor):
            return 1.0
        for other, tie in known.adj.get(end, ()):
            if other not in ends and other not in others and tie.strength > strongest:
                strongest = tie.strength
    return strongest


def _merged(*needs: Mapping[str, float]) -> dict[str, float]:
    merged: dict[str, float] = {}
    for side in needs:
        for person, need in side.items():
            merged[person] = min(need, merged.get(person, 1.0))
    return merged


def _bound(known: _Known, source: _Side, target: _Side, floor: float) -> bool:
    """Bound each side's paths by the other ends' ties once they are known; whether that
    changed a bound."""
    changed = False
    for side, other in ((source, target), (target, source)):
        if side.reach == 1.0 and floor > 0:
            side.reach = _reach(known, other.ends, side.ends, floor)
            changed = changed or side.reach < 1.0
    return changed


def _walk(
    known: _Known, source: _Side, target: _Side, max_hops: int, floor: float, *, both: bool
) -> Generator[Ask, Fetched, None]:
    """Rounds from the two ends until they cover maxHops. The first asks for the targets (and
    the sources, with `both`); each next one walks from the end with fewer people to ask
    about (both at once while they are few); the last is a meeting with the people the other
    end has reached."""
    first = True
    while source.rounds + target.rounds < max_hops:
        if first:
            first = False
            from_target = target.needs(floor)
            asked = known.requests(
                _merged(source.needs(floor), from_target) if both else from_target
            )
            yield from known.fetch(asked)
            ends = source.best.keys() | target.best.keys() if both else target.best.keys()
            if (both and not ends <= known.found) or not ends & known.found:
                return  # a source, or every target, does not exist
            _bound(known, source, target, floor)
            if both:
                source.advance(known, floor)
            if source.rounds + target.rounds < max_hops:
                target.advance(known, floor)
            continue
        _bound(known, source, target, floor)
        # The sources' side may be large (the call plan's: our thousand people) and is seldom
        # walked: it is counted only as far as the choices below need, and listed when walked.
        from_target = target.needs(floor)
        asked_target = known.requests(from_target)
        targets_asked = len(asked_target)
        limit = max(targets_asked, _SMALL_FRONTIER - targets_asked) + 1
        sources_asked = known.count(source.each_need(floor), limit)
        left = max_hops - source.rounds - target.rounds
        if left == 1:
            if sources_asked <= targets_asked:
                needs = known.requests(source.needs(floor))
                yield from known.fetch(needs, meet=target.best.keys())
                source.advance(known, floor)
            else:
                yield from known.fetch(asked_target, meet=source.best.keys())
                target.advance(known, floor)
        elif not sources_asked or not asked_target:  # a round at no cost
            (source if not sources_asked else target).advance(known, floor)
        elif left > 2 and sources_asked + targets_asked <= _SMALL_FRONTIER:
            yield from known.fetch(known.requests(_merged(source.needs(floor), from_target)))
            source.advance(known, floor)
            target.advance(known, floor)
        elif sources_asked <= targets_asked:
            yield from known.fetch(known.requests(source.needs(floor)))
            source.advance(known, floor)
        else:
            yield from known.fetch(asked_target)
            target.advance(known, floor)


def meet_in_the_middle(
    fetch: Fetch,
    sources: Collection[str],
    targets: Collection[str],
    *,
    max_hops: int,
    k: int,
    check_sources: bool = True,
    threshold: float | None = None,
) -> Meeting:
    """The k best paths as `top_paths` ranks them, fetching only the ties they can use.

    The search walks from both ends and they meet in the middle. With `check_sources`, its
    first round trip asks for both ends, and a missing source stops it; without, the sources
    are taken to exist, and the search walks from them only when that is cheaper. The first
    run's threshold is `threshold` (by default one by maxHops); the answer does not depend
    on it.
    """
    found = search(
        sources,
        targets,
        max_hops=max_hops,
        k=k,
        check_sources=check_sources,
        threshold=threshold,
    )
    return run(found, fetch)


def run(found: Search, fetch: Fetch) -> Meeting:
    """Answer one search's round trips with `fetch`, one call each."""
    try:
        ask = next(found)
        while True:
            ask = found.send(fetch(ask.requests, meet=ask.meet))
    except StopIteration as done:
        meeting: Meeting = done.value
        return meeting


def run_together(searches: Sequence[Search], fetch: FetchMany) -> list[Meeting | SearchTooLarge]:
    """Answer several searches' round trips together: each round, one `fetch` call for the
    next round trip of every search not done yet. A search that grows too large ends with
    its SearchTooLarge, the others go on; the answers are each search's own."""
    done: list[Meeting | SearchTooLarge | None] = [None] * len(searches)
    waiting: dict[int, Ask] = {}

    def step(index: int, got: Fetched | None) -> None:
        try:
            waiting[index] = next(searches[index]) if got is None else searches[index].send(got)
        except StopIteration as stopped:
            done[index] = stopped.value
        except SearchTooLarge as error:
            done[index] = error

    for index in range(len(searches)):
        step(index, None)
    while waiting:
        asked = sorted(waiting)
        answers = fetch([waiting.pop(index) for index in asked])
        for index, got in zip(asked, answers, strict=True):
            step(index, got)
    return [found for found in done if found is not None]


def search(
    sources: Collection[str],
    targets: Collection[str],
    *,
    max_hops: int,
    k: int,
    check_sources: bool = True,
    threshold: float | None = None,
) -> Search:
    """`meet_in_the_middle` as a generator of its round trips (see `Search`)."""
    source_set, target_set = set(sources), set(targets)
    if k <= 0 or max_hops <= 0 or not source_set or not target_set:
        return Meeting([], frozenset(), 0, 0)
    known = _Known(source_set | target_set)
    if threshold is None:
        # Between two people at most 4 hops apart, the search asks for every tie of the people
        # next to one end, and for the ties of those next to the other that meet them: little
        # enough to need no second run.
        threshold = 0.0 if check_sources and max_hops <= 4 else FIRST_THRESHOLD
    missing: frozenset[str] | None = None
    while True:
        floor = threshold * (1 - _MARGIN)
        source, target = _Side(source_set, target_set), _Side(target_set, source_set)
        yield from _walk(known, source, target, max_hops, floor, both=check_sources)
        if missing is None:
            missing = frozenset(known.missing & (target_set | source_set))
            if missing & source_set or missing >= target_set:
                return Meeting([], missing, known.trips, known.ties)
        paths, kth = _top(known.adj, source_set, target_set - missing, max_hops=max_hops, k=k)
        if threshold == 0 or (kth is not None and kth >= threshold):
            return Meeting(paths, missing, known.trips, known.ties)
        if kth is not None:
            threshold = kth
        else:
            threshold = threshold / _THRESHOLD_STEP
            if threshold < _LOWEST_THRESHOLD:
                threshold = 0.0
