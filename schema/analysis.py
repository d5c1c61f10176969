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
from schema.descriptions import describe_values
from schema.pagination import After, Connection, First, backward_paging
from schema.rounding import described, rounded, rounded_or_none
from schema.types import Company, Info, Party, Person, load_company, load_party, load_person

strawberry.enum(
    pm.Verdict,
    name="PyramidVerdict",
    description="Where a tier's share of the contacts stands against the seeds' rule of thumb "
    "(of 100 contacts about 50 熟人 acquaintances, 10 朋友 friends, 3-5 知己 confidants, the "
    "rest 过客 passers-by), the rule's range widened by 20% at both ends; compared exactly.",
)
describe_values(
    pm.Verdict,
    BELOW="The share is under withinLow (e.g. friends under 8% of the contacts).",
    WITHIN="The share lies from withinLow to withinHigh, both included (friends 8% to 12%).",
    ABOVE="The share is over withinHigh (e.g. confidants over 6% of the contacts).",
)


@strawberry.type(
    description="One tier of a pyramid: how many contacts are at it, against the seeds' rule. "
    "Shares are fractions (0 to 1) of all the team's contacts."
)
class PyramidTier:
    tier: PersonTier = strawberry.field(
        description="The person-to-person tier: 过客 passer-by, 熟人 acquaintance, 朋友 friend or "
        "知己 confidant."
    )
    count: int = strawberry.field(
        description="Contacts whose highest tier with any team member is this one."
    )
    share: float | None = strawberry.field(
        description=described(
            "The share of contacts at this tier, count / totalContacts; null when there are no "
            "contacts."
        )
    )
    expected_share_low: float = strawberry.field(
        description="The low end of the seeds' share for this tier: passer-by 0.35, "
        "acquaintance 0.5, friend 0.1, confidant 0.03."
    )
    expected_share_high: float = strawberry.field(
        description="The high end of the seeds' share for this tier: passer-by 0.37, "
        "acquaintance 0.5, friend 0.1, confidant 0.05."
    )
    expected_count_low: float = strawberry.field(
        description="The contacts the rule expects at this tier, low end: expectedShareLow x "
        "totalContacts (not rounded: 3.5 is possible)."
    )
    expected_count_high: float = strawberry.field(
        description="The contacts the rule expects at this tier, high end: expectedShareHigh x "
        "totalContacts (not rounded)."
    )
    within_low: float = strawberry.field(
        description="The lowest share that counts as WITHIN: expectedShareLow less 20% of it "
        "(friends 0.08)."
    )
    within_high: float = strawberry.field(
        description="The highest share that counts as WITHIN: expectedShareHigh plus 20% of it "
        "(friends 0.12)."
    )
    verdict: pm.Verdict | None = strawberry.field(
        description="The share against withinLow and withinHigh; null when there are no contacts."
    )


