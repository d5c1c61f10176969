"""Objects by id whatever their kind (the API's `node(id:)` and `nodes(ids:)`), and items by
their external ids (the `…ByExternalIds` look-ups).

An id names its kind by its prefix (graph/core/kinds.py, and `de_`, `in_`, `ch_`): every write
makes ids that way and the import refuses others. Each kind goes through its own loader, so a
list of ids costs one statement per kind asked, and an object is found exactly when its own
field (`company(id:)`, `deal`…) would find it: a deleted company or person is not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from graph.core import reads
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
from graph.db.errors import InvalidInput
from graph.deals import deals
from graph.deals.deals import Deal
from graph.evolution import interactions
from graph.evolution.interactions import Interaction
from resolvers.context import Context, Loaders, off_loop
from resolvers.scope import each_seen, seen

MAX_NODE_IDS = 100  # ids one `nodes(ids:)` takes

# an id's prefix (before its first "_") -> the loader that reads its kind
LOADERS: dict[str, Callable[[Loaders], DataLoader[str, Any]]] = {
    COMPANY.id_prefix: lambda loaders: loaders.companies,
    PERSON.id_prefix: lambda loaders: loaders.people,
    ROLE.id_prefix: lambda loaders: loaders.roles,
    RELATIONSHIP.id_prefix: lambda loaders: loaders.relationships,
    COMPANY_RELATIONSHIP.id_prefix: lambda loaders: loaders.company_relationships,
    REFERRAL.id_prefix: lambda loaders: loaders.referrals,
    "de": lambda loaders: loaders.deals,
    "in": lambda loaders: loaders.interactions,
    "ch": lambda loaders: loaders.changes,
}


def kind_of(id_: str) -> str | None:
    """The prefix of `id_` when it names a kind that `node(id:)` reads, else None."""
    prefix, sep, rest = id_.partition("_")
    return prefix if sep and rest and prefix in LOADERS else None


async def node(ctx: Context, id_: str) -> Any | None:
    """The read model of the object with this id (its kind by `kind_of`), None if none."""
    prefix = kind_of(id_)
    if prefix is None:
        return None
    return await LOADERS[prefix](ctx.loaders).load(id_)


async def nodes(ctx: Context, ids: Sequence[str]) -> list[Any | None]:
    """`node` of each id, in the order given; the loads of one kind share one statement."""
    if len(ids) > MAX_NODE_IDS:
        raise InvalidInput(f"ids: at most {MAX_NODE_IDS} at a time (got {len(ids)})", field="ids")
    return list(await asyncio.gather(*(node(ctx, id_) for id_ in ids)))


async def by_external_ids(
    ctx: Context, kind: NodeKind[Any, Any] | EdgeKind[Any, Any], external_ids: Sequence[str]
) -> list[Any | None]:
    """The items of `kind` with these external ids, in the order given (one statement); the
    kind's loader keeps those found for the rest of the request."""
    found = each_seen(
        ctx.visibility(), await off_loop(reads.by_external_ids, ctx.graph, kind, external_ids)
    )
    loader = LOADERS[kind.id_prefix](ctx.loaders)
    for item in found:
        if item is not None:
            loader.prime(item.id, item)
    return found


async def deals_by_external_ids(ctx: Context, external_ids: Sequence[str]) -> list[Deal | None]:
    """The deals with these external ids, in the order given (one statement)."""
    found = each_seen(
        ctx.visibility(), await off_loop(deals.deals_by_external_id, ctx.graph, external_ids)
    )
    ctx.loaders.deals.prime_many({deal.id: deal for deal in found if deal is not None})
    return found


async def interactions_by_external_ids(
    ctx: Context, external_ids: Sequence[str]
) -> list[Interaction | None]:
    """The interactions with these external ids, in the order given (one statement)."""
    found = each_seen(
        ctx.visibility(),
        await off_loop(interactions.interactions_by_external_id, ctx.graph, external_ids),
    )
    ctx.loaders.interactions.prime_many({i.id: i for i in found if i is not None})
    return found


async def node_seen(ctx: Context, id_: str) -> bool:
    """Whether the object with this id exists and the credential sees it
    (graph/auth/scope.py)."""
    return await node(ctx, id_) is not None


async def external_id_seen(ctx: Context, prefix: str, external_id: str) -> bool:
    """Whether an upsert of the kind with this id prefix may write the item with this external
    id: none has it (the upsert creates one) or the credential sees the one that has."""
    v = await off_loop(ctx.visibility)
    found: Any
    if prefix == "in":
        [found] = await off_loop(interactions.interactions_by_external_id, ctx.graph, [external_id])
    elif prefix == "de":
        [found] = await off_loop(deals.deals_by_external_id, ctx.graph, [external_id])
    else:
        edges: tuple[EdgeKind[Any, Any], ...] = (
            ROLE,
            RELATIONSHIP,
            COMPANY_RELATIONSHIP,
            REFERRAL,
        )
        kind = next(k for k in edges if k.id_prefix == prefix)
        [found] = await off_loop(reads.by_external_ids, ctx.graph, kind, [external_id])
    return found is None or seen(v, found)


async def person_writable(ctx: Context, id_: str) -> bool:
    """Whether a write may name this person: the credential sees them, and every company where
    they hold a current role is one it sees (someone who moved on to another team's customer,
    or who works at two, is that team's contact too: not for a scoped credential to change)."""
    v = await off_loop(ctx.visibility)
    if not v.person(id_):
        return False
    if v.everything:
        return True
    [roles] = await off_loop(lambda: reads.roles_for_people(ctx.graph, [id_], include_past=False))
    return all(v.company(role.company_id) for role in roles)


async def seen_ids(ctx: Context, ids: Sequence[str]) -> list[bool]:
    """Whether the credential sees each object (by id, any kind `node` reads)."""
    return [found is not None for found in await asyncio.gather(*(node(ctx, i) for i in ids))]
