"""Network measures for analysts: computed off the event loop, cached in graph/network.py."""

from __future__ import annotations

from graph import network
from graph.network import Network, NetworkMeasures
from resolvers.context import Context, off_loop


async def network_measures(ctx: Context, kind: Network, company_id: str | None) -> NetworkMeasures:
    return await off_loop(network.network_measures, ctx.graph, kind, company_id=company_id)
