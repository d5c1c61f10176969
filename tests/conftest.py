"""Fixtures: one embedded engine for the whole session, an empty graph per test, a client.

Every statement executed during the session is recorded for test_cypher_compat, which runs
last and checks them all with Neo4j's own semantic analysis.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.testclient import TestClient

import server
from graph.analysis import network
from graph.auth.credentials import AuthSettings, Principal, issue_jwt
from graph.auth.tokens import Role
from graph.db import cache, recorder
from graph.db.connection import Graph, open_graph
from graph.db.engine import BoltEndpoint, EmbeddedEngine
from graph.db.feed import FOLLOWER_THREAD
from graph.db.settings import EngineSettings
from graph.db.setup import count_nodes_and_edges, delete_everything, ensure_schema
from server import create_app

# The apps the fixtures build accept JWTs signed with this secret; `client` sends an admin's.
AUTH = AuthSettings(jwt_secret=SecretStr("test-secret-" + "x" * 32))
# For executing the schema directly, without HTTP: an admin's context.
ADMIN = Principal(subject="test", role=Role.ADMIN, via="jwt")


def auth_headers(
    role: Role = Role.ADMIN, subject: str = "test", teams: frozenset[str] | None = None
) -> dict[str, str]:
    """An Authorization header with a JWT of `role` (and `teams`: every customer's when None)
    that the fixtures' apps accept."""
    return {"Authorization": f"Bearer {issue_jwt(subject, role, AUTH, teams=teams)}"}


class StatementLog:
    """Every statement run, with its parameter names, in order."""

    def __init__(self) -> None:
        self.executed: list[tuple[str, frozenset[str]]] = []
        self.counted: list[str] = []  # what `count_during` counts: not the feed's polls
        self.compat_line: str | None = None  # set by test_cypher_compat

    def __call__(self, query: str, params: dict[str, Any]) -> None:
        self.executed.append((query, frozenset(params)))
        if threading.current_thread().name != FOLLOWER_THREAD:  # a server's poll is no request's
            self.counted.append(query)

    def count_during(self) -> StatementCounter:
        return StatementCounter(self)


class StatementCounter:
    """Counts the statements (database round trips) run inside a `with` block."""

    def __init__(self, log: StatementLog) -> None:
        self._log = log
        self._start = 0
        self.count = 0

    def __enter__(self) -> StatementCounter:
        self._start = len(self._log.counted)
        return self

    def __exit__(self, *exc: object) -> None:
        self.count = len(self._log.counted) - self._start


STATEMENTS = StatementLog()
EXIT_STATUS = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the Cypher compatibility figures in every run, captured output or not."""
    if STATEMENTS.compat_line:
        terminalreporter.write_line(STATEMENTS.compat_line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process once pytest has reported everything.

    The embedded engine's JVM lives in this process; its threads can outlast the engine and
    now and then crash Python's own shutdown (a segfault after "N passed"), which would turn
    a green run red. Skipping that shutdown keeps the exit status the tests earned.
    """
    network.stop_worker()  # a child process left running would hold the output pipes open
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash.get(EXIT_STATUS, 0))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Cypher compatibility check after everything else has executed its statements."""
    items.sort(key=lambda item: item.path.name == "test_cypher_compat.py")


@pytest.fixture(scope="session")
def embedded_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    """One embedded engine for the session, started the way the app starts it (so it
    publishes itself in its data directory, as the app's engine does for `python -m seed`)."""
    engine = EmbeddedEngine(tmp_path_factory.mktemp("engine"), database="guanxi")
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def engine_endpoint(embedded_engine: EmbeddedEngine) -> BoltEndpoint:
    """How to reach the session's engine over Bolt."""
    return embedded_engine.start()  # started already: its endpoint


@pytest.fixture(scope="session")
def engine_graph(
    engine_endpoint: BoltEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Graph]:
    """The suite reaches the engine through the NEO4J_URI path, as it would reach Neo4j."""
    unused = tmp_path_factory.mktemp("unused") / "engine"
    with open_graph(engine_endpoint.neo4j_settings(), EngineSettings(data_dir=unused)) as graph:
        assert not unused.exists(), "with NEO4J_URI set, no embedded engine may start"
        graph.listeners.append(STATEMENTS)
        ensure_schema(graph)
        yield graph


@pytest.fixture(scope="session")
def other_engine_graph(engine_endpoint: BoltEndpoint) -> Iterator[Graph]:
    """A second connection to the session's engine, as another server process has: its own
    driver, its own follower of the change feed, its own cached results."""
    with open_graph(engine_endpoint.neo4j_settings()) as graph:
        graph.listeners.append(STATEMENTS)
        yield graph


@pytest.fixture
def other_graph(graph: Graph, other_engine_graph: Graph) -> Graph:
    """The graph of `graph` (emptied), through the second connection: another process."""
    return other_engine_graph


@pytest.fixture
def graph(engine_graph: Graph) -> Graph:
    """The session's graph, emptied before the test, with no cached results of earlier ones."""
    delete_everything(engine_graph)
    cache.clear()
    return engine_graph


# What a test changes by calling graph/ directly is recorded as made by this credential (the
# server sets each operation's own: graph/db/recorder.py; the app's threads do not inherit it).
TEST_RECORDER = "test:direct"


@pytest.fixture(autouse=True)
def recorded_as_test() -> Iterator[None]:
    with recorder.recording_as(TEST_RECORDER):
        yield


@pytest.fixture
def statements() -> StatementLog:
    return STATEMENTS


def make_app(graph: Graph) -> Starlette:
    """The app over `graph`, without demo data or a development token, accepting AUTH's JWTs."""
    return create_app(lambda: contextlib.nullcontext(graph), demo_data=False, auth=AUTH)


@pytest.fixture
def client(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client of the app, authenticated as an admin (per request: headers=auth_headers(...)).

    The app purges expired items and warms its caches as it starts, in the background; the
    client is handed over once both have finished, so that their statements (and retries)
    cannot land among the ones a test counts, nor a purge's writes expire a cached result
    mid-test.
    """
    purged = _tell_when_done(monkeypatch, "purge_expired")
    warmed = _tell_when_done(monkeypatch, "warm_caches")
    with TestClient(make_app(graph), headers=auth_headers(Role.ADMIN)) as test_client:
        assert purged.wait(60), "the app's start-up purge did not finish within 60 s"
        assert warmed.wait(60), "the app's start-up warming did not finish within 60 s"
        yield test_client


def _tell_when_done(monkeypatch: pytest.MonkeyPatch, name: str) -> threading.Event:
    """Wrap server.`name` (a start-up task given the graph) so that the event is set when it
    ends, however it ends."""
    done = threading.Event()
    task: Callable[[Graph], object] = getattr(server, name)

    def task_and_tell(target: Graph) -> object:
        try:
            return task(target)
        finally:
            done.set()

    monkeypatch.setattr(server, name, task_and_tell)
    return done


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation; returns the whole JSON response."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation that must succeed; returns its data."""
    body = gql(client, query, **variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def error(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation that must fail; returns its single error."""
    body = gql(client, query, **variables)
    assert body.get("errors"), body
    assert len(body["errors"]) == 1, body["errors"]
    first: dict[str, Any] = body["errors"][0]
    return first


def counts(graph: Graph) -> tuple[int, int]:
    return count_nodes_and_edges(graph)
