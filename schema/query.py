"""The root Query: look-ups by id and paginated, filtered, sorted lists."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types.arguments import StrawberryArgumentAnnotation

from resolvers import evolution, reads
from resolvers.pagination import window
from schema.analysis import AnalysisQuery, NetworkQuery
from schema.deals import DealQuery
from schema.deleted import DeletedQuery
from schema.enums import Direction
from schema.evolution import EvolutionQuery
from schema.inputs import (
    CompanyFilter,
    CompanyRelationshipFilter,
    CompanySort,
    PersonFilter,
    PersonRelationshipFilter,
    PersonRelationshipSort,
    PersonSort,
    RoleFilter,
)
from schema.keypersons import KeyPersonQuery
from schema.pagination import After, Connection, First, backward_paging
from schema.referrals import ReferralQuery
from schema.refetch import RefetchQuery
from schema.transfer import TransferQuery
from schema.types import (
    Company,
    CompanyRelationship,
    Info,
    Person,
    PersonRelationship,
    Referral,
    Role,
    from_model,
    maybe_company,
    maybe_person,
    to_referral,
)

_AS_OF = "The relationship as it was then (null if it did not exist then); now if left out."
_EXTERNAL_ID = "The id another system gave it (spaces around it ignored)."
_SINCE = "Only the referrals dated on or after this day (undated ones then left out)."


def _id(of: str) -> StrawberryArgumentAnnotation:
    """An `id` argument's description."""
    return strawberry.argument(description=f"The {of}'s id.")


@strawberry.type
class NodeQuery:
    @strawberry.field(description="A company by id.")
    async def company(
        self, info: Info, id: Annotated[strawberry.ID, _id("company")]
    ) -> Company | None:
        return maybe_company(await reads.company(info.context, id))

    @strawberry.field(description="A company by the id another system gave it.")
    async def company_by_external_id(
        self,
        info: Info,
        external_id: Annotated[str, strawberry.argument(description=_EXTERNAL_ID)],
    ) -> Company | None:
        return maybe_company(await reads.company_by_external_id(info.context, external_id))

    @strawberry.field(description="A person by id.")
    async def person(
        self, info: Info, id: Annotated[strawberry.ID, _id("person")]
    ) -> Person | None:
        return maybe_person(await reads.person(info.context, id))

    @strawberry.field(description="A person by the id another system gave them.")
    async def person_by_external_id(
        self,
        info: Info,
        external_id: Annotated[str, strawberry.argument(description=_EXTERNAL_ID)],
    ) -> Person | None:
        return maybe_person(await reads.person_by_external_id(info.context, external_id))

    @backward_paging
    @strawberry.field(description="Companies, filtered and sorted; 20 a page unless `first`.")
    async def companies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            CompanyFilter | None,
            strawberry.argument(description="Which companies; all of them if left out."),
        ] = None,
        sort: Annotated[
            CompanySort | None,
            strawberry.argument(description="The order; by name, A to Z, if left out."),
        ] = None,
    ) -> Connection[Company]:
        offset, limit = window(first, after)
        f = filter or CompanyFilter()
        s = sort or CompanySort()
        reads.checked_range("filter.minOurRelationships", f.min_our_relationships, 0)
        page = await reads.company_page(
            info.context,
            offset=offset,
            limit=limit,
            sort=s.field.value,
            descending=s.direction is Direction.DESC,
            search=reads.checked_search(f.search),
            statuses=f.status,
            value_classes=f.value_class,
            intent_classes=f.intent_class,
            stages=f.lifecycle_stage,
            industry=f.industry,
            region=f.region,
            is_ours=f.is_ours,
            tiers=f.tier,
            min_our_relationships=f.min_our_relationships,
            team=f.team,
        )
        return Connection.from_page(page, lambda m: from_model(Company, m))

    @backward_paging
    @strawberry.field(description="People, filtered and sorted; 20 a page unless `first`.")
    async def people(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            PersonFilter | None,
            strawberry.argument(description="Which people; everyone if left out."),
        ] = None,
        sort: Annotated[
            PersonSort | None,
            strawberry.argument(description="The order; by name, A to Z, if left out."),
        ] = None,
    ) -> Connection[Person]:
        offset, limit = window(first, after)
        f = filter or PersonFilter()
        s = sort or PersonSort()
        page = await reads.person_page(
            info.context,
            offset=offset,
            limit=limit,
            sort=s.field.value,
            descending=s.direction is Direction.DESC,
            search=reads.checked_search(f.search),
            styles=f.communication_style,
            company_id=f.company_id,
            min_strongest_tie=reads.checked_range(
                "filter.minStrongestTie", f.min_strongest_tie, 0.0, 1.0
            ),
        )
        return Connection.from_page(page, lambda m: from_model(Person, m))


