"""Deals: record, change and delete them, list them, and a customer's depth figures."""

from __future__ import annotations

import datetime as dt

from graph.core.inputs import Patch
from graph.core.models import Page
from graph.db.errors import NotFound
from graph.deals import deals
from graph.deals.deals import Deal, DealDepth, DealFields
from resolvers.context import Context, off_loop


async def record_deal(
    ctx: Context, company_id: str, fields: DealFields, idempotency_key: str | None = None
) -> Deal:
    return await off_loop(
        deals.record_deal, ctx.graph, company_id, fields, idempotency_key=idempotency_key
    )


async def update_deal(ctx: Context, id_: str, patch: Patch) -> Deal:
    return await off_loop(deals.update_deal, ctx.graph, id_, patch)


async def delete_deal(ctx: Context, id_: str) -> str:
    await off_loop(deals.delete_deal, ctx.graph, id_)
    return id_


async def deal_page(
    ctx: Context, *, company_id: str | None, since: dt.date | None, offset: int, limit: int
) -> Page[Deal]:
    return await off_loop(
        deals.deal_page, ctx.graph, company_id=company_id, since=since, offset=offset, limit=limit
    )


async def deal_depth(ctx: Context, company_id: str) -> DealDepth:
    """One company's depth figures; NotFound if the id names no company."""
    found = (await off_loop(deals.depth_figures, ctx.graph, [company_id]))[0]
    if found is None:
        raise NotFound("company", company_id, field="companyId")
    return found
