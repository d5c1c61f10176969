"""Roles, person and company relationships, referrals: lists."""

from __future__ import annotations

from typing import Any

from graph.core import reads
from graph.core.models import CompanyRelationship, Page, PersonRelationship, Referral, Role
from resolvers.context import Context, off_loop


async def role_page(ctx: Context, **query: Any) -> Page[Role]:
    return await off_loop(reads.role_page, ctx.graph, **query)


async def relationship_page(ctx: Context, **query: Any) -> Page[PersonRelationship]:
    return await off_loop(reads.relationship_page, ctx.graph, **query)


async def company_relationship_page(ctx: Context, **query: Any) -> Page[CompanyRelationship]:
    return await off_loop(reads.company_relationship_page, ctx.graph, **query)


async def referral_page(ctx: Context, **query: Any) -> Page[Referral]:
    return await off_loop(reads.referral_page, ctx.graph, **query)
