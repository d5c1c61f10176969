"""Concurrent writes on the same few relationships: nothing acknowledged is lost or doubled.

The workload and the checks are benchmarks/concurrency.py's (`python -m benchmarks.concurrency
--clients 50 --writes 1000` runs them at full size and prints the figures); here at a size this
suite can afford, against the real server in its own process.
"""

from __future__ import annotations

import contextvars
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest
from neo4j import GraphDatabase

from benchmarks.concurrency import figures, hammer, plan, retries, seed, verify
from graph.core import writes
from graph.core.inputs import Patch
from graph.core.kinds import RELATIONSHIP
from graph.cypher.core import history as history_cypher
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.errors import Conflict
from graph.evolution.timelines import subject_history
from tests import factories
from tests.conftest import auth_headers
from tests.live_server import live_server

CLIENTS = 20
WRITES = 300


@pytest.mark.slow
def test_concurrent_interactions_and_updates_keep_every_acknowledged_write(
    graph: Graph, engine_endpoint: BoltEndpoint, tmp_path: Path
) -> None:
    """20 clients send 300 interactions and hand-set strengths (and tiers) at once on four
    relationships. Afterwards, per relationship (see benchmarks.concurrency.verify):
    (a) every acknowledged interaction is listed once and `interactionCount` counts them;
    (b) every acknowledged strength set by hand is one MANUAL change, every interaction the
        evidence of one INTERACTION change, and there is nothing else;
    (c) what the history implies is what is stored: the changes form one chain (each starts
        from the state the one before it ended at), the current tier, strength, level and
        since are the last change's, and the strength is what the strength model recomputes
        from the history (strengthExplanation: the last hand-set strength plus the deposits
        of the interactions recorded after it).
    No write may fail: conflicts are the driver's to retry (counted from the server's log).
    """
    log = tmp_path / "server.log"
    with live_server(engine_endpoint, log) as server:

        def make_client() -> httpx2.Client:
            return httpx2.Client(base_url=server.base, headers=auth_headers(), timeout=300)

        with make_client() as client:
            fixture = seed(client)
            outcome = hammer(make_client, plan(fixture, WRITES), CLIENTS)
            problems = verify(client, fixture, outcome)
    print("\n".join(figures(outcome, retries(log.read_text()))))
    assert outcome.errors == []
    assert len(outcome.acks) == WRITES
    assert problems == []
    kinds = {ack.kind for ack in outcome.acks}
    assert kinds == {"interaction", "update"}
    # each update answers with what it wrote, not with what a later write made of it
    assert [ack for ack in outcome.acks if ack.answered_later_state] == []


def _pair(graph: Graph) -> str:
    """One of ours and one of theirs, and a relationship between them (an acquaintance)."""
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    return factories.knows(graph, ids["li"], ids["zhou"], 0.5, tier="ACQUAINTANCE")


def _interrupted_update(graph: Graph, writer: Graph, relationship_id: str) -> list[BaseException]:
    """Set the strength through `writer`, while another update (setting the tier) commits once
    the first has read the relationship; returns what the other update raised."""
    interrupted = threading.Event()
    failures: list[BaseException] = []

    def other_write() -> None:
        try:
            writes.update_edge(graph, RELATIONSHIP, relationship_id, Patch({"tier": "FRIEND"}))
        except BaseException as exc:  # reported by the caller
            failures.append(exc)

    def interrupt(query: str, params: dict[str, Any]) -> None:
        if query == history_cypher.LAST_CHANGE_AT and not interrupted.is_set():
            interrupted.set()
            # in a copy of this context: the credential the change is recorded with
            thread = threading.Thread(target=contextvars.copy_context().run, args=(other_write,))
            thread.start()
            thread.join(timeout=5)  # on an engine with locks it waits for this transaction

    writer.listeners.append(interrupt)
    try:
        writes.update_edge(writer, RELATIONSHIP, relationship_id, Patch({"strength": 0.7}))
    finally:
        writer.listeners.remove(interrupt)
        assert interrupted.is_set()
    return failures


def test_an_update_does_not_overwrite_a_write_committed_after_it_read(graph: Graph) -> None:
    """A write committed between an update's read and its first write (forced here: a second
    update runs and commits once the first has read the relationship) is not lost: the first
    reads under the write lock, so on this engine it conflicts at commit and the driver runs
    it again on the new state; on Neo4j the second would wait. Without the lock the first
    wrote back the tier it had read, losing the second's, and recorded a change starting from
    a stale state."""
    relationship_id = _pair(graph)
    assert _interrupted_update(graph, graph, relationship_id) == []
    [row] = graph.read(RELATIONSHIP.statements.props, id=relationship_id)
    assert (row["props"]["tier"], row["props"]["strength"]) == ("FRIEND", 0.7)
    changes = subject_history(graph, relationship_id, offset=0, limit=10).items
    assert [c.after["tier"] if c.after else None for c in changes] == [
        "ACQUAINTANCE",
        "FRIEND",
        "FRIEND",
    ]
    for previous, change in zip(changes, changes[1:], strict=False):
        assert change.before == previous.after


def test_a_write_still_losing_after_the_retries_is_a_conflict_that_wrote_nothing(
    graph: Graph, engine_endpoint: BoltEndpoint
) -> None:
    """When concurrent writes keep winning until the driver stops retrying (here it may not
    retry at all), the write is refused as a Conflict saying to try again, which the API
    gives as CONFLICT, not as an internal error; it wrote nothing."""
    relationship_id = _pair(graph)
    driver = GraphDatabase.driver(
        engine_endpoint.uri,
        auth=(engine_endpoint.username, engine_endpoint.password),
        max_transaction_retry_time=0,
    )
    impatient = Graph(driver, engine_endpoint.database)
    try:
        with pytest.raises(Conflict, match="try again"):
            _interrupted_update(graph, impatient, relationship_id)
    finally:
        impatient.close()
    [row] = graph.read(RELATIONSHIP.statements.props, id=relationship_id)
    assert (row["props"]["tier"], row["props"]["strength"]) == ("FRIEND", 0.5)
    assert subject_history(graph, relationship_id, offset=0, limit=10).total == 2
