"""The root Mutation: create, update, upsert (by external id) and delete for every kind.

Deleting a company or person that roles, relationships or referrals point to is refused
unless `force: true`, which deletes those edges with it.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.kinds import COMPANY_RELATIONSHIP, REFERRAL, RELATIONSHIP, ROLE
from resolvers import edges, nodes
from schema.inputs import (
    CompanyInput,
    CompanyPatch,
    CompanyRelationshipInput,
    CompanyRelationshipPatch,
    PersonInput,
    PersonPatch,
    PersonRelationshipInput,
    PersonRelationshipPatch,
    ReferralInput,
    ReferralPatch,
    RoleInput,
    RolePatch,
    given,
)
from schema.types import (
    Company,
    CompanyRelationship,
    Info,
    Person,
    PersonRelationship,
    Referral,
    Role,
    from_model,
    to_referral,
)

_FORCE = "Also delete the roles, relationships and referrals that point to it."


@strawberry.type
class NodeMutation:
    @strawberry.mutation
    async def create_company(self, info: Info, input: CompanyInput) -> Company:
        return from_model(Company, await nodes.create_company(info.context, given(input)))

    @strawberry.mutation
    async def update_company(self, info: Info, id: strawberry.ID, input: CompanyPatch) -> Company:
        return from_model(Company, await nodes.update_company(info.context, id, given(input)))

    @strawberry.mutation(description="Create or update the company with this external id.")
    async def upsert_company(self, info: Info, external_id: str, input: CompanyInput) -> Company:
        found = await nodes.upsert_company(info.context, external_id, given(input))
        return from_model(Company, found)

    @strawberry.mutation(description="Delete a company; returns its id.")
    async def delete_company(
        self,
        info: Info,
        id: strawberry.ID,
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
    ) -> strawberry.ID:
        return strawberry.ID(await nodes.delete_company(info.context, id, force))

    @strawberry.mutation
    async def create_person(self, info: Info, input: PersonInput) -> Person:
        return from_model(Person, await nodes.create_person(info.context, given(input)))

    @strawberry.mutation
    async def update_person(self, info: Info, id: strawberry.ID, input: PersonPatch) -> Person:
        return from_model(Person, await nodes.update_person(info.context, id, given(input)))

    @strawberry.mutation(description="Create or update the person with this external id.")
    async def upsert_person(self, info: Info, external_id: str, input: PersonInput) -> Person:
        return from_model(
            Person, await nodes.upsert_person(info.context, external_id, given(input))
        )

    @strawberry.mutation(description="Delete a person; returns their id.")
    async def delete_person(
        self,
        info: Info,
        id: strawberry.ID,
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
    ) -> strawberry.ID:
        return strawberry.ID(await nodes.delete_person(info.context, id, force))


@strawberry.type
class EdgeMutation:
    @strawberry.mutation
    async def create_role(self, info: Info, input: RoleInput) -> Role:
        return from_model(Role, await edges.create(info.context, ROLE, given(input)))

    @strawberry.mutation
    async def update_role(self, info: Info, id: strawberry.ID, input: RolePatch) -> Role:
        return from_model(Role, await edges.update(info.context, ROLE, id, given(input)))

    @strawberry.mutation(description="Create or update the role with this external id.")
    async def upsert_role(self, info: Info, external_id: str, input: RoleInput) -> Role:
        found = await edges.upsert(info.context, ROLE, external_id, given(input))
        return from_model(Role, found)

    @strawberry.mutation(description="Delete a role (to end one, set its endDate instead).")
    async def delete_role(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await edges.delete(info.context, ROLE, id))

    @strawberry.mutation
    async def create_relationship(
        self, info: Info, input: PersonRelationshipInput
    ) -> PersonRelationship:
        found = await edges.create(info.context, RELATIONSHIP, given(input))
        return from_model(PersonRelationship, found)

    @strawberry.mutation
    async def update_relationship(
        self, info: Info, id: strawberry.ID, input: PersonRelationshipPatch
    ) -> PersonRelationship:
        found = await edges.update(info.context, RELATIONSHIP, id, given(input))
        return from_model(PersonRelationship, found)

    @strawberry.mutation(description="Create or update the relationship with this external id.")
    async def upsert_relationship(
        self, info: Info, external_id: str, input: PersonRelationshipInput
    ) -> PersonRelationship:
        found = await edges.upsert(info.context, RELATIONSHIP, external_id, given(input))
        return from_model(PersonRelationship, found)

    @strawberry.mutation
    async def delete_relationship(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await edges.delete(info.context, RELATIONSHIP, id))

    @strawberry.mutation
    async def create_company_relationship(
        self, info: Info, input: CompanyRelationshipInput
    ) -> CompanyRelationship:
        found = await edges.create(info.context, COMPANY_RELATIONSHIP, given(input))
        return from_model(CompanyRelationship, found)

    @strawberry.mutation
    async def update_company_relationship(
        self, info: Info, id: strawberry.ID, input: CompanyRelationshipPatch
    ) -> CompanyRelationship:
        found = await edges.update(info.context, COMPANY_RELATIONSHIP, id, given(input))
        return from_model(CompanyRelationship, found)

    @strawberry.mutation(description="Create or update the relationship with this external id.")
    async def upsert_company_relationship(
        self, info: Info, external_id: str, input: CompanyRelationshipInput
    ) -> CompanyRelationship:
        found = await edges.upsert(info.context, COMPANY_RELATIONSHIP, external_id, given(input))
        return from_model(CompanyRelationship, found)

    @strawberry.mutation
    async def delete_company_relationship(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await edges.delete(info.context, COMPANY_RELATIONSHIP, id))

    @strawberry.mutation
    async def create_referral(self, info: Info, input: ReferralInput) -> Referral:
        return to_referral(await edges.create(info.context, REFERRAL, given(input)))

    @strawberry.mutation
    async def update_referral(
        self, info: Info, id: strawberry.ID, input: ReferralPatch
    ) -> Referral:
        return to_referral(await edges.update(info.context, REFERRAL, id, given(input)))

    @strawberry.mutation(description="Create or update the referral with this external id.")
    async def upsert_referral(self, info: Info, external_id: str, input: ReferralInput) -> Referral:
        return to_referral(await edges.upsert(info.context, REFERRAL, external_id, given(input)))

    @strawberry.mutation
    async def delete_referral(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await edges.delete(info.context, REFERRAL, id))


@strawberry.type
class Mutation(NodeMutation, EdgeMutation):
    """Every write Guanxi accepts."""
