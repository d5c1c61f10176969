"""The change feed (graph/db/feed.py): one entry per committed write transaction, numbered in
commit order with no gaps, read after a position, followed by every connection's follower."""

from __future__ import annotations

import threading

import pytest

from graph.core.events import InteractionLogged, from_feed
from graph.cypher.db import feed as cypher
from graph.db import feed
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput
from graph.db.setup import delete_everything, ensure_schema
from tests import factories


def _head(graph: Graph) -> int:
    return int(graph.read(cypher.FEED_HEAD)[0]["position"])


def test_every_committed_write_appends_one_entry_and_a_rolled_back_one_none(graph: Graph) -> None:
    start = _head(graph)
    person = factories.person(graph, "Li Lei")
    company = factories.company(graph, "Acme")
    factories.role(graph, person, company)

    def refused(tx: Tx) -> None:
        tx.publish(InteractionLogged("in_x", frozenset(), frozenset()))
        raise InvalidInput("no")

    with pytest.raises(InvalidInput):
        graph.write_tx(refused)
    ensure_schema(graph)  # schema statements: no entry
    entries = feed.entries_after(graph, start, _head(graph))
    assert [e.position for e in entries] == [start + 1, start + 2, start + 3]
    assert all(e.topic is feed.Topic.GRAPH and e.origin == feed.ORIGIN for e in entries)
    assert _head(graph) == start + 3


def test_concurrent_writers_get_dense_positions_in_commit_order(graph: Graph) -> None:
    """Eight threads writing at once: every commit takes the next position (the engine
    retries the transactions that lost the race for the head), none is lost or repeated."""
    start = _head(graph)
    barrier = threading.Barrier(8)
    told: list[tuple[str, int]] = []  # (thread, position) as each commit tells it

    def tell(position: int) -> None:
        told.append((threading.current_thread().name, position))

    def write(number: int) -> None:
        barrier.wait()
        for index in range(10):
            factories.person(graph, f"P{number}-{index}")

    graph.commit_listeners.append(tell)
    threads = [threading.Thread(target=write, args=(n,), name=f"w{n}") for n in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        graph.commit_listeners.remove(tell)
    positions = [e.position for e in feed.entries_after(graph, start, _head(graph))]
    assert positions == list(range(start + 1, start + 81))
    assert sorted(p for _, p in told) == positions  # each commit told its own position, once
    for name in {name for name, _ in told}:  # a thread's later write commits later
        mine = [p for n, p in told if n == name]
        assert mine == sorted(mine) and len(mine) == 10


def test_a_follower_hears_each_entry_once_in_order_with_its_events(
    graph: Graph, other_graph: Graph
) -> None:
    follower = feed.follower(other_graph)
    before = follower.sync()
    heard: list[feed.Entry] = []
    follower.listen(heard.append)
    try:
        a, b = factories.person(graph, "A"), factories.person(graph, "B")
        factories.knows(graph, a, b, 0.5)
        state = follower.sync()
        again = follower.sync()
    finally:
        follower.unlisten(heard.append)
    assert [e.position for e in heard] == list(range(before.position + 1, state.position + 1))
    assert again.position == state.position and len(heard) == 3
    assert state.graph_position == state.position
    [changed] = [from_feed(r) for r in heard[-1].events if r["event"] == "relationshipChanged"]
    assert changed is not None and {a, b} <= changed.people_ids  # type: ignore[union-attr]


def test_a_feed_that_goes_back_counts_as_a_reset(graph: Graph, other_graph: Graph) -> None:
    """An emptied (or restored) database: its feed starts again below what was seen."""
    factories.person(graph, "A")
    follower = feed.follower(other_graph)
    seen = follower.sync()
    delete_everything(graph)  # the head too: the next write starts the feed again at 1
    state = follower.sync()
    assert state.resets == seen.resets + 1 and state.position < seen.position
