"""The connection to the graph: the driver, the database name, and transaction functions.

Every statement runs inside a driver transaction function (`execute_read` / `execute_write`),
so transient errors are retried and reads are routed to followers on a Neo4j cluster.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, LiteralString, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph.engine import EmbeddedEngine
from graph.errors import Conflict
from graph.settings import EngineSettings, Neo4jSettings

if TYPE_CHECKING:
    from graph.events import Event, EventListener

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = dict[str, Any]
StatementListener = Callable[[str, dict[str, Any]], None]


class Tx:
    """One transaction: runs statements and returns their rows as plain dicts."""

    def __init__(self, tx: ManagedTransaction, listeners: list[StatementListener]) -> None:
        self._tx = tx
        self._listeners = listeners
        self.published: list[Event] = []

    def run(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one parameterised statement (one database round trip)."""
        for listener in self._listeners:
            listener(query, params)
        result = self._tx.run(query, params)
        return [record.data() for record in result]

    def publish(self, event: Event) -> None:
        """Tell the graph's event listeners of `event` once this transaction has committed."""
        self.published.append(event)


class Graph:
    """The driver plus the database to use; the only way the app reaches the data."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.listeners: list[StatementListener] = []
        # hear of the events published by committed write transactions (graph/events.py)
        self.event_listeners: list[EventListener] = []
        # bumped after every write this process commits, so caches see their own writes at once
        self.generation = 0

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a read transaction (retried on transient errors)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: work(Tx(tx, self.listeners)))

    def write_tx(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a write transaction: all of it commits, or none of it.

        A broken uniqueness rule (which some engines report only at commit) is a Conflict.
        """
        attempts: list[Tx] = []  # the driver may retry: only the last attempt committed

        def attempt(tx: ManagedTransaction) -> T:
            attempts.append(Tx(tx, self.listeners))
            return work(attempts[-1])

        try:
            with self.driver.session(database=self.database) as session:
                result = session.execute_write(attempt)
        except neo4j.exceptions.ConstraintError as exc:
            raise Conflict(
                "another write took that id or external id at the same time; nothing was "
                "written: read the current state and try again"
            ) from exc
        finally:
            self.generation += 1
        for event in attempts[-1].published:
            for listener in list(self.event_listeners):
                try:
                    listener(event)
                except Exception:  # the write has committed: a listener cannot undo it
                    log.exception("an event listener failed on %s", type(event).__name__)
        return result

    def read(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one read statement in its own transaction."""
        return self.read_tx(lambda tx: tx.run(query, **params))

    def write(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one write statement in its own transaction."""
        return self.write_tx(lambda tx: tx.run(query, **params))

    def close(self) -> None:
        self.driver.close()


@contextmanager
def open_graph(
    neo4j_settings: Neo4jSettings | None = None,
    engine_settings: EngineSettings | None = None,
) -> Iterator[Graph]:
    """Connect to `NEO4J_URI`, or start the embedded engine when it is unset; close on exit."""
    neo4j_settings = neo4j_settings or Neo4jSettings()
    engine: EmbeddedEngine | None = None
    if neo4j_settings.uri:
        uri, database = neo4j_settings.uri, neo4j_settings.database
        auth = (neo4j_settings.username, neo4j_settings.password.get_secret_value())
    else:
        engine_settings = engine_settings or EngineSettings()
        engine = EmbeddedEngine(
            engine_settings.data_dir, database="guanxi", heap=engine_settings.engine_heap
        )
        endpoint = engine.start()
        uri, database = endpoint.uri, endpoint.database
        auth = (endpoint.username, endpoint.password)
    driver = GraphDatabase.driver(uri, auth=auth)
    graph = Graph(driver, database)
    try:
        driver.verify_connectivity()
        yield graph
    finally:
        graph.close()  # the driver must close before the engine stops, or the JVM may hang
        if engine is not None:
            engine.stop()
