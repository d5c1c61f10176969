"""Schema setup and whole-database helpers."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager

import neo4j

from graph.cypher.db import admin, feed, setup
from graph.db.connection import Graph
from graph.db.errors import Conflict, GuanxiError
from graph.db.feed import Topic


def ensure_schema(graph: Graph) -> None:
    """Create the constraints and indexes that are missing (safe to run at every start)."""
    for statement in (
        *setup.CONSTRAINTS_AND_INDEXES,
        *setup.DEAL_SCHEMA,
        *setup.DELETED_SCHEMA,
        *setup.HISTORY_SCHEMA,
        *setup.IDEMPOTENCY_SCHEMA,
        *setup.INTERACTION_SCHEMA,
        *setup.TOKEN_SCHEMA,
        *feed.FEED_SCHEMA,
    ):
        graph.write(statement, Topic.NONE)


@contextmanager
def schema_lifted(graph: Graph) -> Generator[None, None, None]:
    """Lift the rules and indexes a first load into an empty database does not need
    (`LIFTED_FOR_FIRST_LOAD`) while it writes, and build them again when it ends, however it
    ends. Only while no one else writes: a rule lifted lets anyone's duplicate in. Should the
    process die meanwhile, the next `prepare` (the server's start, any `python -m seed`
    command) builds them."""
    try:
        for statement in setup.LIFTED_FOR_FIRST_LOAD:
            graph.write(statement, Topic.NONE)
        yield
    finally:
        try:
            ensure_schema(graph)
        except (Conflict, neo4j.exceptions.DatabaseError) as exc:
            # the embedded engine reports a rule it cannot build as a ConstraintError (a
            # Conflict here), Neo4j as Schema.ConstraintCreationFailed
            raise GuanxiError(
                "the load is written, but two edges of one kind share an id or external id, "
                "so their uniqueness rule could not be built again: remove one of them, then "
                f"restart the server ({exc})"
            ) from exc


def delete_everything(graph: Graph) -> None:
    """Remove every node and edge (tests and `seed --reset` only)."""
    graph.write(admin.DELETE_EVERYTHING)


def count_nodes_and_edges(graph: Graph) -> tuple[int, int]:
    row = graph.read(admin.COUNT_NODES_AND_EDGES)[0]
    return int(row["nodes"]), int(row["edges"])


def ping(graph: Graph) -> bool:
    """Whether the database answers a trivial statement now (one try, no retries)."""
    with graph.driver.session(database=graph.database) as session:
        return bool(session.run(admin.PING).single(strict=True)["ok"] == 1)
