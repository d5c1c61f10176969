"""The seeds' three measures of a customer relationship.

- length: since when we have had it (the earliest of the business relationship's `since`, the
  first deal and the first interaction), its lifecycle stage now and how long it has been in it;
- depth: repeat purchases, cross-sell (product lines beyond the first), revenue, and the
  referrals the customer and its people made;
- breadth: how many of our people hold relationships with how many of theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.core.history import from_ms
from graph.core.models import LifecycleStage, to_date, to_enum
from graph.cypher.evolution import measures as cypher
from graph.db.connection import Graph
from graph.db.errors import NotFound
from graph.deals import deals
from graph.evolution.timelines import lifecycle_timeline


@dataclass(frozen=True)
class RelationshipMeasures:
    company_id: str
    since: dt.date | None
    stage: LifecycleStage | None
    stage_since: dt.datetime | None
    days_in_stage: int | None
    deal_count: int
    revenue: float
    repeat_purchases: int
    cross_sell: int
    referrals: int
    interactions: int
    our_people: int
    their_people_known: int
    their_people: int
    relationships: int

    @property
    def years(self) -> float | None:
        if self.since is None:
            return None
        return round((dt.date.today() - self.since).days / 365.25, 2)

    @property
    def coverage(self) -> float | None:
        """Share of the customer's current people that one of ours knows."""
        return None if not self.their_people else self.their_people_known / self.their_people


def relationship_measures(graph: Graph, company_id: str) -> RelationshipMeasures:
    """Length, depth and breadth of our relationship with a customer."""
    rows = graph.read(cypher.RELATIONSHIP_MEASURES, companyId=company_id)
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    row = rows[0]
    [depth] = deals.depth_figures(graph, [company_id])
    timeline = lifecycle_timeline(graph, company_id)
    first_interaction = row["firstInteractionMs"]
    starts = [
        to_date(row["businessSince"]),
        None if depth is None else depth.first_deal_date,
        None if first_interaction is None else from_ms(int(first_interaction)).date(),
    ]
    known = [d for d in starts if d is not None]
    stage_since = timeline[-1].start if timeline else None
    return RelationshipMeasures(
        company_id=company_id,
        since=min(known) if known else None,
        stage=to_enum(LifecycleStage, row["stage"]),
        stage_since=stage_since,
        days_in_stage=None if stage_since is None else timeline[-1].days,
        deal_count=0 if depth is None else depth.deal_count,
        revenue=0.0 if depth is None else depth.total_amount,
        repeat_purchases=0 if depth is None else depth.repeat_purchases,
        cross_sell=0 if depth is None else depth.cross_sell_count,
        referrals=int(row["companyReferrals"]) + int(row["peopleReferrals"]),
        interactions=int(row["interactions"]),
        our_people=int(row["ourPeople"]),
        their_people_known=int(row["theirPeopleKnown"]),
        their_people=int(row["theirPeople"]),
        relationships=int(row["relationships"]),
    )
