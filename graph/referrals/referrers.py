"""The referral network as a whole: who the real multipliers are, and how referrals convert.

Figures come from the referral index (graph/referrals/chains.py: every referral with what its
referred party stood for, and every deal), over the referrals made on or after `since` when
given. Over the whole network each customer's value goes to the earliest referral that brought
it (by date, then referral id), so no value is counted twice.

- count: referrals made; value: the value the party's own referrals brought; reach: distinct
  parties downstream of it at any depth (cycles followed once).
- Conversion: a referred party converted when a customer it stands for is a current customer
  now (CURRENT or WON_BACK); the time it took runs from the referral to that customer's first
  deal after it. Parties whose customer already had deals before the referral were customers
  already, and are left out of the rate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from graph.core.currency import DEFAULT_CURRENCY, checked_currency
from graph.core.models import PartyRef
from graph.db import cache
from graph.db.connection import Graph
from graph.db.errors import InvalidInput
from graph.referrals.chains import (
    ChainNode,
    CustomerValue,
    ReferralChain,
    ReferralEdge,
    ReferralIndex,
    party,
    referral_index,
)

MAX_REFERRERS = 100
CURRENT_STATUSES = frozenset({"CURRENT", "WON_BACK"})


class ReferrerOrder(Enum):
    COUNT = "COUNT"
    VALUE = "VALUE"
    REACH = "REACH"


@dataclass(frozen=True)
class ReferrerStats:
    """One referrer's figures over the network."""

    party: PartyRef
    referrals: int
    referred: int  # distinct parties it referred
    reach: int  # distinct parties downstream at any depth, itself not counted
    value: float  # what its own referrals brought
    reach_value: float  # what every referral downstream of it (its own included) brought
    first_referral: dt.date | None
    last_referral: dt.date | None


@dataclass(frozen=True)
class ReferralNetwork:
    """Every referrer's figures, and the value credited to each referral."""

    since: dt.date | None
    currency: str
    edges: list[ReferralEdge]
    assigned: dict[str, float]  # value credited to each referral id (first touch)
    referrers: dict[str, ReferrerStats]
    _rankings: dict[ReferrerOrder, list[ReferrerStats]] = field(default_factory=dict)

    def ranked(self, by: ReferrerOrder) -> list[ReferrerStats]:
        """Every referrer by one figure, highest first, ties by id (sorted once per figure)."""
        if by not in self._rankings:
            figure = _FIGURES[by]
            self._rankings[by] = sorted(
                self.referrers.values(), key=lambda s: (-figure(s), s.party.id)
            )
        return self._rankings[by]


_FIGURES: dict[ReferrerOrder, Callable[[ReferrerStats], float]] = {
    ReferrerOrder.COUNT: lambda s: float(s.referrals),
    ReferrerOrder.VALUE: lambda s: s.value,
    ReferrerOrder.REACH: lambda s: float(s.reach),
}


