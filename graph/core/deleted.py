"""Soft deletes: archive a deleted company or person, restore it, list the archives.

A deleted company or person is moved, with its edges (and a company's deals), into a
(:DeletedItem) archive (graph/cypher/core/deleted.py says how), so that no query finds it, and can
be restored with all of it within GUANXI_DELETED_RETENTION_DAYS; after that graph/core/retention.py
purges it.
`writes.delete_node` and `writes.restore_node` call the transaction-level steps here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph.core.events import ItemArchived
from graph.core.history import from_ms, to_ms
from graph.core.kinds import COMPANY, PERSON, NodeKind
from graph.core.models import Page
from graph.cypher.core import deleted as cypher
from graph.db import recorder
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound
from graph.db.settings import RetentionSettings

KINDS = (COMPANY.name, PERSON.name)  # the kinds of node a delete archives


@dataclass(frozen=True)
class DeletedItem:
    """A deleted company or person, restorable until `purge_at`."""

    id: str
    kind: str
    name: str
    deleted_at: dt.datetime
    deleted_by: str | None  # on whose behalf, as the client wrote it
    purge_at: dt.datetime
    credential: str | None = None  # the credential that deleted it (None: before it was kept)


def _retention() -> dt.timedelta:
    return dt.timedelta(days=RetentionSettings().deleted_retention_days)


def _item(row: dict[str, object], item_id: str, retention: dt.timedelta) -> DeletedItem:
    deleted_at = from_ms(int(str(row["deletedAtMs"])))
    return DeletedItem(
        id=item_id,
        kind=str(row["kind"]),
        name=str(row["name"]),
        deleted_at=deleted_at,
        deleted_by=None if row["deletedBy"] is None else str(row["deletedBy"]),
        purge_at=deleted_at + retention,
        credential=None if row.get("credential") is None else str(row["credential"]),
    )


def archive_in(tx: Tx, kind: NodeKind[Any, Any], item_id: str, by: str | None) -> None:
    """Move a company or person and everything attached to it into its archive, with the
    credential that deletes it (graph/db/recorder.py)."""
    steps = kind.archive
    now = to_ms(dt.datetime.now(dt.UTC))
    tx.run(
        steps.archive_node,
        id=item_id,
        kind=kind.name,
        deletedAtMs=now,
        by=by,
        credential=recorder.current(),
    )
    tx.run(steps.repoint_to_archive, id=item_id)
    if steps.has_deals:
        tx.run(cypher.ARCHIVE_DEALS, id=item_id)
    tx.run(kind.search_keys.clear, ids=[item_id])  # restore_node writes them again
    tx.run(steps.archive_edges, id=item_id)
    tx.run(steps.remove_node, id=item_id)
    tx.publish(ItemArchived(kind.name, item_id, restored=False))


def restore_in(tx: Tx, kind: NodeKind[Any, Any], item_id: str) -> DeletedItem:
    """Put an archived company or person back with its edges (and deals); returns what the
    archive said. NotFound when there is no such archive, InvalidInput past the window,
    Conflict when its external id now names another."""
    kind_name = kind.name
    rows = tx.run(cypher.DELETED_FIND, id=item_id)
    if not rows or rows[0]["kind"] != kind_name:
        raise NotFound(f"deleted {kind_name}", item_id, field="id")
    retention = _retention()
    item = _item(rows[0], item_id, retention)
    if item.purge_at <= dt.datetime.now(dt.UTC):
        raise InvalidInput(
            f"{kind_name} '{item_id}' was deleted on {item.deleted_at:%Y-%m-%d}, past the "
            f"retention window of {retention.days} days: it can no longer be restored",
            field="id",
        )
    external_id = rows[0]["externalId"]
    by_external_id = kind.statements.props_by_external_id
    if external_id is not None and tx.run(by_external_id, externalId=external_id):
        raise Conflict(
            f"{kind_name} '{item_id}' cannot come back: its externalId "
            f"'{external_id}' now names another {kind_name}; change that one first",
            field="id",
        )
    steps = kind.archive
    tx.run(steps.restore_node, id=item_id)
    tx.run(steps.repoint_to_live, id=item_id)
    if steps.has_deals:
        tx.run(cypher.RESTORE_DEALS, id=item_id)
    for statement in steps.restore_edges:
        tx.run(statement, id=item_id)
    tx.run(steps.move_pending, id=item_id)
    left = int(tx.run(cypher.DELETED_LEFT_OVER, id=item_id)[0]["edges"])
    if left:  # an edge of a type the restore does not know: refuse rather than lose it
        raise Conflict(f"{kind_name} '{item_id}': {left} archived edge(s) could not be restored")
    tx.run(cypher.DELETED_REMOVE, id=item_id)
    tx.publish(ItemArchived(kind_name, item_id, restored=True))
    return item


def deleted_page(graph: Graph, kind_name: str | None, offset: int, limit: int) -> Page[DeletedItem]:
    """Deleted companies and people (of one kind if given), the latest deleted first."""
    if kind_name is not None and kind_name not in KINDS:
        raise InvalidInput(f"kind: one of {', '.join(KINDS)}", field="kind")
    rows = graph.read(cypher.DELETED_PAGE, kind=kind_name, offset=offset, limit=limit)
    total = int(graph.read(cypher.DELETED_COUNT, kind=kind_name)[0]["total"])
    retention = _retention()
    return Page([_item(row, str(row["id"]), retention) for row in rows], total, offset)
