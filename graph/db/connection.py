"""The connection to the graph: the driver, the database name, and transaction functions.

Every statement runs inside a driver transaction function (`execute_read` / `execute_write`),
so transient errors are retried and reads are routed to followers on a Neo4j cluster.
Each transaction carries a timeout (GUANXI_TX_TIMEOUT): Neo4j enforces it on the transaction;
the embedded engine ignores the driver's timeout and enforces the same value on each statement
(`arcadedb.command.timeout`, set by graph.db.engine). Either way the database stops the work and
the caller gets a TimedOut error.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar, cast

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction
from opentelemetry.trace import NoOpTracer, Tracer

from graph.db import deadline, feed, packing, tracing
from graph.db.engine import EmbeddedEngine, running_endpoint
from graph.db.errors import Conflict, TimedOut, Unavailable
from graph.db.feed import FeedEvent, Topic
from graph.db.settings import ApiSettings, EngineSettings, Neo4jSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = dict[str, Any]
packing.install()  # before any driver connects: each connection copies the packing functions
StatementListener = Callable[[str, dict[str, Any]], None]


# Values a row holds as they come: what `Record.data()` leaves unchanged.
_AS_THEY_COME: frozenset[type] = frozenset(
    {
        str,
        int,
        float,
        bool,
        type(None),
        neo4j.time.Date,
        neo4j.time.DateTime,
        neo4j.time.Time,
        neo4j.time.Duration,
    }
)


class _GraphValue(Exception):
    """A value (a node, relationship, path, point, bytes…) for `Record.data()` to convert."""


def _plain(value: object) -> object:
    """A value of a row as `Record.data()` gives it, for lists, maps and the values above;
    raises _GraphValue at anything else. Checked by exact type: `Record.data()` checks every
    value against abstract collection types, which cost 4.1 of the 14 ms of Python a
    keyPersonMap read took at 100,000 people (3,600 values); this takes 0.4."""
    kind = type(value)
    if kind in _AS_THEY_COME:
        return value
    if kind is list:
        return [_plain(item) for item in cast("list[object]", value)]
    if kind is dict:
        return {key: _plain(item) for key, item in cast("dict[str, object]", value).items()}
    raise _GraphValue


def _row(record: neo4j.Record, keys: Sequence[str]) -> Row:
    """The record as `record.data()` makes it, faster (see _plain)."""
    row: Row = {}
    for key, value in zip(keys, record.values(), strict=True):
        try:
            row[key] = _plain(value)
        except _GraphValue:
            row[key] = record.data(key)[key]
    return row


# The database is away: stopped, restarting, or the embedded engine's process gone.
_AWAY = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)


def _unavailable() -> Unavailable:
    log.warning("the database cannot be reached")
    return Unavailable(
        "the database cannot be reached: try again shortly (if the embedded engine's server "
        "stopped, restart this server once it runs again)"
    )


def _is_timeout(exc: neo4j.exceptions.ClientError) -> bool:
    """Neo4j's TransactionTimedOut(ClientConfiguration), which the embedded engine also sends."""
    return "TransactionTimedOut" in (exc.code or "")


