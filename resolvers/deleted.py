"""Deleted companies and people: the list of what can still be restored, and restores."""

from __future__ import annotations

from typing import Any

from graph.core import deleted, writes
from graph.core.history import ChangeNote
from graph.core.kinds import NodeKind
from graph.core.models import Page
from resolvers.context import Context, off_loop
from resolvers.writes import M, written


async def deleted_page(
    ctx: Context, kind_name: str | None, offset: int, limit: int
) -> Page[deleted.DeletedItem]:
    return await off_loop(deleted.deleted_page, ctx.graph, kind_name, offset, limit)


async def restore_node(
    ctx: Context, kind: NodeKind[M, Any], id_: str, note: ChangeNote | None = None
) -> M:
    """Restore a deleted company or person; answers with it as restored."""
    item = await off_loop(writes.restore_node, ctx.graph, kind, id_, note=note)
    return written(ctx, kind, item)
