"""What is kept only for a while: deleted items' archives, idempotency keys and the change
feed's entries; purged by the server every hour and by `python -m seed purge`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import LiteralString

from graph.core.history import to_ms
from graph.cypher.core import deleted, idempotency
from graph.cypher.db import feed
from graph.db.connection import Graph
from graph.db.feed import Topic
from graph.db.settings import FeedSettings, RetentionSettings


@dataclass(frozen=True)
class Purged:
    deleted_items: int
    idempotency_keys: int
    feed_entries: int = 0


def _in_batches(graph: Graph, statement: LiteralString, before: dt.datetime, batch: int) -> int:
    """Run a purge statement (returning `purged`) until a batch comes back short."""
    purged = 0
    while True:
        rows = graph.write(statement, Topic.HOUSEKEEPING, beforeMs=to_ms(before), limit=batch)
        count = int(rows[0]["purged"]) if rows else 0
        purged += count
        if count < batch:
            return purged


def purge_deleted(graph: Graph, before: dt.datetime | None = None, batch: int = 1_000) -> int:
    """Purge the archives of items deleted before `before` (by default: the retention window
    ago), with their archived edges and deals; returns how many."""
    days = RetentionSettings().deleted_retention_days
    before = before or dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return _in_batches(graph, deleted.DELETED_PURGE, before, batch)


def purge_keys(graph: Graph, before: dt.datetime, batch: int = 10_000) -> int:
    """Forget the idempotency keys remembered before `before`; returns how many."""
    return _in_batches(graph, idempotency.IDEMPOTENCY_PURGE, before, batch)


def purge_feed(graph: Graph, before: dt.datetime, batch: int = 10_000) -> int:
    """Forget the change feed's entries appended before `before`; returns how many."""
    return _in_batches(graph, feed.FEED_PURGE, before, batch)


def purge_expired(
    graph: Graph,
    settings: RetentionSettings | None = None,
    feed_settings: FeedSettings | None = None,
) -> Purged:
    """Purge deleted items past GUANXI_DELETED_RETENTION_DAYS, keys past
    GUANXI_IDEMPOTENCY_DAYS and feed entries past GUANXI_FEED_RETENTION_DAYS."""
    settings = settings or RetentionSettings()
    feed_days = (feed_settings or FeedSettings()).retention_days
    now = dt.datetime.now(dt.UTC)
    return Purged(
        deleted_items=purge_deleted(
            graph, now - dt.timedelta(days=settings.deleted_retention_days)
        ),
        idempotency_keys=purge_keys(graph, now - dt.timedelta(days=settings.idempotency_days)),
        feed_entries=purge_feed(graph, now - dt.timedelta(days=feed_days)),
    )
