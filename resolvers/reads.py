"""Reads of the core kinds (graph/core/reads.py): companies and people by id or external id,
and pages of companies, people, roles, relationships, company relationships and referrals."""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.core import reads
from graph.core.inputs import MAX_TEXT
from graph.core.models import (
    Company,
    CompanyRelationship,
    Page,
    Person,
    PersonRelationship,
    Referral,
    Role,
)
from graph.core.search import search_term
from graph.db.errors import Forbidden, InvalidInput
from resolvers.context import Context, off_loop
from resolvers.scope import as_seen, seen_page


def checked_range(
    field: str, value: float | None, low: float, high: float | None = None
) -> float | None:
    """`value` unless it lies outside [low, high]."""
    if value is not None and (value < low or (high is not None and value > high)):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"{field}: must be {bounds} (got {value})", field=field)
    return value


def checked_search(text: str | None) -> str | None:
    term = search_term(text)
    if term is not None and len(term) > MAX_TEXT:
        raise InvalidInput(f"search: at most {MAX_TEXT} characters", field="filter.search")
    return term


async def company(ctx: Context, id_: str) -> Company | None:
    return await ctx.loaders.companies.load(id_)


async def person(ctx: Context, id_: str) -> Person | None:
    return await ctx.loaders.people.load(id_)


async def company_by_external_id(ctx: Context, external_id: str) -> Company | None:
    id_ = await off_loop(reads.id_by_external_id, ctx.graph, "company", external_id)
    return None if id_ is None else await company(ctx, id_)


async def person_by_external_id(ctx: Context, external_id: str) -> Person | None:
    id_ = await off_loop(reads.id_by_external_id, ctx.graph, "person", external_id)
    return None if id_ is None else await person(ctx, id_)


async def company_page(ctx: Context, **query: Any) -> Page[Company]:
    """Only ours and the customers of the credential's account teams when it is scoped."""
    teams = None if ctx.principal is None else ctx.principal.teams
    page = await off_loop(reads.company_page, ctx.graph, teams=teams, **query)
    for item in page.items:
        ctx.loaders.companies.prime(item.id, item)
    return page


FIGURE_SORTS = frozenset({"STRONGEST_TIE", "RELATIONSHIP_COUNT"})


async def person_page(ctx: Context, **query: Any) -> Page[Person]:
    """For a credential scoped to account teams, only the people it sees."""
    v = await off_loop(ctx.visibility)
    if not v.everything and (
        query.get("sort") in FIGURE_SORTS or query.get("min_strongest_tie") is not None
    ):
        raise Forbidden(
            "sorting or filtering people by strongestTie or relationshipCount is not open to a "
            "credential scoped to account teams: the stored figures count every tie"
        )
    if v.everything or v.people is None:
        page = await off_loop(reads.person_page, ctx.graph, **query)
    elif query.get("company_id") is None:
        page = await off_loop(lambda: reads.person_page(ctx.graph, among=v.people, **query))
        page = dataclasses.replace(page, items=[as_seen(v, p) for p in page.items])
    else:
        page = await seen_page(ctx, reads.person_page, query)
    for item in page.items:
        ctx.loaders.people.prime(item.id, item)
    return page


async def role_page(ctx: Context, **query: Any) -> Page[Role]:
    return await seen_page(ctx, reads.role_page, query)


async def relationship_page(ctx: Context, **query: Any) -> Page[PersonRelationship]:
    return await seen_page(ctx, reads.relationship_page, query)


async def company_relationship_page(ctx: Context, **query: Any) -> Page[CompanyRelationship]:
    return await seen_page(ctx, reads.company_relationship_page, query)


async def referral_page(ctx: Context, **query: Any) -> Page[Referral]:
    return await seen_page(ctx, reads.referral_page, query)