@strawberry.type(
    description="How the contacts of one of our people, or a team, spread over the tiers, "
    "against the seeds' rule of thumb: of 100 contacts about 50 acquaintances, 10 friends and "
    "3-5 confidants (熟人, 朋友, 知己; the rest stay 过客 passers-by). A contact is someone a "
    "team member knows (a relationship either way) who is not one of our people (no current "
    "role at one of our companies; a former colleague counts). A team counts each contact "
    "once, at the highest tier any member holds."
)
class TierPyramid:
    model: strawberry.Private[pm.TierPyramid]

    @strawberry.field(
        description="The team: the people given, or the company's current staff; by id."
    )
    async def team(self, info: Info) -> list[Person]:
        return [await load_person(info, id_) for id_ in self.model.team]

    @strawberry.field(
        description="Our company whose current staff is the team, when asked by companyId; "
        "null when asked by personIds."
    )
    async def company(self, info: Info) -> Company | None:
        found = self.model.company_id
        return None if found is None else await load_company(info, found)

    @strawberry.field(description="People in the team (an id given twice counts once).")
    def team_size(self) -> int:
        return self.model.team_size

    @strawberry.field(
        description="Distinct contacts of the team: people it knows who are not our people."
    )
    def total_contacts(self) -> int:
        return self.model.total_contacts

    @strawberry.field(
        description="The four tiers, each present, from 过客 passer-by up to 知己 confidant."
    )
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

    @strawberry.field(description="The customer (a company that is not one of ours).")
    async def company(self, info: Info) -> Company:
        return await load_company(info, self.model.company_id)

    @strawberry.field(
        description="The sum of its deals in the report's currency dated on or after the "
        "report's since (all dates when null); not rounded."
    )
    def revenue(self) -> float:
        return self.model.revenue

    @strawberry.field(description="Deals counted in revenue (in the currency and the window).")
    def deal_count(self) -> int:
        return self.model.deal_count

    @strawberry.field(
        description="Its deals in the window left out because they are in another currency "
        "(amounts are not converted)."
    )
    def other_currency_deals(self) -> int:
        return self.model.other_currency_deals

    @strawberry.field(
        description=described(
            "Its share of all classified customers' revenue, 0 to 1 (0 when "
            "there is no revenue at all)."
        )
    )
    def share(self) -> float:
        return rounded(self.model.share)

    @strawberry.field(
        description=described(
            "The share of revenue of this customer and those ranked above it, 0 to 1."
        )
    )
    def cumulative_share(self) -> float:
        return rounded(self.model.cumulative_share)

    @strawberry.field(
        description="The value class from revenue by the Pareto rule: A up to 80% of revenue, B "
        "up to 95%, C the rest (see ValueClassReport)."
    )
    def computed_class(self) -> ValueClass:
        return self.model.computed_class

    @strawberry.field(
        description="The value class people set on the company (Company.valueClass); null when "
        "unset."
    )
    def set_class(self) -> ValueClass | None:
        return self.model.set_class

    @strawberry.field(description="Whether setClass is computedClass; null when no class is set.")
    def agrees(self) -> bool | None:
        return self.model.agrees


@strawberry.type(description="How many customers have a computed class.")
class ValueClassCount:
    value_class: ValueClass = strawberry.field(description="A computed value class: A, B or C.")
    count: int = strawberry.field(description="Classified customers with that computed class.")


@strawberry.type(description="Customers with this set class (null: unset) and computed class.")
class ValueClassCell:
    set_class: ValueClass | None = strawberry.field(
        description="The class people set; null for the customers without one."
    )
    computed_class: ValueClass = strawberry.field(description="The class from revenue.")
    count: int = strawberry.field(description="Classified customers with both; 0 included.")


@strawberry.type(
    description="Customer value classes from deal revenue beside the classes people set. The "
    "rule: rank customers by revenue in one currency since a date; A are those that make up "
    "the first 80% of revenue (the one crossing 80% included), B the next ones to 95%, C the "
    "rest, with customers without revenue that are CURRENT, WON_BACK or CHURNED or have deals. "
    "Equal revenues go by company id; the thresholds are compared exactly. Cached until "
    "companies, deals or the change log change."
)
class ValueClassReport:
    model: strawberry.Private[cm.ValueClassReport]

    @strawberry.field(
        description="The currency revenue is counted in: an ISO 4217 code in capitals (a deal "
        "stored without a currency counts as CNY)."
    )
    def currency(self) -> str:
        return self.model.currency

    @strawberry.field(description="Deals dated on or after this day count; null: all deals.")
    def since(self) -> dt.date | None:
        return self.model.since

    @strawberry.field(
        description="The revenue of all classified customers, in the currency and the window; "
        "not rounded."
    )
    def total_revenue(self) -> float:
        return self.model.summary.total_revenue

    @strawberry.field(description="Customers given a computed class (listed in customers).")
    def classified(self) -> int:
        return self.model.summary.classified

    @strawberry.field(description="Customers without deals or a paying status: not classified.")
    def unclassified(self) -> int:
        return self.model.summary.unclassified

    @strawberry.field(
        description="Deals in the window in other currencies, of every customer, left out."
    )
    def other_currency_deals(self) -> int:
        return self.model.summary.other_currency_deals

    @strawberry.field(description="Classified customers per computed class: A, B, C, each present.")
    def counts(self) -> list[ValueClassCount]:
        return [
            ValueClassCount(value_class=c, count=n) for c, n in self.model.summary.counts.items()
        ]

    @strawberry.field(
        description="Set class (A, B, C or none) against computed class (A, B, C): all 12 "
        "cells, 0 included."
    )
    def matrix(self) -> list[ValueClassCell]:
        return [
            ValueClassCell(set_class=set_class, computed_class=computed, count=count)
            for set_class, row in self.model.summary.matrix.items()
            for computed, count in row.items()
        ]

    @backward_paging
    @strawberry.field(description="Every classified customer, by revenue then id; 20 a page.")
    def customers(self, first: First = None, after: After = None) -> Connection[CustomerValue]:
        page = page_of(self.model.companies, first, after)
        return Connection.from_page(page, lambda item: CustomerValue(model=item))

    @backward_paging
    @strawberry.field(description="Customers whose set class is not the computed one.")
    def disagreements(self, first: First = None, after: After = None) -> Connection[CustomerValue]:
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
        person_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description=f"Our people (each with a current role at one of our companies) "
                f"whose contacts count together, at most {pm.MAX_TEAM}; give this or companyId."
            ),
        ] = None,
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="One of our companies: its current staff is the team (the result "
                "is cached until the graph changes); give this or personIds."
            ),
        ] = None,
    ) -> TierPyramid:
        ids = None if person_ids is None else [str(id_) for id_ in person_ids]
        found = await resolve.tier_pyramid(
            info.context, ids, None if company_id is None else str(company_id)
        )
        return TierPyramid(model=found)

    @strawberry.field(description="Customer value classes from deal revenue (a Pareto rule).")
    async def value_classes(
        self,
        info: Info,
        since: Annotated[
            dt.date | None,
            strawberry.argument(
                description="Count the deals dated on or after this day; all deals if left out."
            ),
        ] = None,
        currency: Annotated[
            str,
            strawberry.argument(
                description="The ISO 4217 code revenue is counted in (case ignored); deals in "
                "other currencies are left out, not converted."
            ),
        ] = DEFAULT_CURRENCY,
    ) -> ValueClassReport:
        return ValueClassReport(model=await resolve.value_classes(info.context, since, currency))


