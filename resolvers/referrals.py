"""Referral networks: chains from a party, the top referrers, and how referrals convert."""

from __future__ import annotations

import datetime as dt

from graph.referrals import chains as referrals
from graph.referrals import referrers
from graph.referrals.chains import Direction, ReferralChain
from graph.referrals.referrers import Conversion, ReferrerOrder, ReferrerStats
from resolvers.context import Context, off_loop


async def referral_chain(
    ctx: Context, from_id: str, direction: Direction, max_depth: int, currency: str
) -> ReferralChain:
    chain = await off_loop(
        referrals.referral_chain,
        ctx.graph,
        from_id,
        direction=direction,
        max_depth=max_depth,
        currency=currency,
    )
    if direction is Direction.DOWNSTREAM:
        return chain
    # upstream, each node's downstream is its reach over the whole (cached) network
    network = await off_loop(referrers.referral_network, ctx.graph, currency=chain.currency)
    return referrers.with_reach(chain, network)


async def top_referrers(
    ctx: Context, by: ReferrerOrder, limit: int, since: dt.date | None, currency: str
) -> list[ReferrerStats]:
    referrers.check_limit(limit)  # before the network is read
    network = await off_loop(referrers.referral_network, ctx.graph, since=since, currency=currency)
    return referrers.top_referrers(network, by=by, limit=limit)


async def referral_conversion(
    ctx: Context, from_id: str | None, since: dt.date | None, currency: str
) -> Conversion:
    return await off_loop(
        referrers.referral_conversion,
        ctx.graph,
        from_id=from_id,
        since=since,
        currency=currency,
    )
