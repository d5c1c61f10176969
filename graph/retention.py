"""What is kept only for a while: deleted items' archives and idempotency keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.connection import Graph
from graph.deleted import purge_deleted
from graph.idempotency import purge_keys
from graph.settings import RetentionSettings


@dataclass(frozen=True)
class Purged:
    deleted_items: int
    idempotency_keys: int


def purge_expired(graph: Graph, settings: RetentionSettings | None = None) -> Purged:
    """Purge deleted items past GUANXI_DELETED_RETENTION_DAYS and keys past
    GUANXI_IDEMPOTENCY_DAYS."""
    settings = settings or RetentionSettings()
    now = dt.datetime.now(dt.UTC)
    return Purged(
        deleted_items=purge_deleted(
            graph, now - dt.timedelta(days=settings.deleted_retention_days)
        ),
        idempotency_keys=purge_keys(graph, now - dt.timedelta(days=settings.idempotency_days)),
    )
