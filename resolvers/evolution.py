"""Evolution: history, states on past dates, interactions, strength, health, fading."""

from __future__ import annotations

import dataclasses
import datetime as dt

from graph.core.history import Change, as_utc
from graph.core.models import CompanyRelationship, Page, PersonRelationship, PersonTier, Role
from graph.db.errors import InvalidInput, NotFound
from graph.evolution import interactions, measures
from graph.evolution import timelines as evolution
from graph.evolution.interactions import Interaction, InteractionFields
from resolvers.context import Context, off_loop
from resolvers.nodes import seen_ids
from resolvers.scope import seen, seen_page


def suggested_tier(strength: float) -> PersonTier:
    return evolution.suggested_tier(strength)


async def roles_at(ctx: Context, company_id: str, at: dt.datetime) -> list[Role]:
    return await ctx.loaders.roles_at.load((company_id, as_utc(at)))


async def relationship_at(
    ctx: Context, relationship_id: str, at: dt.datetime
) -> PersonRelationship | None:
    return await off_loop(evolution.relationship_at, ctx.graph, relationship_id, at)


async def company_relationship_at(
    ctx: Context, relationship_id: str, at: dt.datetime
) -> CompanyRelationship | None:
    return await off_loop(evolution.company_relationship_at, ctx.graph, relationship_id, at)


async def relationship_history(
    ctx: Context, a: str, b: str, offset: int, limit: int
) -> Page[Change]:
    if a == b:
        raise InvalidInput("b: must differ from a", field="b")
    found = await off_loop(evolution.pair_history, ctx.graph, a, b, offset=offset, limit=limit)
    ctx.loaders.interactions.prime_many(found.interactions)  # read with the changes
    return found.changes


async def subject_history(ctx: Context, subject_id: str, offset: int, limit: int) -> Page[Change]:
    return await off_loop(
        evolution.subject_history, ctx.graph, subject_id, offset=offset, limit=limit
    )


async def lifecycle_timeline(ctx: Context, company_id: str) -> list[evolution.StagePeriod]:
    return await off_loop(evolution.lifecycle_timeline, ctx.graph, company_id)


async def neighbourhood_diff(
    ctx: Context, company_id: str, start: dt.datetime, end: dt.datetime
) -> list[evolution.NeighbourhoodChange]:
    found = await off_loop(evolution.neighbourhood_diff, ctx.graph, company_id, start, end)
    if (await off_loop(ctx.visibility)).everything:
        return found
    return [
        c
        for c, ok in zip(found, await seen_ids(ctx, [c.subject_id for c in found]), strict=True)
        if ok
    ]


async def log_interaction(
    ctx: Context, fields: InteractionFields, idempotency_key: str | None = None
) -> Interaction:
    id_ = await off_loop(
        interactions.log_interaction, ctx.graph, fields, idempotency_key=idempotency_key
    )
    found = await interaction(ctx, id_)
    if found is None:
        raise NotFound("interaction", id_)
    return found


async def interaction(ctx: Context, id_: str) -> Interaction | None:
    return await ctx.loaders.interactions.load(id_)


async def interactions_by_id(ctx: Context, ids: list[str]) -> list[Interaction | None]:
    return await ctx.loaders.interactions.load_many(ids)


async def interaction_page(
    ctx: Context,
    *,
    person_id: str | None,
    company_id: str | None,
    relationship_id: str | None,
    offset: int,
    limit: int,
) -> Page[Interaction]:
    given = [x for x in (person_id, company_id, relationship_id) if x is not None]
    if len(given) != 1:
        raise InvalidInput(
            "filter: give exactly one of personId, companyId or relationshipId", field="filter"
        )
    relationship = None
    if relationship_id is not None:
        relationship = await ctx.loaders.relationships.load(relationship_id)
        if relationship is None:
            raise NotFound("relationship", relationship_id, field="filter.relationshipId")
    query = {
        "person_id": person_id,
        "company_id": company_id,
        "relationship": relationship,
        "offset": offset,
        "limit": limit,
    }
    return await seen_page(ctx, interactions.interaction_page, query)


async def explain_strength(
    ctx: Context, relationship_id: str, at: dt.datetime | None
) -> evolution.StrengthExplanation:
    found = await off_loop(evolution.explain_strength, ctx.graph, relationship_id, at)
    v = await off_loop(ctx.visibility)
    if v.everything:
        return found
    kept = {k: i for k, i in found.interactions.items() if seen(v, i)}
    deposits = [  # an interaction it does not see: its worth, and nothing of who or what
        d
        if d.interaction_id is None or d.interaction_id in kept
        else dataclasses.replace(d, by=None)
        for d in found.deposits
    ]
    return dataclasses.replace(found, interactions=kept, deposits=deposits)


async def relationship_health(
    ctx: Context, relationship_id: str, at: dt.datetime | None, window_days: int
) -> evolution.Health:
    return await off_loop(
        lambda: evolution.relationship_health(
            ctx.graph, relationship_id, at, window_days=window_days
        )
    )


async def fading_relationships(
    ctx: Context,
    *,
    min_drop: float | None,
    window_days: int,
    silent_days: int | None,
    company_id: str | None,
    offset: int,
    limit: int,
) -> Page[evolution.FadingRelationship]:
    if company_id is not None and await ctx.loaders.companies.load(company_id) is None:
        raise NotFound("company", company_id, field="companyId")
    query = {
        "min_drop": min_drop,
        "window_days": window_days,
        "silent_days": silent_days,
        "company_id": company_id,
        "offset": offset,
        "limit": limit,
    }
    return await seen_page(ctx, evolution.fading_relationships, query)


async def relationship_measures(ctx: Context, company_id: str) -> measures.RelationshipMeasures:
    return await off_loop(measures.relationship_measures, ctx.graph, company_id)