@strawberry.type
class EdgeQuery:
    @strawberry.field(description="A role by id.")
    async def role(self, info: Info, id: Annotated[strawberry.ID, _id("role")]) -> Role | None:
        found = await info.context.loaders.roles.load(id)
        return None if found is None else from_model(Role, found)

    @strawberry.field(
        description="A person-to-person relationship by id; with `asOf`, as it was then."
    )
    async def relationship(
        self,
        info: Info,
        id: Annotated[strawberry.ID, _id("relationship")],
        as_of: Annotated[dt.datetime | None, strawberry.argument(description=_AS_OF)] = None,
    ) -> PersonRelationship | None:
        if as_of is None:
            found = await info.context.loaders.relationships.load(id)
        else:
            found = await evolution.relationship_at(info.context, id, as_of)
        return None if found is None else from_model(PersonRelationship, found)

    @strawberry.field(
        description="A company-to-company relationship by id; with `asOf`, as it was then."
    )
    async def company_relationship(
        self,
        info: Info,
        id: Annotated[strawberry.ID, _id("company relationship")],
        as_of: Annotated[dt.datetime | None, strawberry.argument(description=_AS_OF)] = None,
    ) -> CompanyRelationship | None:
        if as_of is None:
            found = await info.context.loaders.company_relationships.load(id)
        else:
            found = await evolution.company_relationship_at(info.context, id, as_of)
        return None if found is None else from_model(CompanyRelationship, found)

    @strawberry.field(description="A referral by id.")
    async def referral(
        self, info: Info, id: Annotated[strawberry.ID, _id("referral")]
    ) -> Referral | None:
        found = await info.context.loaders.referrals.load(id)
        return None if found is None else to_referral(found)

    @backward_paging
    @strawberry.field(description="Roles by company, then person name.")
    async def roles(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            RoleFilter | None,
            strawberry.argument(description="Which roles; every current role if left out."),
        ] = None,
    ) -> Connection[Role]:
        offset, limit = window(first, after)
        f = filter or RoleFilter()
        page = await reads.role_page(
            info.context,
            offset=offset,
            limit=limit,
            company_id=f.company_id,
            person_id=f.person_id,
            include_past=f.include_past,
            key_persons_only=f.key_persons_only,
            buying_roles=f.buying_role,
        )
        return Connection.from_page(page, lambda m: from_model(Role, m))

    @backward_paging
    @strawberry.field(description="Person-to-person relationships; strongest first by default.")
    async def relationships(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            PersonRelationshipFilter | None,
            strawberry.argument(description="Which relationships; all of them if left out."),
        ] = None,
        sort: Annotated[
            PersonRelationshipSort | None,
            strawberry.argument(description="The order; strongest first if left out."),
        ] = None,
    ) -> Connection[PersonRelationship]:
        offset, limit = window(first, after)
        f = filter or PersonRelationshipFilter()
        s = sort or PersonRelationshipSort()
        page = await reads.relationship_page(
            info.context,
            offset=offset,
            limit=limit,
            sort=s.field.value,
            descending=s.direction is Direction.DESC,
            person_id=f.person_id,
            tiers=f.tier,
            levels=f.level,
            min_strength=reads.checked_range("filter.minStrength", f.min_strength, 0.0, 1.0),
        )
        return Connection.from_page(page, lambda m: from_model(PersonRelationship, m))

    @backward_paging
    @strawberry.field(description="Company-to-company relationships, strongest first.")
    async def company_relationships(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            CompanyRelationshipFilter | None,
            strawberry.argument(description="Which relationships; all of them if left out."),
        ] = None,
    ) -> Connection[CompanyRelationship]:
        offset, limit = window(first, after)
        f = filter or CompanyRelationshipFilter()
        page = await reads.company_relationship_page(
            info.context,
            offset=offset,
            limit=limit,
            company_id=f.company_id,
            tiers=f.tier,
            stages=f.lifecycle_stage,
            min_strength=reads.checked_range("filter.minStrength", f.min_strength, 0.0, 1.0),
        )
        return Connection.from_page(page, lambda m: from_model(CompanyRelationship, m))

    @backward_paging
    @strawberry.field(description="Referrals, newest first.")
    async def referrals(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        since: Annotated[dt.date | None, strawberry.argument(description=_SINCE)] = None,
    ) -> Connection[Referral]:
        offset, limit = window(first, after)
        page = await reads.referral_page(info.context, offset=offset, limit=limit, since=since)
        return Connection.from_page(page, to_referral)


@strawberry.type(
    description="Everything Guanxi answers: companies and people, their roles and relationships "
    "(as they are, or were on a date), key-person maps, history, referrals (推荐) and the "
    "analyst's views."
)
class Query(
    NodeQuery,
    EdgeQuery,
    KeyPersonQuery,
    EvolutionQuery,
    DealQuery,
    ReferralQuery,
    AnalysisQuery,
    NetworkQuery,
    TransferQuery,
    DeletedQuery,
    RefetchQuery,
):
    """Everything Guanxi answers."""
