"""Faults injected between our code and the real database (which still does all the work).

`CommitTwice` wraps the driver so that every write transaction function runs twice, each run
committing: what happens when a commit succeeds but its answer is lost (a dropped connection)
and the driver, or the client, runs the transaction again. `FailFirstAttempt` raises a
transient error inside the first attempt of each write transaction, before it commits, as a
deadlock or a leader switch would; the driver then retries it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import Driver

from graph.db.connection import Graph


class _Session:
    def __init__(self, session: neo4j.Session, runs: int) -> None:
        self._session = session
        self._runs = runs

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.close()

    def execute_write(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = None
        for _ in range(self._runs):  # each run is its own transaction, and commits
            result = self._session.execute_write(work, *args, **kwargs)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _RunTwiceDriver:
    def __init__(self, driver: Driver) -> None:
        self._driver = driver

    def session(self, **config: Any) -> _Session:
        return _Session(self._driver.session(**config), runs=2)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


@contextmanager
def commit_twice(graph: Graph) -> Iterator[None]:
    """While inside: every write transaction of `graph` commits, then runs and commits again."""
    real = graph.driver
    graph.driver = _RunTwiceDriver(real)  # type: ignore[assignment]
    try:
        yield
    finally:
        graph.driver = real


@contextmanager
def fail_first_attempt(graph: Graph, statement_marker: str) -> Iterator[list[int]]:
    """While inside: the first statement containing `statement_marker` in each transaction
    raises a transient error once per two runs (so the driver's retry succeeds). Yields the
    list of failures injected."""
    failures: list[int] = []
    seen: list[int] = [0]

    def listener(query: str, params: dict[str, Any]) -> None:
        if statement_marker in query:
            seen[0] += 1
            if seen[0] % 2 == 1:
                failures.append(seen[0])
                raise neo4j.exceptions.TransientError(
                    "Neo.TransientError.Transaction.DeadlockDetected", "injected by the test"
                )

    graph.listeners.append(listener)
    try:
        yield failures
    finally:
        graph.listeners.remove(listener)
