"""Referral networks as GraphQL: chains, top referrers and conversion."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.core.currency import DEFAULT_CURRENCY
from graph.referrals import chains as rm
from graph.referrals import referrers as rr
from resolvers import referrals as resolve
from resolvers.pagination import page_of
from schema.descriptions import describe_values
from schema.pagination import After, Connection, First, backward_paging
from schema.rounding import described, rounded_or_none
from schema.types import Info, Party, load_party

strawberry.enum(
    rm.Direction,
    name="ReferralDirection",
    description="DOWNSTREAM: the referrals a party led to; UPSTREAM: those that led to it.",
)
describe_values(
    rm.Direction,
    DOWNSTREAM="The referrals the party made, then those the parties it referred made, and so on.",
    UPSTREAM="The referrals the party received, then those its referrers received, and so on "
    "back to the origins.",
)
strawberry.enum(
    rr.ReferrerOrder,
    name="ReferrerOrder",
    description="COUNT: referrals made; VALUE: what they brought; REACH: parties downstream.",
)
describe_values(
    rr.ReferrerOrder,
    COUNT="By referrals made (Referrer.referrals).",
    VALUE="By what its own referrals brought (Referrer.value).",
    REACH="By distinct parties downstream of it, at any depth (Referrer.reach).",
)

_VALUE = (
    "Deals in the chosen currency on or after the referral date of the customers this party "
    "brought first (a company itself, or where a referred person worked); nothing for an "
    "undated referral."
)

_CURRENCY = (
    "The ISO 4217 code value is counted in (case ignored); deals in other currencies bring "
    "nothing, they are not converted."
)
_SINCE = (
    "Count only the referrals dated on or after this day (undated ones then do not count); all "
    "if left out."
)


@strawberry.type(description="One party in a referral (推荐) tree.")
class ReferralNode:
    model: strawberry.Private[rm.ChainNode]

    @strawberry.field(description="The person or company.")
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.model.party)

    @strawberry.field(description="Levels from the root: 1 for a direct referral.")
    def depth(self) -> int:
        return self.model.depth

    @strawberry.field(
        description="The referral that placed this party in the tree: the earliest reaching it "
        "from the level above (undated ones last, then by id)."
    )
    def referral_id(self) -> strawberry.ID | None:
        return None if self.model.referral_id is None else strawberry.ID(self.model.referral_id)

    @strawberry.field(description="The date of that referral; null when it has none.")
    def date(self) -> dt.date | None:
        return self.model.date

    @strawberry.field(
        description="Downstream: the referrer. Upstream: the party this one referred."
    )
    def parent_id(self) -> strawberry.ID | None:
        return None if self.model.parent_id is None else strawberry.ID(self.model.parent_id)

    @strawberry.field(
        description="Downstream: parties below this one in the tree. Upstream: distinct "
        "parties downstream of it in the whole network (its reach)."
    )
    def downstream_count(self) -> int:
        return self.model.downstream_count

    @strawberry.field(description=_VALUE)
    def value(self) -> float:
        return self.model.value

    @strawberry.field(
        description="Downstream: this party's value and that of everyone below it in the tree. "
        "Upstream: what its referrals and those of everyone downstream of it brought."
    )
    def downstream_value(self) -> float:
        return self.model.downstream_value


@strawberry.type(description="How many parties a referral tree has at one depth.")
class ReferralLevel:
    depth: int = strawberry.field(description="Levels from the root: 1 for direct referrals.")
    count: int = strawberry.field(description="Parties at that depth.")
    value: float = strawberry.field(description=_VALUE)


@strawberry.type(
    description="A referral tree from a party, or upstream the referrals back to the origin "
    "(every referrer followed: a chain when each party was referred once). Each "
    "party appears once, at its first level and by the earliest referral reaching it; other "
    "referrals that reach a party already in the tree are counted, not followed. Each "
    "customer's value goes to the first party of the tree that brought it."
)
class ReferralChain:
    model: strawberry.Private[rm.ReferralChain]

    @strawberry.field(description="The party the tree starts from.")
    async def root(self, info: Info) -> Party:
        return await load_party(info, self.model.root)

    @strawberry.field(description="Which way the tree goes from the root.")
    def direction(self) -> rm.Direction:
        return self.model.direction

    @strawberry.field(description="The deepest level followed, as asked.")
    def max_depth(self) -> int:
        return self.model.max_depth

    @strawberry.field(description="The currency value is counted in: an ISO 4217 code.")
    def currency(self) -> str:
        return self.model.currency

    @strawberry.field(description="Parties in the tree, the root not counted.")
    def total(self) -> int:
        return self.model.total

    @strawberry.field(description="The value of the levels (the root's own not counted). " + _VALUE)
    def value(self) -> float:
        return self.model.value

    @strawberry.field(description="Counts and value per depth.")
    def levels(self) -> list[ReferralLevel]:
        return [
            ReferralLevel(depth=x.depth, count=x.count, value=x.value) for x in self.model.levels
        ]

    @strawberry.field(description="Referrals that reached a party already in the tree.")
    def extra_referrals(self) -> int:
        return self.model.extra_referrals

    @strawberry.field(description="Of those, a referrer referring the same party again.")
    def repeat_referrals(self) -> int:
        return self.model.repeat_referrals

    @strawberry.field(description="Of those, referrals back to an ancestor of the referrer.")
    def cycles(self) -> int:
        return self.model.cycles

    @strawberry.field(description="The tree goes on below maxDepth.")
    def has_more(self) -> bool:
        return self.model.has_more

    @backward_paging
    @strawberry.field(description="The parties, by depth, then date and id; 20 a page.")
    def nodes(self, first: First = None, after: After = None) -> Connection[ReferralNode]:
        page = page_of(self.model.nodes[1:], first, after)
        return Connection.from_page(page, lambda node: ReferralNode(model=node))


@strawberry.type(description="One referrer's figures over the referral network.")
class Referrer:
    model: strawberry.Private[rr.ReferrerStats]
    rank: int = strawberry.field(description="Its place in the ranking: 1 for the first.")

    @strawberry.field(description="The referrer: a person or a company.")
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.model.party)

    @strawberry.field(description="Referrals made (since the date, when one is given).")
    def referrals(self) -> int:
        return self.model.referrals

    @strawberry.field(description="Distinct parties referred.")
    def referred(self) -> int:
        return self.model.referred

    @strawberry.field(description="Distinct parties downstream, at any depth.")
    def reach(self) -> int:
        return self.model.reach

    @strawberry.field(
        description="What this party's own referrals brought; each customer's value goes to "
        "the earliest referral that brought it."
    )
    def value(self) -> float:
        return self.model.value

    @strawberry.field(description="What every referral downstream of it brought, its own too.")
    def reach_value(self) -> float:
        return self.model.reach_value

    @strawberry.field(
        description="The date of its earliest dated referral counted; null when none is dated."
    )
    def first_referral(self) -> dt.date | None:
        return self.model.first_referral

    @strawberry.field(
        description="The date of its latest dated referral counted; null when none is dated."
    )
    def last_referral(self) -> dt.date | None:
        return self.model.last_referral


@strawberry.type(
    description="How referred parties turned into customers: the seeds' effective referrals "
    "(有效推荐)."
)
class ReferralConversion:
    model: strawberry.Private[rr.Conversion]

    @strawberry.field(description="Distinct parties referred, each at its first referral.")
    def referred(self) -> int:
        return self.model.referred

    @strawberry.field(
        description="Of those, the parties that stand for a customer company: a referred "
        "company (not ours), or a referred person's employers on the referral date (current "
        "ones when it is undated)."
    )
    def with_customer(self) -> int:
        return self.model.with_customer

    @strawberry.field(
        description="Of those, the parties whose customer had deals (any currency) before the "
        "referral, or at all when it is undated: customers already, left out of the rate."
    )
    def already_customers(self) -> int:
        return self.model.already_customers

    @strawberry.field(
        description="Of the rest, the parties with a customer that is CURRENT or WON_BACK now."
    )
    def converted(self) -> int:
        return self.model.converted

    @strawberry.field(
        description=described(
            "Converted over the referred less those already customers, 0 to 1; null when none "
            "are left."
        )
    )
    def rate(self) -> float | None:
        return rounded_or_none(self.model.rate)

    @strawberry.field(
        description="The median of the days from the referral to the customer's first deal on "
        "or after its date (any currency), over the converted parties with a dated referral "
        "and such a deal; null when there are none."
    )
    def median_days_to_first_deal(self) -> float | None:
        return self.model.median_days

    @strawberry.field(
        description="The 90th percentile (nearest rank) of the same days; null when there are none."
    )
    def p90_days_to_first_deal(self) -> float | None:
        return self.model.p90_days


@strawberry.type
class ReferralQuery:
    @strawberry.field(
        description=f"The referral tree from a person or company (DOWNSTREAM), or the chain "
        f"back to the origin (UPSTREAM, every referrer followed), to maxDepth levels (at most "
        f"{rm.MAX_DEPTH})."
    )
    async def referral_chain(
        self,
        info: Info,
        from_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The person or company the tree starts from."),
        ],
        direction: Annotated[
            rm.Direction, strawberry.argument(description="Which way to follow referrals.")
        ] = rm.Direction.DOWNSTREAM,
        max_depth: Annotated[
            int,
            strawberry.argument(description=f"How many levels to follow: 1 to {rm.MAX_DEPTH}."),
        ] = rm.DEFAULT_DEPTH,
        currency: Annotated[str, strawberry.argument(description=_CURRENCY)] = DEFAULT_CURRENCY,
    ) -> ReferralChain:
        found = await resolve.referral_chain(
            info.context, str(from_id), direction, max_depth, currency
        )
        return ReferralChain(model=found)

    @strawberry.field(
        description="Referrers ranked by count, value or reach; ties go to the lower id. "
        "Only referrals made on or after `since` count when it is given."
    )
    async def top_referrers(
        self,
        info: Info,
        by: Annotated[
            rr.ReferrerOrder, strawberry.argument(description="The figure to rank by.")
        ] = rr.ReferrerOrder.COUNT,
        limit: Annotated[
            int,
            strawberry.argument(description=f"How many referrers: 1 to {rr.MAX_REFERRERS}."),
        ] = 10,
        since: Annotated[dt.date | None, strawberry.argument(description=_SINCE)] = None,
        currency: Annotated[str, strawberry.argument(description=_CURRENCY)] = DEFAULT_CURRENCY,
    ) -> list[Referrer]:
        found = await resolve.top_referrers(info.context, by, limit, since, currency)
        return [Referrer(model=stats, rank=index + 1) for index, stats in enumerate(found)]

    @strawberry.field(
        description="Of those referred (by `fromId` when given, since a date), how many became "
        "current customers, and how long it took."
    )
    async def referral_conversion(
        self,
        info: Info,
        from_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only the parties this person or company referred; everyone's "
                "referrals if left out."
            ),
        ] = None,
        since: Annotated[dt.date | None, strawberry.argument(description=_SINCE)] = None,
        currency: Annotated[
            str,
            strawberry.argument(
                description="An ISO 4217 code, checked; the figures count deals in any currency."
            ),
        ] = DEFAULT_CURRENCY,
    ) -> ReferralConversion:
        found = await resolve.referral_conversion(
            info.context, None if from_id is None else str(from_id), since, currency
        )
        return ReferralConversion(model=found)
