"""Top-k introduction paths through person-to-person relationships.

A path's strength is the product of its hops' strengths, multiplied in path order. Paths rank
by strength (highest first), then by fewer hops, then by the person ids along the path. The
search is best-first over weights -log(strength) with an admissible lower bound (the lightest
way to a target within the hops left), so it never enumerates every path; it keeps every path
within a float-safe margin of the k-th weight and ranks those exactly, so the order is the
same as ranking all paths by the rule above.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.db.errors import GuanxiError

MAX_HOPS = 6
MAX_EXPANSIONS = 200_000
_MARGIN = 1e-9


class SearchTooLarge(GuanxiError):
    """The search would have to look at too many partial paths."""

    code = "LIMIT_EXCEEDED"


@dataclass(frozen=True)
class Tie:
    """One relationship as the search sees it."""

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

    def rank_key(self) -> tuple[float, int, tuple[str, ...]]:
        return (-self.strength, self.hops, self.person_ids)


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
    distance = {node: 0 for node in starts}
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        if distance[node] == limit:
            continue
        for other, _ in adj.get(node, ()):
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


def _lower_bounds(
    adj: Adjacency, nodes: set[str], targets: set[str], max_hops: int
) -> list[dict[str, float]]:
    """bound[j][v]: the least weight from v to a target in at most j hops (paths not simple)."""
    bound = [{v: (0.0 if v in targets else math.inf) for v in nodes}]
    for _ in range(max_hops):
        previous = bound[-1]
        current = dict(previous)
        for v in nodes:
            if v in targets:
                continue
            best = previous[v]
            for other, tie in adj.get(v, ()):
                if other in previous:
                    best = min(best, -math.log(tie.strength) + previous[other])
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
    """The k best simple paths from a source to a target, in at most `max_hops` hops.

    A path stops at the first target it reaches and passes through no other source, so
    each path starts at the source closest to the target along it.
    """
    source_set, target_set = set(sources), set(targets)
    if k <= 0 or max_hops <= 0 or not source_set or not target_set:
        return []
    from_sources = _hop_distances(adj, source_set, max_hops)
    to_targets = _hop_distances(adj, target_set, max_hops)
    useful = {
        v for v, d in from_sources.items() if v in to_targets and d + to_targets[v] <= max_hops
    }
    if not useful:
        return []
    bound = _lower_bounds(adj, useful, target_set, max_hops)

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
        for other, tie in adj.get(last, ()):
            if other not in useful or other in nodes or other in source_set:
                continue
            rest = bound[hops_left].get(other, math.inf)
            if rest == math.inf:
                continue
            weight = g - math.log(tie.strength)
            heapq.heappush(heap, (weight + rest, counter, weight, (*nodes, other), (*ties, tie)))
            counter += 1
    return sorted(found, key=Path.rank_key)[:k]
