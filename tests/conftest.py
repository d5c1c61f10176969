"""Fixtures: one embedded engine for the whole session, an empty graph per test, a client.

Every statement executed during the session is recorded for test_cypher_compat, which runs
last and checks them all with Neo4j's own semantic analysis.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.connection import Graph, open_graph
from graph.settings import EngineSettings, Neo4jSettings
from graph.setup import count_nodes_and_edges, delete_everything, ensure_schema
from server import create_app


class StatementLog:
    """Every statement run, with its parameter names, in order."""

    def __init__(self) -> None:
        self.executed: list[tuple[str, frozenset[str]]] = []

    def __call__(self, query: str, params: dict[str, Any]) -> None:
        self.executed.append((query, frozenset(params)))

    def count_during(self) -> StatementCounter:
        return StatementCounter(self)


class StatementCounter:
    """Counts the statements (database round trips) run inside a `with` block."""

    def __init__(self, log: StatementLog) -> None:
        self._log = log
        self._start = 0
        self.count = 0

    def __enter__(self) -> StatementCounter:
        self._start = len(self._log.executed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.count = len(self._log.executed) - self._start


STATEMENTS = StatementLog()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Cypher compatibility check after everything else has executed its statements."""
    items.sort(key=lambda item: item.path.name == "test_cypher_compat.py")


@pytest.fixture(scope="session")
def engine_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    data_dir: Path = tmp_path_factory.mktemp("engine")
    with open_graph(Neo4jSettings(uri=None), EngineSettings(data_dir=data_dir)) as graph:
        graph.listeners.append(STATEMENTS)
        ensure_schema(graph)
        yield graph


@pytest.fixture
def graph(engine_graph: Graph) -> Graph:
    """The session's graph, emptied before the test."""
    delete_everything(engine_graph)
    return engine_graph


@pytest.fixture
def statements() -> StatementLog:
    return STATEMENTS


@pytest.fixture
def client(graph: Graph) -> Iterator[TestClient]:
    app = create_app(lambda: contextlib.nullcontext(graph), demo_data=False)
    with TestClient(app) as test_client:
        yield test_client


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
