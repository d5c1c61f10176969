"""Writes for every kind: run the graph write off the event loop, then return the fresh item."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from strawberry.dataloader import DataLoader

from graph.core import writes
from graph.core.history import ChangeNote
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
from graph.core.models import CompanyRelationship, PersonRelationship
from graph.db.errors import NotFound
from resolvers.context import Context, Loaders, off_loop, reload

_LOADERS: dict[str, Callable[[Loaders], DataLoader[str, Any]]] = {
    COMPANY.name: lambda loaders: loaders.companies,
    PERSON.name: lambda loaders: loaders.people,
    ROLE.name: lambda loaders: loaders.roles,
    RELATIONSHIP.name: lambda loaders: loaders.relationships,
    COMPANY_RELATIONSHIP.name: lambda loaders: loaders.company_relationships,
    REFERRAL.name: lambda loaders: loaders.referrals,
}


# kinds whose updates answer with the state they wrote (read back in their transaction)
_READ_BACK: dict[str, Callable[[dict[str, Any]], Any]] = {
    RELATIONSHIP.name: PersonRelationship.from_row,
    COMPANY_RELATIONSHIP.name: CompanyRelationship.from_row,
}


def loader_of(ctx: Context, kind: NodeKind | EdgeKind) -> DataLoader[str, Any]:
    """The request's loader of items of `kind`."""
    return _LOADERS[kind.name](ctx.loaders)


async def _fresh(ctx: Context, kind: NodeKind | EdgeKind, id_: str) -> Any:
    found = await reload(loader_of(ctx, kind), id_)
    if found is None:
        raise NotFound(kind.name, id_)
    return found


async def create_node(
    ctx: Context,
    kind: NodeKind,
    data: dict[str, Any],
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> Any:
    id_ = await off_loop(
        writes.create_node, ctx.graph, kind, data, note=note, idempotency_key=idempotency_key
    )
    return await _fresh(ctx, kind, id_)


async def update_node(
    ctx: Context, kind: NodeKind, id_: str, patch: dict[str, Any], note: ChangeNote | None = None
) -> Any:
    await off_loop(writes.update_node, ctx.graph, kind, id_, patch, note=note)
    return await _fresh(ctx, kind, id_)


async def upsert_node(
    ctx: Context,
    kind: NodeKind,
    external_id: str,
    data: dict[str, Any],
    note: ChangeNote | None = None,
) -> Any:
    id_ = await off_loop(writes.upsert_node, ctx.graph, kind, external_id, data, note=note)
    return await _fresh(ctx, kind, id_)


async def delete_node(
    ctx: Context, kind: NodeKind, id_: str, force: bool, note: ChangeNote | None = None
) -> str:
    await off_loop(writes.delete_node, ctx.graph, kind, id_, force=force, note=note)
    return id_


def _ends(kind: EdgeKind, data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in (kind.from_field, kind.to_field)}
    return str(data[kind.from_field]), str(data[kind.to_field]), fields


async def create_edge(
    ctx: Context,
    kind: EdgeKind,
    data: dict[str, Any],
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> Any:
    """Create an edge of `kind` from API input holding both ends' ids."""
    from_id, to_id, fields = _ends(kind, data)
    id_ = await off_loop(
        writes.create_edge,
        ctx.graph,
        kind,
        from_id,
        to_id,
        fields,
        note=note,
        idempotency_key=idempotency_key,
    )
    return await _fresh(ctx, kind, id_)


async def update_edge(
    ctx: Context,
    kind: EdgeKind,
    id_: str,
    patch: dict[str, Any],
    note: ChangeNote | None = None,
    expected_version: int | None = None,
) -> Any:
    parse = _READ_BACK.get(kind.name)
    if parse is None:
        await off_loop(
            writes.update_edge,
            ctx.graph,
            kind,
            id_,
            patch,
            note=note,
            expected_version=expected_version,
        )
        return await _fresh(ctx, kind, id_)
    # the edge as this write left it, not as a later write may have left it since
    row = await off_loop(
        writes.update_versioned_edge,
        ctx.graph,
        kind,
        id_,
        patch,
        note=note,
        expected_version=expected_version,
    )
    written = parse(row)
    loader = loader_of(ctx, kind)
    with contextlib.suppress(KeyError):  # nothing cached yet
        loader.clear(id_)
    loader.prime(id_, written)
    return written


async def upsert_edge(
    ctx: Context,
    kind: EdgeKind,
    external_id: str,
    data: dict[str, Any],
    note: ChangeNote | None = None,
) -> Any:
    from_id, to_id, fields = _ends(kind, data)
    id_ = await off_loop(
        writes.upsert_edge, ctx.graph, kind, external_id, from_id, to_id, fields, note=note
    )
    return await _fresh(ctx, kind, id_)


async def delete_edge(
    ctx: Context, kind: EdgeKind, id_: str, note: ChangeNote | None = None
) -> str:
    await off_loop(writes.delete_edge, ctx.graph, kind, id_, note=note)
    return id_
