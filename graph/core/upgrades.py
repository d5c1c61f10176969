"""Data upgrades run at start-up: derived data that a database written by an older version
lacks is computed once, in batches, and a marker node says it is done."""

from __future__ import annotations

import logging
from collections.abc import Callable

from graph.core import search
from graph.core.figures import backfill_figures
from graph.cypher.core import upgrades as cypher
from graph.db.connection import Graph
from graph.db.setup import ensure_schema

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what, done, total)


def _log_progress(what: str, done: int, total: int) -> None:
    log.info("upgrade: %s %d/%d", what, done, total)


def upgrade(graph: Graph, progress: Progress = _log_progress) -> list[str]:
    """Apply the upgrades this database has not had yet; returns their names."""
    applied: list[str] = []
    # (name, what applies it, the later upgrades it makes needless): keys written now have
    # their ranks, so a database that gets its first keys needs no second pass for them
    steps: tuple[
        tuple[str, Callable[[Graph, Callable[[int, int], None]], None], tuple[str, ...]], ...
    ] = (
        ("search-keys", search.backfill_search_keys, ("search-key-ranks",)),
        # the keys again, with what they say of a short term and their item (SearchKey)
        ("search-key-ranks", search.backfill_search_keys, ()),
    )
    for name, apply, covers in steps:
        if graph.read(cypher.UPGRADE_DONE, name=name)[0]["done"]:
            continue

        def step(done: int, total: int, name: str = name) -> None:
            progress(name, done, total)

        apply(graph, step)
        for done in (name, *covers):
            graph.write(cypher.UPGRADE_MARK, name=done)
        applied.append(name)
    return applied


def prepare(graph: Graph, progress: Progress = _log_progress) -> None:
    """Make the database ready for this version: constraints and indexes, the upgrades it
    has not had, and the figures of items stored without them (graph/core/figures.py)."""
    ensure_schema(graph)
    upgrade(graph, progress)
    backfill_figures(graph)
