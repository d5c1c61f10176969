"""Analyst views: the tier pyramid of our people, and customer value classes from deals."""

from __future__ import annotations

import datetime as dt

from graph import classes, pyramid
from graph.classes import ValueClassReport
from graph.pyramid import TierPyramid
from resolvers.context import Context, off_loop


async def tier_pyramid(
    ctx: Context, person_ids: list[str] | None, company_id: str | None
) -> TierPyramid:
    return await off_loop(
        pyramid.tier_pyramid, ctx.graph, person_ids=person_ids, company_id=company_id
    )


async def value_classes(ctx: Context, since: dt.date | None, currency: str) -> ValueClassReport:
    return await off_loop(classes.value_classes, ctx.graph, since=since, currency=currency)
