"""Results kept until the graph changes: per Graph object, keyed, checked against the change
feed (graph/db/feed.py).

Before it serves a result, `cached` syncs the process's follower of the feed (one small
statement: the feed's head; more only when entries came): a result is kept while no write of
graph data has been committed since it was computed, by any process, and the day (or, for
`Expiry.TEN_MINUTES`, the ten-minute period) is the same. At most ENTRIES results are kept
per graph, the least recently used dropped first. An entry whose events ask for it
(feed.DROP_CACHES: an erasure's) drops every result of the graph at once (`forget`).

Refreshes never hold readers up behind a whole recomputation of a slow result
(stale-while-revalidate):

- The first computation of a key runs in the caller's thread; concurrent callers for the same
  key wait for it (computed once). A failed one keeps nothing: the next call tries again.
- Once there is a result, the first caller that finds it outdated (a write since, by any
  process, or a new day) starts a refresh. One refresh runs per key at a time; every caller
  meanwhile joins it rather than starting another.
- A quick result (its last computation took under QUICK_SECONDS: every result of a small
  graph) is refreshed in the caller's thread and its callers wait for the fresh one; a caller
  that finds the refresh it joined older than what it saw of the feed waits for the next one.
  So a write acknowledged to anyone is seen by the next read, as if there were no cache.
- A slow result is refreshed in a background thread, and callers wait for it at most
  WAIT_SECONDS, then get the previous result. After a computation of t seconds, the next
  refresh waits REST_FACTOR * t (2t): under a steady stream of writes, refreshing a slow result
  takes at most a third of one core. A failed refresh drops the result (logged): the next call
  computes afresh in its own thread and sees the error.
- A computation that reads another cached result (the referral network reads the referral
  index) waits for that one's refresh: what it computes is stored under the new feed state.

How stale: an answer reflects every write committed before the start of the computation that
made it. A slow result's refresh starts at the first read after a write once its rest is over;
a write made while a refresh runs waits for the next one. So while a key is read, with T the
time one computation takes, an answer misses at most the writes of the last
(2 + REST_FACTOR) * T = 4T seconds: for the referral index of the 100,000-person benchmark
graph, T was 5-8 s on a busy 2-core machine (about 1 s on a quiet one), so up to about 30 s
(docs/ARCHITECTURE.md, "Cached results"). A quick result is never stale.

A result that took FREEZE_SECONDS or more to compute is moved, with everything else alive,
out of the cyclic garbage collector's reach, so that no full collection walks it while
requests wait (`_out_of_the_collector`).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar, cast

from graph.db import deadline, feed
from graph.db.connection import Graph

log = logging.getLogger(__name__)
T = TypeVar("T")
ENTRIES = 32
# a result whose last computation took less than this is refreshed while its callers wait
QUICK_SECONDS = 0.5
# how long a caller waits for the refresh of a slow result before it takes the previous one
WAIT_SECONDS = 0.05
# after computing a slow result for t seconds, no refresh starts for REST_FACTOR * t seconds:
# under a steady stream of writes, refreshes take at most a third of one core
REST_FACTOR = 2.0
# after a computation this slow (a whole-graph result at scale), every object alive is moved
# out of the cyclic garbage collector's reach (_out_of_the_collector)
FREEZE_SECONDS = 1.0


@dataclass
class _Refresh:
    """One refresh of a slot: done once the slot holds its outcome."""

    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards every field below
    known: bool = False  # whether `result` holds a result
    result: Any = None
    stamp: _Stamp | None = None  # the feed's state its result reflects
    took: float = 0.0  # seconds the last computation took
    rest_until: float = 0.0  # time.monotonic() before which a slow result is not refreshed
    refresh: _Refresh | None = None  # the refresh under way


_SLOTS: weakref.WeakKeyDictionary[Graph, dict[Hashable, _Slot]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_RUNNING: set[threading.Thread] = set()  # background refreshes under way (guarded by _LOCK)
_COMPUTING = threading.local()  # `depth`: computations under way in this thread


class Expiry(Enum):
    """When a result goes out of date by itself, whatever the writes: results that read
    `date()` (current roles, the day's age of a tie) at the next day, the people order's
    ten-minute period (graph/core/people_order.py)."""

    DAILY = "daily"
    TEN_MINUTES = "ten minutes"


@dataclass(frozen=True)
class _Stamp:
    """What a result depends on: the feed's resets, its last graph write, the period."""

    resets: int
    graph_position: int
    period: str

    def covers(self, other: _Stamp) -> bool:
        """Whether a result made at this stamp reflects everything `other` does."""
        return (
            self.resets == other.resets
            and self.period == other.period
            and self.graph_position >= other.graph_position
        )


def _stamp(graph: Graph, expires: Expiry) -> _Stamp:
    # what was committed before the request began (or before now, off a request): a write
    # acknowledged before then is seen, by any process
    state = feed.follower(graph).sync(deadline.started())
    period = state.today if expires is Expiry.DAILY else str(state.epoch_seconds // 600)
    return _Stamp(state.resets, state.graph_position, period)


def cached(
    graph: Graph,
    key: Hashable,
    compute: Callable[[], T],
    *,
    expires: Expiry = Expiry.DAILY,
) -> T:
    """`compute()`'s result for `key`, reused while no write of graph data has committed since
    (and the period of `expires` is the same); refreshed as the module docstring says (a slow
    one in the background, the previous result served)."""
    _listen(graph)
    with _LOCK:
        slots = _SLOTS.setdefault(graph, {})
        slot = slots.pop(key, None) or _Slot()
        slots[key] = slot  # the most recently used last
        while len(slots) > ENTRIES:
            del slots[next(iter(slots))]
    while True:
        current = _stamp(graph, expires)
        with slot.lock:
            if slot.known and slot.stamp is not None and slot.stamp.covers(current):
                return cast(T, slot.result)
            # a computation reading another cached result must get a fresh one, or it would
            # keep a stale answer under a new stamp
            computing = getattr(_COMPUTING, "depth", 0) > 0
            patient = not slot.known or slot.took < QUICK_SECONDS or computing
            previous = slot.result
            running = slot.refresh
            if running is None and not patient and time.monotonic() < slot.rest_until:
                return cast(T, previous)  # resting after the last computation
            leading = running is None
            if running is None:
                running = slot.refresh = _Refresh()
        if leading:
            refresh = _Refreshing(graph, key, slot, running, expires, compute)
            if patient:
                refresh.run()
            else:
                _start(refresh)
        if not running.done.wait(None if patient else WAIT_SECONDS):
            return cast(T, previous)  # the refresh goes on without this caller
        if running.error is not None:
            raise running.error
        with slot.lock:
            if not patient or (slot.stamp is not None and slot.stamp.covers(current)):
                return cast(T, slot.result if slot.known else previous)
        # the refresh this caller joined began before a write it has seen: another one


@dataclass(frozen=True)
class _Refreshing:
    """One refresh's work: read the fingerprint, compute if it moved, store the outcome."""

    graph: Graph
    key: Hashable
    slot: _Slot
    running: _Refresh
    expires: Expiry
    compute: Callable[[], Any]

    def run(self) -> None:
        # others may wait for this result: the deadline of the request that started it does
        # not apply (its size is the graph's, not the request's)
        with deadline.lifted():
            self._run()

    def _run(self) -> None:
        slot = self.slot
        try:
            stamp = _stamp(self.graph, self.expires)  # before the reads: a later write reads again
            started = time.monotonic()
            _COMPUTING.depth = getattr(_COMPUTING, "depth", 0) + 1
            try:
                fresh = self.compute()
            finally:
                _COMPUTING.depth -= 1
            took = time.monotonic() - started
            if took >= FREEZE_SECONDS:
                _out_of_the_collector()
            with slot.lock:
                slot.known, slot.result, slot.stamp = True, fresh, stamp
                slot.took = took
                slow = took >= QUICK_SECONDS
                slot.rest_until = time.monotonic() + REST_FACTOR * took if slow else 0.0
        except BaseException as exc:
            self.running.error = exc
            with slot.lock:  # keep nothing: the next call computes afresh and sees the error
                slot.known, slot.result = False, None
            with _LOCK:
                slots = _SLOTS.get(self.graph, {})
                if slots.get(self.key) is slot:
                    del slots[self.key]
        finally:
            with slot.lock:
                slot.refresh = None
            self.running.done.set()

    def run_in_background(self) -> None:
        try:
            self.run()
            if self.running.error is not None:
                log.warning(
                    "refreshing the cached %r failed; the next call computes it afresh: %r",
                    self.key,
                    self.running.error,
                )
        finally:
            with _LOCK:
                _RUNNING.discard(threading.current_thread())


def _out_of_the_collector() -> None:
    """Move every object alive into the collector's permanent generation (`gc.freeze`).

    The slow results are large (at 100,000 people the people orders, our ties and the referral
    index hold about 700,000 objects), and a full collection walks every object the collector
    tracks: 380-470 ms with the interpreter held, every request waiting, at moments nobody
    chooses (the single p99 samples of 400-560 ms in the benchmark). Frozen objects are still
    freed by their reference counts when a result is replaced (results hold no cycles), so
    only cyclic garbage alive at that moment would stay; the young generations are collected
    first to keep that small."""
    gc.collect(1)
    gc.freeze()


def _start(refresh: _Refreshing) -> None:
    thread = threading.Thread(target=refresh.run_in_background, name="cache-refresh", daemon=True)
    with _LOCK:
        _RUNNING.add(thread)
    thread.start()


def refreshing() -> int:
    """How many background refreshes are under way."""
    with _LOCK:
        return len(_RUNNING)


def settle(timeout: float | None = None) -> bool:
    """Wait for the background refreshes under way to end; False if some still run after
    `timeout` seconds (for tests and shutdown)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _LOCK:
            running = list(_RUNNING)
        if not running:
            return True
        for thread in running:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                return False


_LISTENING: weakref.WeakSet[Graph] = weakref.WeakSet()
_LISTEN_LOCK = threading.Lock()  # never held with _LOCK: the listener takes that one


def _listen(graph: Graph) -> None:
    """Make the graph's follower of the feed drop this graph's results (`forget`) when it
    hands on an entry that asks for it (feed.DROP_CACHES: an erasure), before any result is
    served at that entry's position: a result computed before it is then never served again,
    not even while its refresh runs."""
    with _LISTEN_LOCK:
        if graph in _LISTENING:
            return
        _LISTENING.add(graph)
    ref = weakref.ref(graph)

    def hear(entry: feed.Entry) -> None:
        target = ref()
        if target is not None and any(event.get(feed.DROP_CACHES) for event in entry.events):
            forget(target)

    feed.follower(graph).listen(hear)


def forget(graph: Graph) -> None:
    """Drop every result cached for `graph`; a caller holding one of its slots finds it
    empty and computes afresh."""
    with _LOCK:
        slots = _SLOTS.pop(graph, {})
    for slot in slots.values():
        with slot.lock:
            slot.known, slot.result, slot.stamp = False, None, None


def clear() -> None:
    """Forget every cached result (for tests)."""
    with _LOCK:
        _SLOTS.clear()
