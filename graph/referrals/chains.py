"""Referral chains: where referrals from a person or company lead, and where one came from.

The referral network is read whole into an index (one statement: every referral with what its
referred party stood for, every deal, every customer's status), kept until the graph changes
(graph/db/cache.py), and walked in memory. On a big graph (a read of 0.5 s or more) the index
is rebuilt in the background after a write while the previous one is served, so an answer may
miss the writes of the last few rebuild times (the cache's docstring says exactly how many).
A tree is walked level by level: each party enters the tree once, at the first level and by the
earliest referral that reaches it; referrals that reach a party already in the tree are
counted, not followed, so cycles and repeated referrals cost nothing.

Value is attributed from deals: a referred company brings its own deals; a referred person
brings the deals of the customer companies where they held a role on the referral date (their
current roles when the referral has no date). Only deals on or after the referral date count,
in one currency; an undated referral brings no value, as its timing is unknown. Each
customer's value goes to the first node of the tree that brings it (in tree order: depth, then
date, then id), so a level's or a subtree's value never counts a customer twice. Upstream, a
party brought what it stood for at the first referral it received.

Upstream, every referrer is followed, so the result is a tree of referrals back to the
origins (a chain when each party was referred once).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graph.core.currency import DEFAULT_CURRENCY, checked_currency
from graph.core.models import PartyKind, PartyRef, to_date
from graph.cypher.referrals import chains as cypher
from graph.db import cache
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, NotFound

DEFAULT_DEPTH = 6
MAX_DEPTH = 10


class Direction(Enum):
    """Downstream: the referrals a party led to. Upstream: the referrals that led to it."""

    DOWNSTREAM = "DOWNSTREAM"
    UPSTREAM = "UPSTREAM"


@dataclass(frozen=True)
class ReferralEdge:
    """One referral, with the customer companies its referred party stood for on its date."""

    id: str
    referrer: PartyRef
    referred: PartyRef
    date: dt.date | None
    customers: tuple[str, ...]
    # earliest first, undated referrals last, then by id
    order: tuple[bool, dt.date, str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", (self.date is None, self.date or dt.date.min, self.id))


@dataclass(frozen=True)
class CustomerValue:
    """What a referral brought from one customer company: its deals since the referral."""

    company_id: str
    status: str | None
    value: float  # deals in the currency asked, on or after the referral date
    deals: int
    first_deal: dt.date | None  # the first deal on or after the referral date, any currency
    deals_before: int | None  # deals (any currency) before the referral; None when undated


@dataclass
class _Deals:
    """One company's deals by date: dates, and (amount, currency) in the same order."""

    dates: list[dt.date] = field(default_factory=list)
    amounts: list[tuple[float, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ReferralIndex:
    """The whole referral network in memory: referrals in order, by referrer and by referred."""

    edges: list[ReferralEdge]
    made: dict[str, list[ReferralEdge]]
    received: dict[str, list[ReferralEdge]]
    deals: dict[str, _Deals]
    statuses: dict[str, str | None]
    _brought: dict[tuple[str, str], list[CustomerValue]] = field(default_factory=dict)

    def kind_of(self, id_: str) -> PartyKind | None:
        for edges, end in ((self.made, "referrer"), (self.received, "referred")):
            if id_ in edges:
                ref: PartyRef = getattr(edges[id_][0], end)
                return ref.kind
        return None

    def brought(self, edge: ReferralEdge, currency: str) -> list[CustomerValue]:
        """What the referral brought, customer by customer (see the module docstring)."""
        key = (edge.id, currency)
        known = self._brought.get(key)
        if known is None:
            known = self._brought[key] = self._customer_values(edge, currency)
        return known

    def first_touch(self, edges: Iterable[ReferralEdge | None], currency: str) -> list[float]:
        """The value each referral brought, in the order given, each customer credited only
        to the first referral that brought it (a None in `edges` brings nothing)."""
        taken: set[str] = set()
        credits: list[float] = []
        for edge in edges:
            credit = 0.0
            for found in [] if edge is None else self.brought(edge, currency):
                if found.company_id not in taken:
                    taken.add(found.company_id)
                    credit += found.value
            credits.append(credit)
        return credits

    def _customer_values(self, edge: ReferralEdge, currency: str) -> list[CustomerValue]:
        found: list[CustomerValue] = []
        for company in sorted(edge.customers):
            deals = self.deals.get(company, _Deals())
            if edge.date is None:  # no date, no timing: nothing to attribute
                found.append(CustomerValue(company, self.statuses.get(company), 0.0, 0, None, None))
                continue
            start = bisect.bisect_left(deals.dates, edge.date)
            later = [
                (deals.dates[i], amount)
                for i in range(start, len(deals.dates))
                for amount, code in [deals.amounts[i]]
                if code == currency
            ]
            found.append(
                CustomerValue(
                    company_id=company,
                    status=self.statuses.get(company),
                    value=sum(amount for _, amount in later),
                    deals=len(later),
                    first_deal=deals.dates[start] if start < len(deals.dates) else None,
                    deals_before=start,
                )
            )
        return found


def _edges(rows: list[list[Any]], kind: PartyKind) -> list[ReferralEdge]:
    return [
        ReferralEdge(
            id=referral_id,
            referrer=PartyRef(kind, from_id),
            referred=PartyRef(PartyKind(to_kind), to_id),
            date=to_date(date),
            customers=tuple(customers),
        )
        for from_id, referral_id, date, to_id, to_kind, customers in rows
    ]


def _read_index(graph: Graph) -> ReferralIndex:
    [row] = graph.read(cypher.REFERRAL_INDEX)
    edges = _edges(row["byPeople"], PartyKind.PERSON) + _edges(
        row["byCompanies"], PartyKind.COMPANY
    )
    edges.sort(key=lambda e: e.order)
    made: dict[str, list[ReferralEdge]] = {}
    received: dict[str, list[ReferralEdge]] = {}
    for edge in edges:
        made.setdefault(edge.referrer.id, []).append(edge)
        received.setdefault(edge.referred.id, []).append(edge)
    deals: dict[str, _Deals] = {}
    dated = [
        (c, to_date(d) or dt.date.min, float(a), cur or DEFAULT_CURRENCY)
        for c, d, a, cur in row["deals"]
    ]
    for company, date, amount, currency in sorted(dated, key=lambda d: (d[0], d[1])):
        entry = deals.setdefault(company, _Deals())
        entry.dates.append(date)
        entry.amounts.append((amount, currency))
    statuses = {company: status for company, status in row["statuses"]}
    return ReferralIndex(edges, made, received, deals, statuses)


def referral_index(graph: Graph) -> ReferralIndex:
    """The referral network, read once and kept until the graph changes."""
    return cache.cached(graph, ("referral-index",), lambda: _read_index(graph))


@dataclass
class ChainNode:
    """One party in a referral tree; the root has depth 0 and no referral.

    Downstream, `parent_id` is the referrer; upstream, it is the party this one referred (the
    next node towards the root). Downstream, `downstream_count` and `downstream_value` cover
    the node's subtree in this tree (without the node itself, with its own value); upstream
    they are left at zero here (graph/referrals/referrers.py `with_reach` fills in each node's
    reach)."""

    party: PartyRef
    depth: int
    referral_id: str | None
    date: dt.date | None
    parent_id: str | None
    value: float = 0.0
    downstream_count: int = 0
    downstream_value: float = 0.0


@dataclass(frozen=True)
class LevelSummary:
    """How many parties a tree has at one depth, and the value they brought."""

    depth: int
    count: int
    value: float


@dataclass(frozen=True)
class ReferralChain:
    """A referral tree (or upstream, the chain back to the origin), in tree order."""

    root: PartyRef
    direction: Direction
    max_depth: int
    currency: str
    nodes: list[ChainNode]  # the root first, then by depth, date and id
    levels: list[LevelSummary]
    extra_referrals: int  # referrals that reached a party already in the tree
    repeat_referrals: int  # of those, the same referrer referring the same party again
    cycles: int  # of those, referrals back to an ancestor of the referrer
    has_more: bool  # the last level has referrals to parties outside the tree

    @property
    def total(self) -> int:
        return len(self.nodes) - 1

    @property
    def value(self) -> float:
        """The levels' value (the root's own is not counted)."""
        return sum(node.value for node in self.nodes[1:])


def check_depth(max_depth: int) -> None:
    if not 1 <= max_depth <= MAX_DEPTH:
        raise InvalidInput(
            f"maxDepth: must be between 1 and {MAX_DEPTH} (got {max_depth}); for a wider view "
            "use the per-depth summary of a shallower tree from the parties at its edge",
            field="maxDepth",
        )


def party(graph: Graph, id_: str, *, field: str, index: ReferralIndex | None = None) -> PartyRef:
    """The person or company with this id, or NotFound."""
    known = None if index is None else index.kind_of(id_)
    if known is not None:
        return PartyRef(known, id_)
    [row] = graph.read(cypher.REFERRAL_PARTY, id=id_)
    if row["isPerson"]:
        return PartyRef(PartyKind.PERSON, id_)
    if row["isCompany"]:
        return PartyRef(PartyKind.COMPANY, id_)
    raise NotFound("person or company", id_, field=field)


def referral_chain(
    graph: Graph,
    from_id: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_depth: int = DEFAULT_DEPTH,
    currency: str = DEFAULT_CURRENCY,
) -> ReferralChain:
    """The referral tree below a party (downstream) or above it (upstream), to `max_depth`."""
    check_depth(max_depth)
    currency = checked_currency(currency)
    index = referral_index(graph)
    root = party(graph, from_id, field="fromId", index=index)
    downstream = direction is Direction.DOWNSTREAM
    following = index.made if downstream else index.received
    nodes: dict[str, ChainNode] = {from_id: ChainNode(root, 0, None, None, None)}
    placed_by: dict[str, ReferralEdge] = {}
    pairs: set[tuple[str, str]] = set()
    extra = repeats = cycles = 0
    frontier: list[str] = [from_id]
    has_more = False
    for depth in range(1, max_depth + 2):
        if not frontier:
            break
        edges = sorted((edge for here in frontier for edge in following.get(here, ())), key=_order)
        if depth > max_depth:  # one level past the limit, only to say whether there is more
            far_ids = (e.referred.id if downstream else e.referrer.id for e in edges)
            has_more = any(id_ not in nodes for id_ in far_ids)
            break
        frontier = []
        for edge in edges:
            near, far = (
                (edge.referrer, edge.referred) if downstream else (edge.referred, edge.referrer)
            )
            here, there = near.id, far.id
            pair = (here, there)
            if there in nodes:
                extra += 1
                if pair in pairs:
                    repeats += 1
                elif _is_ancestor(nodes, there, here):
                    cycles += 1
            else:
                nodes[there] = ChainNode(far, depth, edge.id, edge.date, here)
                placed_by[there] = edge
                frontier.append(there)
            pairs.add(pair)
    ordered = list(nodes.values())  # insertion order is tree order: depth, date, id
    _attribute(index, ordered, placed_by, downstream, currency)
    if downstream:
        _roll_up(ordered, nodes)
    return ReferralChain(
        root=root,
        direction=direction,
        max_depth=max_depth,
        currency=currency,
        nodes=ordered,
        levels=_levels(ordered),
        extra_referrals=extra,
        repeat_referrals=repeats,
        cycles=cycles,
        has_more=has_more,
    )


def _order(edge: ReferralEdge) -> tuple[bool, dt.date, str]:
    return edge.order


def _is_ancestor(nodes: dict[str, ChainNode], candidate: str, of: str) -> bool:
    current: str | None = of
    while current is not None:
        if current == candidate:
            return True
        current = nodes[current].parent_id
    return False


def _attribute(
    index: ReferralIndex,
    ordered: Sequence[ChainNode],
    placed_by: dict[str, ReferralEdge],
    downstream: bool,
    currency: str,
) -> None:
    """Give each node the value of the customers it brought first (see the module docstring).

    Downstream a node brought what it stood for when the referral placing it was made;
    upstream, at the first referral it received (by date), wherever that came from.
    """
    bringing: list[ReferralEdge | None] = []
    for node in ordered:
        if downstream:
            bringing.append(placed_by.get(node.party.id))  # none for the root
        else:
            received = index.received.get(node.party.id)
            bringing.append(received[0] if received else None)
    for node, credit in zip(ordered, index.first_touch(bringing, currency), strict=True):
        node.value = credit


def _roll_up(ordered: list[ChainNode], nodes: dict[str, ChainNode]) -> None:
    for node in ordered:
        node.downstream_value = node.value
    for node in reversed(ordered):
        if node.parent_id is not None:
            parent = nodes[node.parent_id]
            parent.downstream_count += node.downstream_count + 1
            parent.downstream_value += node.downstream_value


def _levels(ordered: list[ChainNode]) -> list[LevelSummary]:
    counts: dict[int, int] = {}
    values: dict[int, float] = {}
    for node in ordered[1:]:
        counts[node.depth] = counts.get(node.depth, 0) + 1
        values[node.depth] = values.get(node.depth, 0.0) + node.value
    return [LevelSummary(depth, counts[depth], values[depth]) for depth in sorted(counts)]
