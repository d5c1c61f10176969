"""Analyst views: network measures (computed off the event loop, cached in
graph/analysis/network.py), the tier pyramid of our people, and customer value classes."""

from __future__ import annotations

import datetime as dt

from graph.analysis import classes, network, pyramid
from graph.analysis.classes import ValueClassReport
from graph.analysis.network import Network, NetworkMeasures
from graph.analysis.pyramid import TierPyramid
from resolvers.context import Context, off_loop


async def tier_pyramid(
    ctx: Context, person_ids: list[str] | None, company_id: str | None
) -> TierPyramid:
    return await off_loop(
        pyramid.tier_pyramid, ctx.graph, person_ids=person_ids, company_id=company_id
    )


async def value_classes(ctx: Context, since: dt.date | None, currency: str) -> ValueClassReport:
    return await off_loop(classes.value_classes, ctx.graph, since=since, currency=currency)


async def network_measures(
    ctx: Context, kind: Network, company_id: str | None, weighted: bool = False
) -> NetworkMeasures:
    return await off_loop(
        network.network_measures, ctx.graph, kind, company_id=company_id, weighted=weighted
    )
