"""The change feed: every committed write, in commit order, for every process on the graph.

Every write transaction ends by appending one entry (`append`, called by `Graph.write_tx`):
its position, one more than the last committed entry's; its topic (graph data, or tokens);
the events its work published (graph/core/events.py: relationship changes, interactions,
deletes, restores, imports, token revocations) as JSON; when and by which process. The
position comes from one counter node that every write transaction increments, so positions
follow commit order with no gaps: a transaction rolled back takes its increment with it
(graph/cypher/db/feed.py says how each engine keeps the order).

Each process follows the feed (`Follower`): it reads "what came after the position I have
seen" (an index range read) and hands every entry, once and in order, to its listeners: the
subscriptions' broker, the token cache. A server polls every GUANXI_FEED_POLL_SECONDS and at
once after its own commits; a cached result asks `sync()` for the feed's state before it
serves (one small statement), so a result is never served past a write already committed.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from graph.cypher.db import feed as cypher

if TYPE_CHECKING:
    from graph.db.connection import Graph, Tx

log = logging.getLogger(__name__)
PAGE = 1_000  # entries read per round trip while catching up (each an index seek)
# how the embedded engine names the position's uniqueness index when two writers took the same
# position (Graph.write_tx runs the loser again)
ENTRY_INDEX = "FeedEntry[position]"
ORIGIN = f"{socket.gethostname()}:{os.getpid()}"  # who wrote an entry, for the logs
# An event holding this key (true) asks every process to drop its cached results at once
# instead of serving one computed before the entry while it refreshes (graph/db/cache.py):
# an erasure's, whose data no answer may show again.
DROP_CACHES = "dropCaches"
FOLLOWER_THREAD = "change-feed"  # the name of a server's polling thread


class Topic(StrEnum):
    """What a write transaction changed, as far as followers care."""

    GRAPH = "graph"  # anything a read of the graph may show: every cached result depends on it
    TOKENS = "tokens"  # API tokens: created or revoked
    HOUSEKEEPING = "housekeeping"  # purges past retention: nothing a live read shows
    NONE = "none"  # schema statements: no entry at all (a schema change cannot share its tx)


class FeedEvent(Protocol):
    """An event a write publishes: how it is written into its feed entry."""

    def to_feed(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Entry:
    """One committed write transaction."""

    position: int
    topic: Topic
    events: list[dict[str, Any]]
    at_ms: int  # when it was appended (just before its commit), ms since the epoch
    origin: str  # host:pid of the process that wrote it


@dataclass(frozen=True)
class FeedState:
    """Where the feed stood at a sync, as cached results depend on it."""

    position: int  # the last entry seen
    graph_position: int  # the last entry of topic GRAPH seen
    resets: int  # how many times the feed was seen to go back (a restored or emptied database)
    today: str  # the database's date then (ISO)
    epoch_seconds: int  # the database's clock then


def append(tx: Tx, topic: Topic) -> int:
    """Append the entry of the transaction `tx`, with the events it published (its last
    statement); returns its position."""
    [row] = tx.run(
        cypher.FEED_APPEND,
        atMs=time.time_ns() // 1_000_000,
        topic=topic.value,
        events=json.dumps([event.to_feed() for event in tx.published]),
        origin=ORIGIN,
    )
    return int(row["position"])


Listener = Callable[[Entry], None]


class Follower:
    """Follows the feed of one graph for this process; see the module docstring."""

    def __init__(self, graph: Graph) -> None:
        self._graph = weakref.ref(graph)
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()  # one sync at a time; listeners hear entries in order
        self._state: FeedState | None = None
        self._synced_from = 0.0  # time.monotonic() when the last sync's head read started
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.poll_seconds = 0.0

    def listen(self, listener: Listener) -> None:
        """Hand every entry committed after the next sync to `listener` (on the syncing
        thread: it must be quick)."""
        with self._lock:
            self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def sync(self, since: float | None = None) -> FeedState:
        """Catch up with the feed, handing new entries to the listeners; the state after.

        The last sync's state does when its read of the head began after `since`
        (time.monotonic(); by default now): every write committed before `since` is then in
        it. A request passes its own start, so that its reads, and requests running at the
        same time, share one sync."""
        asked = time.monotonic() if since is None else since
        with self._lock:
            if self._state is not None and self._synced_from >= asked:
                return self._state
            graph = self._graph()
            if graph is None:
                raise RuntimeError("the graph is closed")
            started = time.monotonic()
            head = graph.read_once(cypher.FEED_HEAD)[0]
            position = int(head["position"])
            state = self._state
            if state is None:  # first sync: follow from here on
                graph_position, resets = position, 0
            elif position < state.position:
                # the feed went back (the database was restored or emptied): every cached
                # result is suspect, and no entry after our old position will come
                log.warning("the change feed went back from %d to %d", state.position, position)
                graph_position, resets = position, state.resets + 1
            else:
                graph_position = self._catch_up(graph, state, position)
                resets = state.resets
            self._state = FeedState(
                position, graph_position, resets, str(head["today"]), int(head["epochSeconds"])
            )
            self._synced_from = started
            return self._state

    def _catch_up(self, graph: Graph, state: FeedState, head: int) -> int:
        """Read and hand on the entries after `state.position` up to `head`; the position of
        the last entry of topic GRAPH among them (else the one `state` had)."""
        position, graph_position = state.position, state.graph_position
        while position < head:
            up_to = min(head, position + PAGE)
            entries = entries_after(graph, position, up_to)
            if not entries:  # purged past their retention: skip them
                position = up_to
                continue
            for entry in entries:
                position = entry.position
                if entry.topic is Topic.GRAPH:
                    graph_position = position
                for listener in list(self._listeners):
                    try:
                        listener(entry)
                    except Exception:  # one listener's failure is not the others'
                        log.exception("a change feed listener failed at %d", position)
        return graph_position

    def wake(self, position: int = 0) -> None:
        """Sync soon (this process committed the entry at `position`)."""
        self._wake.set()

    def start(self, poll_seconds: float) -> None:
        """Sync every `poll_seconds` (and when woken) in a thread of its own until `stop`."""
        if self._thread is not None:
            return
        self.poll_seconds = poll_seconds
        self._stop.clear()
        self._thread = threading.Thread(target=self._follow, name=FOLLOWER_THREAD, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop following (waits for the sync under way)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            self._wake.set()
            thread.join(timeout=10)

    def _follow(self) -> None:
        failures = 0
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds * (2 ** min(failures, 5)))
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.sync()
                failures = 0
            except Exception as exc:  # the database is away: try again, less often
                failures += 1
                if failures in (1, 6):
                    log.warning("the change feed could not be read (%s); retrying", exc)


_FOLLOWERS: weakref.WeakKeyDictionary[Graph, Follower] = weakref.WeakKeyDictionary()
_FOLLOWERS_LOCK = threading.Lock()


def follower(graph: Graph) -> Follower:
    """This process's follower of the graph's feed (made on first use)."""
    with _FOLLOWERS_LOCK:
        found = _FOLLOWERS.get(graph)
        if found is None:
            found = _FOLLOWERS[graph] = Follower(graph)
            graph.commit_listeners.append(found.wake)
        return found


def entries_after(graph: Graph, position: int, up_to: int) -> list[Entry]:
    """The entries after `position` up to `up_to`, oldest first (read once, not retried)."""
    rows = graph.read_once(cypher.FEED_AFTER, after=position, upTo=up_to)
    return [
        Entry(
            int(row["position"]),
            Topic(row["topic"]),
            json.loads(row["events"] or "[]"),
            int(row["atMs"]),
            str(row["origin"]),
        )
        for row in rows
    ]