strawberry.enum(
    nm.Network,
    name="NetworkKind",
    description="Which network to measure: its nodes are people and companies.",
)
describe_values(
    nm.Network,
    RELATIONSHIPS="Undirected: people who know each other (a relationship of any tier), people "
    "and the companies where they hold a current role, and companies that do business with "
    "each other (a company relationship of any tier).",
    REFERRALS="Directed, from referrer to referred (推荐): who referred whom, people and "
    "companies; the referrals of one pair are one edge (weighted, their number).",
)
strawberry.enum(
    nm.Measure,
    name="NetworkMeasure",
    description="The measure NetworkAnalysis.nodes ranks by, highest first, ties by id.",
)
describe_values(
    nm.Measure,
    DEGREE="By degree: the count of edges (in the referral network, in plus out).",
    PAGERANK="By PageRank.",
    BETWEENNESS="By betweenness.",
)


@strawberry.type(description="One person's or company's place in a network.")
class NodeMeasures:
    model: strawberry.Private[nm.NodeMeasure]

    @strawberry.field(description="The person or company.")
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.model.ref)

    @strawberry.field(
        description="Its edges, each neighbour once, never weighted; in the referral network, "
        "inDegree plus outDegree."
    )
    def degree(self) -> int:
        return self.model.degree

    @strawberry.field(
        description="The parties that referred it, each once (referral network only; null in "
        "the relationship network)."
    )
    def in_degree(self) -> int | None:
        return self.model.in_degree

    @strawberry.field(
        description="The parties it referred, each once (referral network only; null in the "
        "relationship network)."
    )
    def out_degree(self) -> int | None:
        return self.model.out_degree

    @strawberry.field(
        description=f"PageRank (igraph), damping {nm.DAMPING}, directed in the referral "
        f"network; the ranks add up to 1. Weighted by the edges' weights when the measures are "
        f"`weighted`. Not rounded."
    )
    def pagerank(self) -> float:
        return self.model.pagerank

    @strawberry.field(
        description=f"Betweenness normalised as networkx's betweenness_centrality (0 to 1), "
        f"directed in the referral network: exact up to {nm.BETWEENNESS_EXACT_LIMIT:,} nodes, "
        f"above that estimated from {nm.BETWEENNESS_SOURCES} sources drawn with seed "
        f"{nm.SEED} (betweennessSources). When `weighted`, over shortest paths by distance "
        f"1 / strength. Not rounded."
    )
    def betweenness(self) -> float:
        return self.model.betweenness

    @strawberry.field(description="The id of its community (Community.id; 0 for the biggest).")
    def community(self) -> int:
        return self.model.community


