"""Referral chains: where referrals from a person or company lead, and where one came from.

A referral tree is walked one level at a time (one statement per level), so cycles and repeated
referrals cost nothing extra: each party enters the tree once, at the first level and by the
earliest referral that reaches it; later referrals that reach a party already in the tree are
counted, not followed.

Value is attributed from deals: a referred company brings its own deals; a referred person
brings the deals of the companies where they held a role on the referral date (their current
roles when the referral has no date). Only deals on or after the referral date count, in one
currency. Each customer company's value goes to the first node of the tree that brings it (in
tree order: depth, then date, then id), so a level's or a subtree's value never counts a
customer twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph.connection import Graph
from graph.cypher import referrals as cypher
from graph.errors import InvalidInput, NotFound
from graph.models import PartyKind, PartyRef, to_date

DEFAULT_DEPTH = 6
MAX_DEPTH = 10
DEFAULT_CURRENCY = "CNY"


class Direction(Enum):
    """Downstream: the referrals a party led to. Upstream: the referrals that led to it."""

    DOWNSTREAM = "DOWNSTREAM"
    UPSTREAM = "UPSTREAM"


@dataclass(frozen=True)
class CustomerValue:
    """What one referred party brought: a customer company and its deals since the referral."""

    party_id: str
    since: dt.date | None
    company_id: str
    status: str | None
    value: float
    deals: int
    first_deal: dt.date | None
    deals_before: int


@dataclass
class ChainNode:
    """One party in a referral tree; the root has depth 0 and no referral.

    Downstream, `parent_id` is the referrer; upstream, it is the party this one referred (the
    next node towards the root). Downstream, `downstream_count` and `downstream_value` cover
    the node's subtree in this tree (without the node itself, with its own value); upstream
    they are left at zero here (graph/referrers.py `with_reach` fills in each node's reach)."""

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
        return sum(node.value for node in self.nodes)


def check_depth(max_depth: int) -> None:
    if not 1 <= max_depth <= MAX_DEPTH:
        raise InvalidInput(
            f"maxDepth: must be between 1 and {MAX_DEPTH} (got {max_depth}); for a wider view "
            "use the per-depth summary of a shallower tree from the parties at its edge",
            field="maxDepth",
        )


def checked_currency(currency: str) -> str:
    """An ISO 4217 code in capitals, or InvalidInput."""
    code = currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(
            f"currency: '{currency}' is not a three-letter ISO 4217 code", field="currency"
        )
    return code


def party(graph: Graph, id_: str, *, field: str) -> PartyRef:
    """The person or company with this id, or NotFound."""
    [row] = graph.read(cypher.REFERRAL_PARTY, id=id_)
    if row["isPerson"]:
        return PartyRef(PartyKind.PERSON, id_)
    if row["isCompany"]:
        return PartyRef(PartyKind.COMPANY, id_)
    raise NotFound("person or company", id_, field=field)


def _order(row: dict[str, Any]) -> tuple[bool, dt.date, str]:
    date = to_date(row["date"])
    return (date is None, date or dt.date.min, row["referralId"])


def customer_values(
    graph: Graph, referred: Sequence[tuple[str, dt.date | None]], currency: str
) -> list[CustomerValue]:
    """For each (party, referral date): the customers it stands for and their deals since."""
    if not referred:
        return []
    rows = graph.read(
        cypher.REFERRED_CUSTOMERS,
        rows=[{"id": id_, "since": since} for id_, since in referred],
        currency=currency,
    )
    return [
        CustomerValue(
            party_id=row["id"],
            since=to_date(row["since"]),
            company_id=row["companyId"],
            status=row["status"],
            value=float(row["value"] or 0.0),
            deals=int(row["deals"]),
            first_deal=to_date(row["firstDeal"]),
            deals_before=int(row["dealsBefore"]),
        )
        for row in rows
    ]


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
    root = party(graph, from_id, field="fromId")
    downstream = direction is Direction.DOWNSTREAM
    statement = cypher.REFERRALS_MADE_BY if downstream else cypher.REFERRALS_RECEIVED_BY
    near, far, far_kind = (
        ("fromId", "toId", "toKind") if downstream else ("toId", "fromId", "fromKind")
    )
    nodes: dict[str, ChainNode] = {from_id: ChainNode(root, 0, None, None, None)}
    pairs: set[tuple[str, str]] = set()
    extra = repeats = cycles = 0
    frontier = [from_id]
    has_more = False
    for depth in range(1, max_depth + 2):
        if not frontier:
            break
        rows = sorted(graph.read(statement, ids=frontier), key=_order)
        if depth > max_depth:  # one level past the limit, only to say whether there is more
            has_more = any(row[far] not in nodes for row in rows)
            break
        frontier = []
        for row in rows:
            here, there = row[near], row[far]
            pair = (here, there)
            if there in nodes:
                extra += 1
                if pair in pairs:
                    repeats += 1
                elif _is_ancestor(nodes, there, here):
                    cycles += 1
            else:
                nodes[there] = ChainNode(
                    party=PartyRef(PartyKind(row[far_kind]), there),
                    depth=depth,
                    referral_id=row["referralId"],
                    date=to_date(row["date"]),
                    parent_id=here,
                )
                frontier.append(there)
            pairs.add(pair)
    ordered = list(nodes.values())  # insertion order is tree order: depth, date, id
    _attribute(graph, ordered, downstream, currency)
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


def _is_ancestor(nodes: dict[str, ChainNode], candidate: str, of: str) -> bool:
    current: str | None = of
    while current is not None:
        if current == candidate:
            return True
        current = nodes[current].parent_id
    return False


def _attribute(graph: Graph, ordered: list[ChainNode], downstream: bool, currency: str) -> None:
    """Give each node the value of the customers it brought first (see the module docstring).

    Upstream, a node brought what it stands for when it was referred by the next node up."""
    if downstream:
        referred = [(node.party.id, node.date) for node in ordered[1:]]
    else:
        brought_at: dict[str, dt.date | None] = {}
        for node in ordered[1:]:  # the first referral in tree order that brought each party
            if node.parent_id is not None:
                brought_at.setdefault(node.parent_id, node.date)
        referred = list(brought_at.items())
    by_party: dict[str, list[CustomerValue]] = {}
    for found in customer_values(graph, referred, currency):
        by_party.setdefault(found.party_id, []).append(found)
    taken: set[str] = set()
    for node in ordered:
        for found in sorted(by_party.get(node.party.id, []), key=lambda f: f.company_id):
            if found.company_id not in taken:
                taken.add(found.company_id)
                node.value += found.value


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
