"""Roles, person and company relationships, referrals: look-ups, lists and writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph import reads, writes
from graph.errors import NotFound
from graph.kinds import COMPANY_RELATIONSHIP, REFERRAL, RELATIONSHIP, ROLE, EdgeKind
from graph.models import CompanyRelationship, Page, PersonRelationship, Referral, Role
from resolvers.context import Context, Loaders, off_loop, reload

T = TypeVar("T")

_LOADERS: dict[str, Callable[[Loaders], DataLoader[str, Any]]] = {
    ROLE.name: lambda loaders: loaders.roles,
    RELATIONSHIP.name: lambda loaders: loaders.relationships,
    COMPANY_RELATIONSHIP.name: lambda loaders: loaders.company_relationships,
    REFERRAL.name: lambda loaders: loaders.referrals,
}


async def _fresh(ctx: Context, kind: EdgeKind, id_: str) -> Any:
    found = await reload(_LOADERS[kind.name](ctx.loaders), id_)
    if found is None:
        raise NotFound(kind.name, id_)
    return found


def _ends(kind: EdgeKind, data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in (kind.from_field, kind.to_field)}
    return str(data[kind.from_field]), str(data[kind.to_field]), fields


async def create(ctx: Context, kind: EdgeKind, data: dict[str, Any]) -> Any:
    """Create an edge of `kind` from API input holding both ends' ids."""
    from_id, to_id, fields = _ends(kind, data)
    id_ = await off_loop(writes.create_edge, ctx.graph, kind, from_id, to_id, fields)
    return await _fresh(ctx, kind, id_)


async def update(ctx: Context, kind: EdgeKind, id_: str, patch: dict[str, Any]) -> Any:
    await off_loop(writes.update_edge, ctx.graph, kind, id_, patch)
    return await _fresh(ctx, kind, id_)


async def upsert(ctx: Context, kind: EdgeKind, external_id: str, data: dict[str, Any]) -> Any:
    from_id, to_id, fields = _ends(kind, data)
    id_ = await off_loop(writes.upsert_edge, ctx.graph, kind, external_id, from_id, to_id, fields)
    return await _fresh(ctx, kind, id_)


async def delete(ctx: Context, kind: EdgeKind, id_: str) -> str:
    await off_loop(writes.delete_edge, ctx.graph, kind, id_)
    return id_


async def role_page(ctx: Context, **query: Any) -> Page[Role]:
    return await off_loop(reads.role_page, ctx.graph, **query)


async def relationship_page(ctx: Context, **query: Any) -> Page[PersonRelationship]:
    return await off_loop(reads.relationship_page, ctx.graph, **query)


async def company_relationship_page(ctx: Context, **query: Any) -> Page[CompanyRelationship]:
    return await off_loop(reads.company_relationship_page, ctx.graph, **query)


async def referral_page(ctx: Context, **query: Any) -> Page[Referral]:
    return await off_loop(reads.referral_page, ctx.graph, **query)
