"""Network measures as GraphQL: degree, PageRank, betweenness and communities."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph import network as nm
from graph.models import PartyRef
from resolvers import network as resolve
from resolvers.pagination import page_of
from schema.pagination import Connection
from schema.permissions import NETWORK_MEASURES
from schema.types import Company, Info, Party, load_company, load_party

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

    @strawberry.field(description="PageRank, damping 0.85; the ranks add up to 1.")
    def pagerank(self) -> float:
        return self.model.pagerank

    @strawberry.field(description="Normalised betweenness (as networkx), sampled on big networks.")
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

    @strawberry.field(description="Of the communities found; null without edges.")
    def modularity(self) -> float | None:
        return self.model.modularity

    @strawberry.field(description="Null when betweenness is exact, else the sources sampled.")
    def betweenness_sources(self) -> int | None:
        return self.model.betweenness_sources

    @strawberry.field(description="When these figures were computed (they are cached).")
    def computed_at(self) -> dt.datetime:
        return self.model.computed_at

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
        self, info: Info, network: nm.Network, company_id: strawberry.ID | None = None
    ) -> NetworkAnalysis:
        found = await resolve.network_measures(
            info.context, network, None if company_id is None else str(company_id)
        )
        return NetworkAnalysis(model=found)