def reach_sets(edges: Iterable[ReferralEdge]) -> dict[str, set[str]]:
    """For each referrer, the distinct parties downstream of it (itself excluded)."""
    below: dict[str, set[str]] = {}
    for edge in edges:
        below.setdefault(edge.referrer.id, set()).add(edge.referred.id)
    reach: dict[str, set[str]] = {}
    for start in below:
        seen: set[str] = set()
        stack = list(below[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(below.get(node, ()))
        reach[start] = seen
    return reach


def referral_network(
    graph: Graph, *, since: dt.date | None = None, currency: str = DEFAULT_CURRENCY
) -> ReferralNetwork:
    """Every referrer's figures (over referrals since a date), cached until referrals, deals or
    the change log change."""
    currency = checked_currency(currency)
    return cache.cached(
        graph,
        ("referral-network", since, currency),
        lambda: _referral_network(graph, since, currency),
    )


def _referral_network(graph: Graph, since: dt.date | None, currency: str) -> ReferralNetwork:
    index = referral_index(graph)
    # first touch over every referral, earliest first; `since` then picks the referrals that
    # count, and a customer first brought before it stays with that earlier referral
    credits = index.first_touch(index.edges, currency)
    assigned = {edge.id: credit for edge, credit in zip(index.edges, credits, strict=True)}
    edges = [e for e in index.edges if since is None or (e.date is not None and e.date >= since)]
    return ReferralNetwork(
        since=since,
        currency=currency,
        edges=edges,
        assigned=assigned,
        referrers=_referrers(edges, assigned),
    )


def _referrers(edges: list[ReferralEdge], assigned: dict[str, float]) -> dict[str, ReferrerStats]:
    made: dict[str, list[ReferralEdge]] = {}
    for edge in edges:
        made.setdefault(edge.referrer.id, []).append(edge)
    reach = reach_sets(edges)
    value_made = {id_: sum(assigned[e.id] for e in own) for id_, own in made.items()}
    stats: dict[str, ReferrerStats] = {}
    for id_, own in made.items():
        downstream = reach[id_]
        dates = [e.date for e in own if e.date is not None]
        stats[id_] = ReferrerStats(
            party=own[0].referrer,
            referrals=len(own),
            referred=len({e.referred.id for e in own}),
            reach=len(downstream),
            value=value_made[id_],
            reach_value=value_made[id_]
            + sum(value_made.get(other, 0.0) for other in downstream if other != id_),
            first_referral=min(dates) if dates else None,
            last_referral=max(dates) if dates else None,
        )
    return stats


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_REFERRERS:
        raise InvalidInput(
            f"limit: must be between 1 and {MAX_REFERRERS} (got {limit})", field="limit"
        )


def top_referrers(
    network: ReferralNetwork, *, by: ReferrerOrder = ReferrerOrder.COUNT, limit: int = 10
) -> list[ReferrerStats]:
    """The referrers ranked by one figure, highest first; ties go to the lower id."""
    check_limit(limit)
    return network.ranked(by)[:limit]


def with_reach(chain: ReferralChain, network: ReferralNetwork) -> ReferralChain:
    """An upstream chain whose nodes carry their reach over the whole network: downstream
    count = distinct parties downstream at any depth, downstream value = what the referrals of
    it and of everyone downstream of it brought (see ReferrerStats)."""
    nodes: list[ChainNode] = []
    for node in chain.nodes:
        stats = network.referrers.get(node.party.id)
        nodes.append(
            dataclasses.replace(
                node,
                downstream_count=0 if stats is None else stats.reach,
                downstream_value=0.0 if stats is None else stats.reach_value,
            )
        )
    return dataclasses.replace(chain, nodes=nodes)


@dataclass(frozen=True)
class Conversion:
    """How the referred parties in scope turned into customers."""

    referred: int  # distinct parties referred
    with_customer: int  # of those, standing for a customer company (their own or employer's)
    already_customers: int  # their customer had deals before the referral
    converted: int  # not customers already, and a customer of theirs is current now
    days_to_first_deal: list[int]  # for each converted party with a dated referral and a deal

    @property
    def rate(self) -> float | None:
        base = self.referred - self.already_customers
        return None if base <= 0 else self.converted / base

    @property
    def median_days(self) -> float | None:
        days = self.days_to_first_deal
        return None if not days else float(statistics.median(days))

    @property
    def p90_days(self) -> float | None:
        days = sorted(self.days_to_first_deal)
        return None if not days else float(days[math.ceil(0.9 * len(days)) - 1])  # nearest rank


def _customer_already(value: CustomerValue, index: ReferralIndex) -> bool:
    """The customer had deals before the referral; for an undated one, deals at all."""
    if value.deals_before is None:
        return value.company_id in index.deals
    return value.deals_before > 0


def referral_conversion(
    graph: Graph,
    *,
    from_id: str | None = None,
    since: dt.date | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> Conversion:
    """Of the parties referred (by `from_id` when given, on or after `since`), how many became
    current customers and how long it took; each party counts once, at its first referral."""
    currency = checked_currency(currency)
    index = referral_index(graph)
    if from_id is not None:
        party(graph, from_id, field="fromId", index=index)
    first: dict[str, ReferralEdge] = {}
    for edge in index.edges:  # in order: earliest first
        if since is not None and (edge.date is None or edge.date < since):
            continue
        if from_id is None or edge.referrer.id == from_id:
            first.setdefault(edge.referred.id, edge)
    values = {party_id: index.brought(edge, currency) for party_id, edge in first.items()}
    with_customer = already = converted = 0
    days: list[int] = []
    for party_id, edge in first.items():
        found = values.get(party_id, [])
        if not found:
            continue
        with_customer += 1
        if any(_customer_already(v, index) for v in found):
            already += 1
            continue
        current = [v for v in found if v.status in CURRENT_STATUSES]
        if not current:
            continue
        converted += 1
        deal_dates = [v.first_deal for v in current if v.first_deal is not None]
        if edge.date is not None and deal_dates:
            days.append((min(deal_dates) - edge.date).days)
    return Conversion(
        referred=len(first),
        with_customer=with_customer,
        already_customers=already,
        converted=converted,
        days_to_first_deal=sorted(days),
    )
