"""Writes for every kind: run the graph write off the event loop and answer with the item as
the write left it (read back in its own transaction, so a later write cannot show through);
the request's loader is primed with it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from strawberry.dataloader import DataLoader

from graph.core import writes
from graph.core.history import ChangeNote
from graph.core.inputs import Fields, Patch
from graph.core.kinds import (
    COMPANY,
    COMPANY_RELATIONSHIP,
    PERSON,
    REFERRAL,
    RELATIONSHIP,
    ROLE,
    EdgeKind,
    NodeKind,
)
from resolvers.context import Context, Loaders, off_loop
from resolvers.scope import as_seen


class _Item(Protocol):
    @property
    def id(self) -> str: ...


M = TypeVar("M", bound=_Item)
F = TypeVar("F", bound=Fields)

_LOADERS: dict[str, Callable[[Loaders], DataLoader[str, Any]]] = {
    COMPANY.name: lambda loaders: loaders.companies,
    PERSON.name: lambda loaders: loaders.people,
    ROLE.name: lambda loaders: loaders.roles,
    RELATIONSHIP.name: lambda loaders: loaders.relationships,
    COMPANY_RELATIONSHIP.name: lambda loaders: loaders.company_relationships,
    REFERRAL.name: lambda loaders: loaders.referrals,
}


def loader_of(ctx: Context, kind: NodeKind[Any, Any] | EdgeKind[Any, Any]) -> DataLoader[str, Any]:
    """The request's loader of items of `kind`."""
    return _LOADERS[kind.name](ctx.loaders)


def written(ctx: Context, kind: NodeKind[M, Any] | EdgeKind[M, Any], item: M) -> M:
    """`item`, as a write answered with it, now what this request's loader gives for its id."""
    loader = loader_of(ctx, kind)
    with contextlib.suppress(KeyError):  # nothing cached yet
        loader.clear(item.id)
    item = as_seen(ctx.visibility(), item)  # a person's stored figures, for a scoped credential
    loader.prime(item.id, item)
    return item


async def create_node(
    ctx: Context,
    kind: NodeKind[M, F],
    fields: F,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> M:
    item = await off_loop(
        writes.create_node, ctx.graph, kind, fields, note=note, idempotency_key=idempotency_key
    )
    return written(ctx, kind, item)


async def update_node(
    ctx: Context, kind: NodeKind[M, Any], id_: str, patch: Patch, note: ChangeNote | None = None
) -> M:
    item = await off_loop(writes.update_node, ctx.graph, kind, id_, patch, note=note)
    return written(ctx, kind, item)


async def upsert_node(
    ctx: Context,
    kind: NodeKind[M, F],
    external_id: str,
    fields: F,
    note: ChangeNote | None = None,
) -> M:
    item = await off_loop(writes.upsert_node, ctx.graph, kind, external_id, fields, note=note)
    return written(ctx, kind, item)


async def delete_node(
    ctx: Context, kind: NodeKind[Any, Any], id_: str, force: bool, note: ChangeNote | None = None
) -> str:
    await off_loop(writes.delete_node, ctx.graph, kind, id_, force=force, note=note)
    return id_


async def create_edge(
    ctx: Context,
    kind: EdgeKind[M, F],
    ends: tuple[str, str],
    fields: F,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> M:
    """Create an edge of `kind` between `ends` (from, to)."""
    item = await off_loop(
        writes.create_edge,
        ctx.graph,
        kind,
        ends[0],
        ends[1],
        fields,
        note=note,
        idempotency_key=idempotency_key,
    )
    return written(ctx, kind, item)


async def update_edge(
    ctx: Context,
    kind: EdgeKind[M, Any],
    id_: str,
    patch: Patch,
    note: ChangeNote | None = None,
    expected_version: int | None = None,
) -> M:
    item = await off_loop(
        writes.update_edge,
        ctx.graph,
        kind,
        id_,
        patch,
        note=note,
        expected_version=expected_version,
    )
    return written(ctx, kind, item)


async def upsert_edge(
    ctx: Context,
    kind: EdgeKind[M, F],
    external_id: str,
    ends: tuple[str, str],
    fields: F,
    note: ChangeNote | None = None,
) -> M:
    item = await off_loop(
        writes.upsert_edge, ctx.graph, kind, external_id, ends[0], ends[1], fields, note=note
    )
    return written(ctx, kind, item)


async def delete_edge(
    ctx: Context, kind: EdgeKind[Any, Any], id_: str, note: ChangeNote | None = None
) -> str:
    await off_loop(writes.delete_edge, ctx.graph, kind, id_, note=note)
    return id_
