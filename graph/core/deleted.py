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
from typing import LiteralString

from graph.core.history import from_ms, to_ms
from graph.core.models import Page
from graph.cypher.core import deleted as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound
from graph.db.settings import RetentionSettings


@dataclass(frozen=True)
class _Statements:
    archive_node: LiteralString
    repoint_to_archive: LiteralString
    archive_edges: LiteralString
    remove_node: LiteralString
    restore_node: LiteralString
    repoint_to_live: LiteralString
    restore_edges: tuple[LiteralString, ...]
    move_pending: LiteralString
    has_deals: bool


_STATEMENTS = {
    "company": _Statements(
        cypher.COMPANY_ARCHIVE_NODE,
        cypher.COMPANY_REPOINT_TO_ARCHIVE,
        cypher.COMPANY_ARCHIVE_EDGES,
        cypher.COMPANY_REMOVE_NODE,
        cypher.COMPANY_RESTORE_NODE,
        cypher.COMPANY_REPOINT_TO_LIVE,
        cypher.COMPANY_RESTORE_EDGES,
        cypher.COMPANY_MOVE_PENDING,
        has_deals=True,
    ),
    "person": _Statements(
        cypher.PERSON_ARCHIVE_NODE,
        cypher.PERSON_REPOINT_TO_ARCHIVE,
        cypher.PERSON_ARCHIVE_EDGES,
        cypher.PERSON_REMOVE_NODE,
        cypher.PERSON_RESTORE_NODE,
        cypher.PERSON_REPOINT_TO_LIVE,
        cypher.PERSON_RESTORE_EDGES,
        cypher.PERSON_MOVE_PENDING,
        has_deals=False,
    ),
}
KINDS = tuple(_STATEMENTS)


@dataclass(frozen=True)
class DeletedItem:
    """A deleted company or person, restorable until `purge_at`."""

    id: str
    kind: str
    name: str
    deleted_at: dt.datetime
    deleted_by: str | None
    purge_at: dt.datetime


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
    )


def archive_in(tx: Tx, kind_name: str, item_id: str, by: str | None) -> None:
    """Move a company or person and everything attached to it into its archive."""
    steps = _STATEMENTS[kind_name]
    now = to_ms(dt.datetime.now(dt.UTC))
    tx.run(steps.archive_node, id=item_id, kind=kind_name, deletedAtMs=now, by=by)
    tx.run(steps.repoint_to_archive, id=item_id)
    if steps.has_deals:
        tx.run(cypher.ARCHIVE_DEALS, id=item_id)
    tx.run(steps.archive_edges, id=item_id)
    tx.run(steps.remove_node, id=item_id)


def restore_in(tx: Tx, kind_name: str, item_id: str, by_external_id: LiteralString) -> DeletedItem:
    """Put an archived company or person back with its edges (and deals); returns what the
    archive said. NotFound when there is no such archive, InvalidInput past the window,
    Conflict when its external id now names another (`by_external_id` finds a live one)."""
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
    if external_id is not None and tx.run(by_external_id, externalId=external_id):
        raise Conflict(
            f"{kind_name} '{item_id}' cannot come back: its externalId "
            f"'{external_id}' now names another {kind_name}; change that one first",
            field="id",
        )
    steps = _STATEMENTS[kind_name]
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
    return item


def deleted_page(graph: Graph, kind_name: str | None, offset: int, limit: int) -> Page[DeletedItem]:
    """Deleted companies and people (of one kind if given), the latest deleted first."""
    if kind_name is not None and kind_name not in _STATEMENTS:
        raise InvalidInput(f"kind: one of {', '.join(KINDS)}", field="kind")
    rows = graph.read(cypher.DELETED_PAGE, kind=kind_name, offset=offset, limit=limit)
    total = int(graph.read(cypher.DELETED_COUNT, kind=kind_name)[0]["total"])
    retention = _retention()
    return Page([_item(row, str(row["id"]), retention) for row in rows], total, offset)