class Tx:
    """One transaction: runs statements and returns their rows as plain dicts."""

    def __init__(
        self, tx: ManagedTransaction, listeners: list[StatementListener], graph: Graph
    ) -> None:
        self._tx = tx
        self._listeners = listeners
        self._graph = graph
        self.published: list[FeedEvent] = []

    def run(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one parameterised statement (one database round trip)."""
        if not tracing.tracing():
            return self._rows(query, params)
        with tracing.statement_span(self._graph.tracer, query, self._graph.database) as span:
            rows = self._rows(query, params)
            tracing.returned_rows(span, len(rows))
            return rows

    def run_plain(self, query: LiteralString, **params: Any) -> list[list[Any]]:
        """Run a statement whose values are only strings, numbers, booleans, nulls, and lists
        and maps of them, and give each row's values as the driver decoded them: `run` copies
        every value (`_plain`), 9 ms for the 3,500 ties a path search reads in one round."""
        if not tracing.tracing():
            return [record.values() for record in self._send(query, params)]
        with tracing.statement_span(self._graph.tracer, query, self._graph.database) as span:
            rows = [record.values() for record in self._send(query, params)]
            tracing.returned_rows(span, len(rows))
            return rows

    def _rows(self, query: LiteralString, params: dict[str, Any]) -> list[Row]:
        result = self._send(query, params)
        keys = result.keys()
        return [_row(record, keys) for record in result]

    def _send(self, query: LiteralString, params: dict[str, Any]) -> neo4j.Result:
        """Check the request's deadline (a request of many short statements stops at the next
        one), tell the listeners, and run the statement."""
        deadline.check()
        for listener in self._listeners:
            listener(query, params)
        return self._tx.run(query, params)

    def publish(self, event: FeedEvent) -> None:
        """Write `event` into this transaction's change feed entry (graph/db/feed.py): every
        process following the feed hears of it once the transaction has committed."""
        self.published.append(event)


class Graph:
    """The driver plus the database to use; the only way the app reaches the data."""

    def __init__(
        self, driver: Driver, database: str, *, tx_timeout: float = 0, tx_retry_time: float = 30
    ) -> None:
        self.driver = driver
        self.database = database
        self.tx_timeout = tx_timeout  # seconds; 0: none
        self.tx_retry_time = tx_retry_time  # seconds a write is tried again (see write_tx)
        self.bookmarks = neo4j.GraphDatabase.bookmark_manager()  # see _session
        # an embedded engine this process started: no other process writes to it (open_graph)
        self.engine_of_its_own = False
        self.listeners: list[StatementListener] = []
        # told the feed position of every write this process commits (graph/db/feed.py)
        self.commit_listeners: list[Callable[[int], None]] = []
        # makes a span for each statement run inside a traced operation (graph/db/tracing.py);
        # the API's no-op tracer until the server sets its own (server.py, create_app)
        self.tracer: Tracer = NoOpTracer()

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a read transaction (retried on transient errors)."""
        try:
            with self._session() as session:
                return session.execute_read(self._unit(work))
        except _AWAY as exc:
            raise _unavailable() from exc
        except neo4j.exceptions.ClientError as exc:
            if _is_timeout(exc):
                raise self._timed_out() from exc
            raise

    def write_tx(self, work: Callable[[Tx], T], *, topic: Topic = Topic.GRAPH) -> T:
        """Run `work` in a write transaction: all of it commits, or none of it. Its last
        statement appends the transaction's entry to the change feed (graph/db/feed.py) under
        `topic`, with the events `work` published (Topic.NONE: no entry, for schema changes).

        A broken uniqueness rule (which some engines report only at commit) is a Conflict; so
        is a transient error (a deadlock, a concurrent change to the same record) that still
        stands once the driver has retried `work` for GUANXI_TX_RETRY_TIME.
        """
        positions: list[int] = []  # the driver may retry: only the last attempt committed

        def attempt(tx: Tx) -> T:
            result = work(tx)
            if topic is not Topic.NONE:
                positions.append(feed.append(tx, topic))
            deadline.check()  # past the request's deadline: roll back rather than commit
            return result

        try:
            result = self._write_in_turn(attempt)
        except neo4j.exceptions.ConstraintError as exc:
            log.info("a write was refused by a uniqueness rule: %s", exc.message)
            raise Conflict(
                "another write took that id or external id at the same time; nothing was "
                "written: read the current state and try again"
            ) from exc
        except _AWAY as exc:
            raise _unavailable() from exc
        except neo4j.exceptions.TransientError as exc:
            # the driver retried for GUANXI_TX_RETRY_TIME and concurrent writes kept winning
            log.warning("a write gave up after retrying on concurrent writes: %s", exc.code)
            raise Conflict(
                "other writes kept changing the same records at the same time; nothing was "
                "written: try again"
            ) from exc
        except neo4j.exceptions.ClientError as exc:
            if _is_timeout(exc):
                raise self._timed_out() from exc
            raise
        for listener in list(self.commit_listeners) if positions else ():
            listener(positions[-1])
        return result

    def _write_in_turn(self, attempt: Callable[[Tx], T]) -> T:
        """Run the write transaction, again when it lost the race for the change feed's next
        position. Neo4j makes concurrent writers wait for the feed head's lock; the embedded
        engine lets them run and, at commit, refuses all but the first of the entries that
        took the same position, as a broken uniqueness rule (not a transient error, which the
        driver would retry itself): such a transaction is run again, after a short random
        pause, for up to GUANXI_TX_RETRY_TIME."""
        give_up = time.monotonic() + self.tx_retry_time
        pause = 0.002
        while True:
            try:
                with self._session() as session:
                    return session.execute_write(self._unit(attempt))
            except neo4j.exceptions.ConstraintError as exc:
                if feed.ENTRY_INDEX not in (exc.message or "") or time.monotonic() > give_up:
                    raise
            time.sleep(random.uniform(0, pause))
            pause = min(pause * 2, 0.1)

    def _session(self, mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        """A session that starts after every transaction this process has committed: on a
        Neo4j cluster a read routed to a follower waits until the follower has applied them
        (causal consistency within the process, by the bookmarks all sessions share; a single
        server, or the embedded engine, has nothing to wait for)."""
        return self.driver.session(
            database=self.database, bookmark_manager=self.bookmarks, default_access_mode=mode
        )

    def _unit(self, work: Callable[[Tx], T]) -> Callable[[ManagedTransaction], T]:
        """`work` as a transaction function, with the transaction timeout when one is set: the
        shorter of GUANXI_TX_TIMEOUT and what is left of the request's deadline."""

        def unit(tx: ManagedTransaction) -> T:
            return work(Tx(tx, self.listeners, self))

        timeouts = [self.tx_timeout] if self.tx_timeout > 0 else []
        left = deadline.remaining()
        if left is not None:
            deadline.check()
            timeouts.append(max(left, 0.001))
        if timeouts:
            return neo4j.unit_of_work(timeout=min(timeouts))(unit)
        return unit

    def _timed_out(self) -> TimedOut:
        expired = deadline.expired()
        if expired is not None:  # the request's deadline stopped it, not the statement's limit
            return expired
        log.warning("a transaction ran past GUANXI_TX_TIMEOUT (%g s): stopped", self.tx_timeout)
        return TimedOut(
            f"the query ran longer than the {self.tx_timeout:g} s limit (GUANXI_TX_TIMEOUT) "
            "and was stopped; ask for less (smaller pages, shorter paths) or try again later"
        )

    def read(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one read statement in its own transaction."""
        return self.read_tx(lambda tx: tx.run(query, **params))

    def read_once(self, query: LiteralString, **params: Any) -> list[Row]:
        """Run one read statement once, without the driver's retries: for a caller that tries
        again on its own (the change feed's follower), so that it hears at once that the
        database is away instead of after GUANXI_TX_RETRY_TIME."""
        for listener in self.listeners:
            listener(query, params)
        if not tracing.tracing():  # the follower's polls: in no operation, so no span
            return self._read_once(query, params)
        with tracing.statement_span(self.tracer, query, self.database) as span:
            rows = self._read_once(query, params)
            tracing.returned_rows(span, len(rows))
            return rows

    def _read_once(self, query: LiteralString, params: dict[str, Any]) -> list[Row]:
        try:
            with self._session(neo4j.READ_ACCESS) as session:
                result = session.run(query, params)
                keys = result.keys()
                return [_row(record, keys) for record in result]
        except _AWAY as exc:
            raise _unavailable() from exc

    def write(self, query: LiteralString, topic: Topic = Topic.GRAPH, **params: Any) -> list[Row]:
        """Run one write statement in its own transaction (and its feed entry, see write_tx)."""
        return self.write_tx(lambda tx: tx.run(query, **params), topic=topic)

    def close(self) -> None:
        self.driver.close()


@contextmanager
def open_graph(
    neo4j_settings: Neo4jSettings | None = None,
    engine_settings: EngineSettings | None = None,
    api_settings: ApiSettings | None = None,
) -> Generator[Graph, None, None]:
    """Connect to `NEO4J_URI`; when it is unset, to the embedded engine of GUANXI_DATA_DIR:
    the one already running there (a server's, which publishes how to reach it), else one
    started here. Close on exit, and stop the engine only if it was started here."""
    neo4j_settings = neo4j_settings or Neo4jSettings()
    api_settings = api_settings or ApiSettings()
    tx_timeout = api_settings.tx_timeout
    engine: EmbeddedEngine | None = None
    if neo4j_settings.uri:
        uri, database = neo4j_settings.uri, neo4j_settings.database
        auth = (neo4j_settings.username, neo4j_settings.password.get_secret_value())
    else:
        engine_settings = engine_settings or EngineSettings()
        endpoint = running_endpoint(engine_settings.data_dir)
        if endpoint is not None:
            # its statements keep the limit that engine's process set (arcadedb.command.timeout)
            log.info("using the engine already running on %s", engine_settings.data_dir)
        else:
            engine = EmbeddedEngine(
                engine_settings.data_dir,
                database="guanxi",
                heap=engine_settings.engine_heap,
                command_timeout=tx_timeout,
            )
            endpoint = engine.start()
        uri, database = endpoint.uri, endpoint.database
        auth = (endpoint.username, endpoint.password)
    driver = GraphDatabase.driver(
        uri, auth=auth, max_transaction_retry_time=api_settings.tx_retry_time
    )
    graph = Graph(driver, database, tx_timeout=tx_timeout, tx_retry_time=api_settings.tx_retry_time)
    graph.engine_of_its_own = engine is not None
    try:
        driver.verify_connectivity()
        yield graph
    finally:
        graph.close()  # the driver must close before the engine stops, or the JVM may hang
        if engine is not None:
            engine.stop()
