"""Deals: record, change and delete them, list them, and a customer's depth figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.core.models import Page
from graph.db.errors import NotFound
from graph.deals import deals
from graph.deals.deals import Deal, DealDepth
from resolvers.context import Context, off_loop


async def _fresh(ctx: Context, id_: str) -> Deal:
    found = (await off_loop(deals.deals_by_id, ctx.graph, [id_]))[0]
    if found is None:
        raise NotFound("deal", id_)
    return found


async def record_deal(
    ctx: Context, company_id: str, data: dict[str, Any], idempotency_key: str | None = None
) -> Deal:
    id_ = await off_loop(
        deals.record_deal, ctx.graph, company_id, data, idempotency_key=idempotency_key
    )
    return await _fresh(ctx, id_)


async def update_deal(ctx: Context, id_: str, patch: dict[str, Any]) -> Deal:
    await off_loop(deals.update_deal, ctx.graph, id_, patch)
    return await _fresh(ctx, id_)


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
