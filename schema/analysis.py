"""Analyst views as GraphQL: network measures (degree, PageRank, betweenness, communities),
the tier pyramid and customer value classes from deals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.analysis import classes as cm
from graph.analysis import network as nm
from graph.analysis import pyramid as pm
from graph.core.currency import DEFAULT_CURRENCY
from graph.core.models import PartyRef, PersonTier, ValueClass
from resolvers import analysis as resolve
from resolvers.pagination import page_of
from schema.auth import NETWORK_MEASURES
from schema.pagination import Connection, backward_paging
from schema.rounding import described, rounded, rounded_or_none
from schema.types import Company, Info, Party, Person, load_company, load_party, load_person

strawberry.enum(
    pm.Verdict,
    name="PyramidVerdict",
    description="A tier's share against the seeds' rule, with its tolerance.",
)


@strawberry.type(description="One tier of a pyramid; shares are of all contacts.")
class PyramidTier:
    tier: PersonTier
    count: int
    share: float | None = strawberry.field(
        description=described("Null when there are no contacts.")
    )
    expected_share_low: float = strawberry.field(description="The seeds' rule, low end.")
    expected_share_high: float = strawberry.field(description="The seeds' rule, high end.")
    expected_count_low: float
    expected_count_high: float
    within_low: float = strawberry.field(description="The lowest share that counts as WITHIN.")
    within_high: float = strawberry.field(description="The highest share that counts as WITHIN.")
    verdict: pm.Verdict | None


@strawberry.type(
    description="How the contacts of one of our people, or a team, spread over the tiers, "
    "against the seeds' rule of thumb: of 100 contacts about 50 acquaintances, 10 friends and "
    "3-5 confidants. A team counts each contact once, at the highest tier any member holds."
)
class TierPyramid:
    model: strawberry.Private[pm.TierPyramid]

    @strawberry.field(description="The team's people.")
    async def team(self, info: Info) -> list[Person]:
        return [await load_person(info, id_) for id_ in self.model.team]

    @strawberry.field(description="Our company whose staff is the team, when asked by company.")
    async def company(self, info: Info) -> Company | None:
        found = self.model.company_id
        return None if found is None else await load_company(info, found)

    @strawberry.field
    def team_size(self) -> int:
        return self.model.team_size

    @strawberry.field(description="Distinct people outside our companies the team knows.")
    def total_contacts(self) -> int:
        return self.model.total_contacts

    @strawberry.field(description="Passer-by up to confidant.")
    def tiers(self) -> list[PyramidTier]:
        return [
            PyramidTier(
                tier=t.tier,
                count=t.count,
                share=rounded_or_none(t.share),
                expected_share_low=t.expected_share[0],
                expected_share_high=t.expected_share[1],
                expected_count_low=t.expected_count[0],
                expected_count_high=t.expected_count[1],
                within_low=t.band[0],
                within_high=t.band[1],
                verdict=t.verdict,
            )
            for t in self.model.tiers
        ]


@strawberry.type(description="A customer's revenue, its computed value class and the set one.")
class CustomerValue:
    model: strawberry.Private[cm.CompanyValue]

    @strawberry.field
    async def company(self, info: Info) -> Company:
        return await load_company(info, self.model.company_id)

    @strawberry.field(description="Revenue in the report's currency, since its date.")
    def revenue(self) -> float:
        return self.model.revenue

    @strawberry.field
    def deal_count(self) -> int:
        return self.model.deal_count

    @strawberry.field(description="Deals left out because they are in another currency.")
    def other_currency_deals(self) -> int:
        return self.model.other_currency_deals

    @strawberry.field(description=described("Share of all customers' revenue."))
    def share(self) -> float:
        return rounded(self.model.share)

    @strawberry.field(
        description=described("Share of revenue of this customer and those ranked above.")
    )
    def cumulative_share(self) -> float:
        return rounded(self.model.cumulative_share)

    @strawberry.field(description="The class from revenue (the Pareto rule).")
    def computed_class(self) -> ValueClass:
        return self.model.computed_class

    @strawberry.field(description="The class people set (company.valueClass).")
    def set_class(self) -> ValueClass | None:
        return self.model.set_class

    @strawberry.field(description="Null when no class is set.")
    def agrees(self) -> bool | None:
        return self.model.agrees


@strawberry.type(description="How many customers have a computed class.")
class ValueClassCount:
    value_class: ValueClass
    count: int


@strawberry.type(description="Customers with this set class (null: unset) and computed class.")
class ValueClassCell:
    set_class: ValueClass | None
    computed_class: ValueClass
    count: int


@strawberry.type(
    description="Customer value classes from deal revenue beside the classes people set. The "
    "rule: rank customers by revenue in one currency since a date; A are those that make up "
    "the first 80% of revenue (the one crossing 80% included), B the next ones to 95%, C the "
    "rest, with customers without revenue that are CURRENT, WON_BACK or CHURNED or have deals."
)
class ValueClassReport:
    model: strawberry.Private[cm.ValueClassReport]

    @strawberry.field
    def currency(self) -> str:
        return self.model.currency

    @strawberry.field
    def since(self) -> dt.date | None:
        return self.model.since

    @strawberry.field
    def total_revenue(self) -> float:
        return self.model.summary.total_revenue

    @strawberry.field
    def classified(self) -> int:
        return self.model.summary.classified

    @strawberry.field(description="Customers without deals or a paying status: not classified.")
    def unclassified(self) -> int:
        return self.model.summary.unclassified

    @strawberry.field(description="Deals in other currencies, left out.")
    def other_currency_deals(self) -> int:
        return self.model.summary.other_currency_deals

    @strawberry.field
    def counts(self) -> list[ValueClassCount]:
        return [
            ValueClassCount(value_class=c, count=n) for c, n in self.model.summary.counts.items()
        ]

    @strawberry.field(description="Set class against computed class, every cell.")
    def matrix(self) -> list[ValueClassCell]:
        return [
            ValueClassCell(set_class=set_class, computed_class=computed, count=count)
            for set_class, row in self.model.summary.matrix.items()
            for computed, count in row.items()
        ]

    @backward_paging
    @strawberry.field(description="Every classified customer, by revenue then id; 20 a page.")
    def customers(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[CustomerValue]:
        page = page_of(self.model.companies, first, after)
        return Connection.from_page(page, lambda item: CustomerValue(model=item))

    @backward_paging
    @strawberry.field(description="Customers whose set class is not the computed one.")
    def disagreements(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[CustomerValue]:
        page = page_of(self.model.disagreements, first, after)
        return Connection.from_page(page, lambda item: CustomerValue(model=item))


@strawberry.type
class AnalysisQuery:
    @strawberry.field(
        description=f"The tier pyramid of our people: give personIds (one person or a team, at "
        f"most {pm.MAX_TEAM}) or companyId (one of our companies: its current staff)."
    )
    async def tier_pyramid(
        self,
        info: Info,
        person_ids: list[strawberry.ID] | None = None,
        company_id: strawberry.ID | None = None,
    ) -> TierPyramid:
        ids = None if person_ids is None else [str(id_) for id_ in person_ids]
        found = await resolve.tier_pyramid(
            info.context, ids, None if company_id is None else str(company_id)
        )
        return TierPyramid(model=found)

    @strawberry.field(description="Customer value classes from deal revenue (a Pareto rule).")
    async def value_classes(
        self, info: Info, since: dt.date | None = None, currency: str = DEFAULT_CURRENCY
    ) -> ValueClassReport:
        return ValueClassReport(model=await resolve.value_classes(info.context, since, currency))


strawberry.enum(
    nm.Network,
    name="NetworkKind",
    description="RELATIONSHIPS: people who know each other, their current roles and company "
    "relationships, undirected. REFERRALS: who referred whom, directed.",
)
strawberry.enum(nm.Measure, name="NetworkMeasure", description="What to rank nodes by.")


@strawberry.type(description="One person's or company's place in a network.")
class NodeMeasures:
    model: strawberry.Private[nm.NodeMeasure]

    @strawberry.field
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.model.ref)

    @strawberry.field(description="Edges; in the referral network, in plus out.")
    def degree(self) -> int:
        return self.model.degree

    @strawberry.field(description="Referrals received (referral network only).")
    def in_degree(self) -> int | None:
        return self.model.in_degree

    @strawberry.field(description="Referrals made (referral network only).")
    def out_degree(self) -> int | None:
        return self.model.out_degree

    @strawberry.field(
        description="PageRank, damping 0.85; the ranks add up to 1. Weighted by strength when "
        "the measures are `weighted`."
    )
    def pagerank(self) -> float:
        return self.model.pagerank

    @strawberry.field(
        description="Normalised betweenness (as networkx), sampled on big networks; when "
        "`weighted`, over shortest paths by distance 1 / strength."
    )
    def betweenness(self) -> float:
        return self.model.betweenness

    @strawberry.field(description="The id of its community.")
    def community(self) -> int:
        return self.model.community


@strawberry.type(description="A member of a community.")
class CommunityMember:
    ref: strawberry.Private[PartyRef]

    @strawberry.field
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.ref)


@strawberry.type(description="A cluster of people (and companies) more tied to each other.")
class Community:
    model: strawberry.Private[nm.Community]

    @strawberry.field(description="0 for the biggest; by size, then smallest member id.")
    def id(self) -> int:
        return self.model.id

    @strawberry.field
    def size(self) -> int:
        return self.model.size

    @backward_paging
    @strawberry.field(description="Members by id; 20 a page.")
    def members(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[CommunityMember]:
        page = page_of(self.model.members, first, after)
        return Connection.from_page(page, lambda ref: CommunityMember(ref=ref))


@strawberry.type(
    description="Measures of a network, whole or around a company, computed with igraph and "
    "cached until the graph changes."
)
class NetworkAnalysis:
    model: strawberry.Private[nm.NetworkMeasures]

    @strawberry.field
    def network(self) -> nm.Network:
        return self.model.network

    @strawberry.field(description="The company whose neighbourhood this is, if any.")
    async def company(self, info: Info) -> Company | None:
        found = self.model.company_id
        return None if found is None else await load_company(info, found)

    @strawberry.field
    def node_count(self) -> int:
        return self.model.node_count

    @strawberry.field
    def edge_count(self) -> int:
        return self.model.edge_count

    @strawberry.field(
        description=described(
            "Of the communities found (weighted by strength when `weighted`); null without edges."
        )
    )
    def modularity(self) -> float | None:
        return rounded_or_none(self.model.modularity)

    @strawberry.field(
        description="Whether the measures weigh edges by strength (the `weighted` argument)."
    )
    def weighted(self) -> bool:
        return self.model.weighted

    @strawberry.field(description="Null when betweenness is exact, else the sources sampled.")
    def betweenness_sources(self) -> int | None:
        return self.model.betweenness_sources

    @strawberry.field(description="When these figures were computed (they are cached).")
    def computed_at(self) -> dt.datetime:
        return self.model.computed_at

    @backward_paging
    @strawberry.field(description="Nodes ranked by a measure, ties by id; 20 a page.")
    def nodes(
        self,
        order_by: nm.Measure = nm.Measure.PAGERANK,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[NodeMeasures]:
        page = page_of(self.model.ranked(order_by), first, after)
        return Connection.from_page(page, lambda node: NodeMeasures(model=node))

    @strawberry.field(description="One person's or company's measures; null if not in it.")
    def node(self, id: strawberry.ID) -> NodeMeasures | None:
        found = self.model.node(str(id))
        return None if found is None else NodeMeasures(model=found)

    @backward_paging
    @strawberry.field(description="Communities, biggest first; 20 a page.")
    def communities(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[Community]:
        page = page_of(self.model.communities, first, after)
        return Connection.from_page(page, lambda community: Community(model=community))


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        permission_classes=NETWORK_MEASURES,
        description="Degree, PageRank, betweenness and communities over the relationship or "
        "referral network, for the whole graph or a company's neighbourhood (the company, its "
        "people, whom they know, and where those work).",
    )
    async def network_measures(
        self,
        info: Info,
        network: nm.Network,
        company_id: strawberry.ID | None = None,
        weighted: Annotated[
            bool,
            strawberry.argument(
                description="False (the default): every edge counts alike. True: each edge "
                "weighs what networkx's `weight` would: a relationship or company relationship "
                "its strength, a current role 1, a pair's referrals their number. PageRank, "
                "communities and modularity use the weight; betweenness follows shortest paths "
                "by distance 1 / weight (rounded to a multiple of 2^-20), so a strong tie is a "
                "short one. An edge of strength 0 is then no edge; degree stays the count of "
                "edges."
            ),
        ] = False,
    ) -> NetworkAnalysis:
        found = await resolve.network_measures(
            info.context, network, None if company_id is None else str(company_id), weighted
        )
        return NetworkAnalysis(model=found)
