"""The feed-checked result cache (graph/db/cache.py): fresh answers for quick results,
the previous answer while a slow one is refreshed in the background, one refresh at a time.

The slow path is driven by a computation that blocks on an Event, never by a clock: a result
counts as slow with QUICK_SECONDS at 0, callers do not wait for it with WAIT_SECONDS at 0, and
refreshes do not rest with REST_FACTOR at 0 (or do not start with a huge one).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

import pytest

from graph.auth.tokens import Role, create_token
from graph.db import cache
from graph.db.connection import Graph
from graph.db.errors import NotFound
from tests import factories
from tests.conftest import StatementLog

KEY = ("test", "cache")


class Computation:
    """Counts its calls and answers with the count; blocks while `gate` is closed, and fails
    on the calls listed in `failing`."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()  # set by each call as it starts
        self.failing: set[int] = set()

    def __call__(self) -> int:
        self.calls += 1
        call = self.calls
        self.entered.set()
        self.gate.wait()
        if call in self.failing:
            raise NotFound("thing", f"call {call}")
        return call


def _get(graph: Graph, compute: Callable[[], int]) -> int:
    return cache.cached(graph, KEY, compute)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every result counts as slow, and callers never wait for its refresh."""
    monkeypatch.setattr(cache, "QUICK_SECONDS", 0.0)
    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.0)
    monkeypatch.setattr(cache, "REST_FACTOR", 0.0)


def test_a_quick_result_is_recomputed_before_the_next_read_after_a_write(
    graph: Graph, statements: StatementLog
) -> None:
    compute = Computation()
    assert _get(graph, compute) == 1
    with statements.count_during() as counter:
        assert _get(graph, compute) == 1
    assert counter.count == 1  # the graph has not changed: only the feed's head is read
    factories.person(graph, "Li Lei")  # a write: the feed moves
    assert _get(graph, compute) == 2  # computed in the caller's own thread, no stale answer
    assert compute.calls == 2


def test_a_write_of_another_topic_keeps_the_result(graph: Graph) -> None:
    compute = Computation()
    assert _get(graph, compute) == 1
    create_token(graph, name="reader", role=Role.VIEWER)  # the feed moves, but on tokens
    assert _get(graph, compute) == 1 and compute.calls == 1


def test_another_process_write_is_seen_by_the_next_read(graph: Graph, other_graph: Graph) -> None:
    """Another Graph object on the same database: its own driver, its own follower, as
    another server process would have."""
    compute = Computation()
    assert _get(graph, compute) == 1
    factories.person(other_graph, "Li Lei")
    assert _get(graph, compute) == 2


@pytest.mark.usefixtures("slow")
def test_a_slow_result_is_served_while_one_refresh_runs_in_the_background(graph: Graph) -> None:
    compute = Computation()
    assert _get(graph, compute) == 1  # the first computation: nothing to serve before it
    compute.gate.clear()  # the refresh will block until the test lets it go on
    compute.entered.clear()
    factories.person(graph, "Li Lei")
    assert _get(graph, compute) == 1  # the previous result, at once
    assert compute.entered.wait(timeout=60)  # the refresh is computing (a bound, not a timing)
    assert _get(graph, compute) == 1  # again: the refresh under way is joined, not repeated
    assert cache.refreshing() == 1
    assert not cache.settle(timeout=0)  # the refresh is still blocked
    compute.gate.set()
    assert cache.settle()
    assert compute.calls == 2
    assert _get(graph, compute) == 2  # the refreshed result, with no new computation
    assert compute.calls == 2


@pytest.mark.usefixtures("slow")
def test_a_failed_refresh_drops_the_result_and_the_next_call_sees_the_error(
    graph: Graph,
) -> None:
    compute = Computation()
    compute.failing = {2, 3}
    assert _get(graph, compute) == 1
    factories.person(graph, "Li Lei")
    assert _get(graph, compute) == 1  # served while the refresh fails in the background
    assert cache.settle()
    with pytest.raises(NotFound):  # nothing kept: computed in the caller's thread, and failed
        _get(graph, compute)
    assert _get(graph, compute) == 4  # a failed first computation keeps nothing either
    assert compute.calls == 4


@pytest.mark.usefixtures("slow")
def test_a_computation_reading_another_cached_result_waits_for_its_refresh(
    graph: Graph,
) -> None:
    """The outer result is stored under the new fingerprint: it must not be built from the
    inner result's previous value."""
    inner = Computation()

    def outer() -> int:
        return 100 * cache.cached(graph, ("inner",), inner)

    assert cache.cached(graph, ("outer",), outer) == 100
    factories.person(graph, "Li Lei")
    assert cache.cached(graph, ("outer",), outer) == 100  # stale
    assert cache.settle()
    assert cache.cached(graph, ("outer",), outer) == 200
    assert inner.calls == 2


@pytest.mark.usefixtures("slow")
def test_a_slow_result_rests_after_a_computation(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute = Computation()
    monkeypatch.setattr(cache, "REST_FACTOR", 1e9)  # resting for ever after any computation
    assert _get(graph, compute) == 1
    factories.person(graph, "Li Lei")
    assert _get(graph, compute) == 1  # resting: the previous result, and no refresh
    assert cache.refreshing() == 0 and compute.calls == 1
    with cache._LOCK:  # the rest over (as if the time had passed)
        cache._SLOTS[graph][KEY].rest_until = 0.0
    assert _get(graph, compute) == 1  # the previous result, while the refresh runs
    assert cache.settle()
    assert _get(graph, compute) == 2


def test_a_slow_result_is_moved_out_of_the_collectors_reach(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full collection would walk a large result with every request waiting: after a slow
    computation the objects alive are frozen (and a quick one leaves the collector alone)."""
    gc.unfreeze()
    try:
        assert _get(graph, Computation()) == 1  # quick: nothing frozen
        assert gc.get_freeze_count() == 0
        monkeypatch.setattr(cache, "FREEZE_SECONDS", 0.0)
        result = {"kept": [[n] for n in range(1_000)]}
        assert cache.cached(graph, ("big",), lambda: result) is result
        assert gc.get_freeze_count() > 0
        assert gc.is_tracked(result)
        assert all(o is not result for o in gc.get_objects())  # frozen: not walked
    finally:
        gc.unfreeze()