@strawberry.type(description="A member of a community.")
class CommunityMember:
    ref: strawberry.Private[PartyRef]

    @strawberry.field(description="The person or company.")
    async def party(self, info: Info) -> Party:
        return await load_party(info, self.ref)


@strawberry.type(
    description=f"A cluster of people (and companies) more tied to each other than to the "
    f"rest, found by Louvain (igraph's multilevel method, resolution 1, random seed {nm.SEED}) "
    f"on the network taken as undirected; weighted by the edges' weights when the measures are "
    f"`weighted`."
)
class Community:
    model: strawberry.Private[nm.Community]

    @strawberry.field(
        description="0 for the biggest, then by size descending, ties by smallest member id."
    )
    def id(self) -> int:
        return self.model.id

    @strawberry.field(description="How many members it has.")
    def size(self) -> int:
        return self.model.size

    @backward_paging
    @strawberry.field(description="Members by id; 20 a page.")
    def members(self, first: First = None, after: After = None) -> Connection[CommunityMember]:
        page = page_of(self.model.members, first, after)
        return Connection.from_page(page, lambda ref: CommunityMember(ref=ref))


@strawberry.type(
    description="Measures of a network, whole or around a company, computed with igraph and "
    "cached until the graph changes. Nodes are the people and companies with an edge (and the "
    "company asked about)."
)
class NetworkAnalysis:
    model: strawberry.Private[nm.NetworkMeasures]

    @strawberry.field(description="The network measured.")
    def network(self) -> nm.Network:
        return self.model.network

    @strawberry.field(
        description="The company whose neighbourhood this is; null for the whole graph."
    )
    async def company(self, info: Info) -> Company | None:
        found = self.model.company_id
        return None if found is None else await load_company(info, found)

    @strawberry.field(
        description="People and companies with at least one edge (and the company asked about)."
    )
    def node_count(self) -> int:
        return self.model.node_count

    @strawberry.field(
        description="Distinct edges, repeats and self-loops dropped (with `weighted`, edges of "
        "strength 0 included, though the measures skip them)."
    )
    def edge_count(self) -> int:
        return self.model.edge_count

    @strawberry.field(
        description=described(
            "The modularity of the communities found (Louvain, resolution 1), on the network "
            "taken as undirected, weighted by the edges' weights when `weighted`; null without "
            "edges."
        )
    )
    def modularity(self) -> float | None:
        return rounded_or_none(self.model.modularity)

    @strawberry.field(
        description="Whether the measures weigh edges by strength (the `weighted` argument)."
    )
    def weighted(self) -> bool:
        return self.model.weighted

    @strawberry.field(
        description=f"Null when betweenness is exact ({nm.BETWEENNESS_EXACT_LIMIT:,} nodes or "
        f"fewer); else how many sources it was estimated from ({nm.BETWEENNESS_SOURCES})."
    )
    def betweenness_sources(self) -> int | None:
        return self.model.betweenness_sources

    @strawberry.field(
        description="When these figures were computed: they are cached until the graph "
        "changes, so it may be before the request."
    )
    def computed_at(self) -> dt.datetime:
        return self.model.computed_at

    @backward_paging
    @strawberry.field(description="Nodes ranked by a measure, ties by id; 20 a page.")
    def nodes(
        self,
        order_by: Annotated[
            nm.Measure,
            strawberry.argument(description="The measure to rank by, highest first."),
        ] = nm.Measure.PAGERANK,
        first: First = None,
        after: After = None,
    ) -> Connection[NodeMeasures]:
        page = page_of(self.model.ranked(order_by), first, after)
        return Connection.from_page(page, lambda node: NodeMeasures(model=node))

    @strawberry.field(
        description="One person's or company's measures; null if it is not in the network (no "
        "edge there)."
    )
    def node(
        self,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The person's or company's id.")
        ],
    ) -> NodeMeasures | None:
        found = self.model.node(str(id))
        return None if found is None else NodeMeasures(model=found)

    @backward_paging
    @strawberry.field(description="Communities, biggest first; 20 a page.")
    def communities(self, first: First = None, after: After = None) -> Connection[Community]:
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
        network: Annotated[nm.Network, strawberry.argument(description="The network to measure.")],
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Measure only this company's neighbourhood: the company, its "
                "current people, the people they know, and the companies where any of those "
                "hold a current role (in the referral network, every referral made or received "
                "by them). The whole graph if left out."
            ),
        ] = None,
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
