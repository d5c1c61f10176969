"""The root Mutation: create, update, upsert (by external id) and delete for every kind.

Each top-level mutation field is one transaction. Payloads are nullable, so that when one
field of a multi-field operation is refused, the fields that did write still return their
results beside the error.

Deleting a company or person that roles, relationships or referrals point to is refused
unless `force: true`, which deletes those edges with it.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.core.kinds import COMPANY, COMPANY_RELATIONSHIP, PERSON, REFERRAL, RELATIONSHIP, ROLE
from resolvers import writes
from schema.auth import ADMIN_ONLY, PLANNER_WRITE
from schema.deals import DealMutation
from schema.deleted import DeletedMutation
from schema.evolution import EvolutionMutation
from schema.history import ChangeNoteInput, to_note
from schema.inputs import (
    CompanyInput,
    CompanyPatch,
    CompanyRelationshipInput,
    CompanyRelationshipPatch,
    ExpectedVersion,
    IdempotencyKey,
    PersonInput,
    PersonPatch,
    PersonRelationshipInput,
    PersonRelationshipPatch,
    ReferralInput,
    ReferralPatch,
    RoleInput,
    RolePatch,
    ends_of,
    fields_of,
    patch_of,
)
from schema.keypersons import KeyPersonMutation
from schema.transfer import TransferMutation
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
    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def create_company(
        self,
        info: Info,
        input: CompanyInput,
        change: ChangeNoteInput | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Company | None:
        return from_model(
            Company,
            await writes.create_node(
                info.context, COMPANY, fields_of(COMPANY, input), to_note(change), idempotency_key
            ),
        )

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def update_company(
        self,
        info: Info,
        id: strawberry.ID,
        input: CompanyPatch,
        change: ChangeNoteInput | None = None,
    ) -> Company | None:
        return from_model(
            Company,
            await writes.update_node(
                info.context, COMPANY, id, patch_of(input), note=to_note(change)
            ),
        )

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Create or update the company with this external id.",
    )
    async def upsert_company(
        self,
        info: Info,
        external_id: str,
        input: CompanyInput,
        change: ChangeNoteInput | None = None,
    ) -> Company | None:
        found = await writes.upsert_node(
            info.context, COMPANY, external_id, fields_of(COMPANY, input), note=to_note(change)
        )
        return from_model(Company, found)

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Delete a company (it can be restored with restoreCompany for "
        "GUANXI_DELETED_RETENTION_DAYS); returns its id.",
    )
    async def delete_company(
        self,
        info: Info,
        id: strawberry.ID,
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
        change: ChangeNoteInput | None = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_node(info.context, COMPANY, id, force, note=to_note(change))
        )

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def create_person(
        self, info: Info, input: PersonInput, idempotency_key: IdempotencyKey = None
    ) -> Person | None:
        found = await writes.create_node(
            info.context, PERSON, fields_of(PERSON, input), idempotency_key=idempotency_key
        )
        return from_model(Person, found)

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def update_person(
        self, info: Info, id: strawberry.ID, input: PersonPatch
    ) -> Person | None:
        return from_model(
            Person, await writes.update_node(info.context, PERSON, id, patch_of(input))
        )

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Create or update the person with this external id.",
    )
    async def upsert_person(
        self, info: Info, external_id: str, input: PersonInput
    ) -> Person | None:
        return from_model(
            Person,
            await writes.upsert_node(info.context, PERSON, external_id, fields_of(PERSON, input)),
        )

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Delete a person (they can be restored with restorePerson for "
        "GUANXI_DELETED_RETENTION_DAYS); returns their id.",
    )
    async def delete_person(
        self,
        info: Info,
        id: strawberry.ID,
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
        change: ChangeNoteInput | None = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_node(info.context, PERSON, id, force, note=to_note(change))
        )


@strawberry.type
class EdgeMutation:
    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def create_role(
        self,
        info: Info,
        input: RoleInput,
        change: ChangeNoteInput | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Role | None:
        found = await writes.create_edge(
            info.context,
            ROLE,
            ends_of(ROLE, input),
            fields_of(ROLE, input),
            to_note(change),
            idempotency_key,
        )
        return from_model(Role, found)

    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def update_role(
        self, info: Info, id: strawberry.ID, input: RolePatch, change: ChangeNoteInput | None = None
    ) -> Role | None:
        return from_model(
            Role,
            await writes.update_edge(info.context, ROLE, id, patch_of(input), note=to_note(change)),
        )

    @strawberry.mutation(
        permission_classes=PLANNER_WRITE,
        description="Create or update the role with this external id.",
    )
    async def upsert_role(
        self, info: Info, external_id: str, input: RoleInput, change: ChangeNoteInput | None = None
    ) -> Role | None:
        found = await writes.upsert_edge(
            info.context,
            ROLE,
            external_id,
            ends_of(ROLE, input),
            fields_of(ROLE, input),
            note=to_note(change),
        )
        return from_model(Role, found)

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Delete a role (to end one, set its endDate instead).",
    )
    async def delete_role(
        self, info: Info, id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> strawberry.ID | None:
        return strawberry.ID(await writes.delete_edge(info.context, ROLE, id, note=to_note(change)))

    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def create_relationship(
        self,
        info: Info,
        input: PersonRelationshipInput,
        change: ChangeNoteInput | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> PersonRelationship | None:
        found = await writes.create_edge(
            info.context,
            RELATIONSHIP,
            ends_of(RELATIONSHIP, input),
            fields_of(RELATIONSHIP, input),
            to_note(change),
            idempotency_key,
        )
        return from_model(PersonRelationship, found)

    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def update_relationship(
        self,
        info: Info,
        id: strawberry.ID,
        input: PersonRelationshipPatch,
        change: ChangeNoteInput | None = None,
        expected_version: ExpectedVersion = None,
    ) -> PersonRelationship | None:
        found = await writes.update_edge(
            info.context, RELATIONSHIP, id, patch_of(input), to_note(change), expected_version
        )
        return from_model(PersonRelationship, found)

    @strawberry.mutation(
        permission_classes=PLANNER_WRITE,
        description="Create or update the relationship with this external id.",
    )
    async def upsert_relationship(
        self,
        info: Info,
        external_id: str,
        input: PersonRelationshipInput,
        change: ChangeNoteInput | None = None,
    ) -> PersonRelationship | None:
        found = await writes.upsert_edge(
            info.context,
            RELATIONSHIP,
            external_id,
            ends_of(RELATIONSHIP, input),
            fields_of(RELATIONSHIP, input),
            note=to_note(change),
        )
        return from_model(PersonRelationship, found)

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def delete_relationship(
        self, info: Info, id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_edge(info.context, RELATIONSHIP, id, note=to_note(change))
        )

    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def create_company_relationship(
        self,
        info: Info,
        input: CompanyRelationshipInput,
        change: ChangeNoteInput | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> CompanyRelationship | None:
        found = await writes.create_edge(
            info.context,
            COMPANY_RELATIONSHIP,
            ends_of(COMPANY_RELATIONSHIP, input),
            fields_of(COMPANY_RELATIONSHIP, input),
            to_note(change),
            idempotency_key,
        )
        return from_model(CompanyRelationship, found)

    @strawberry.mutation(permission_classes=PLANNER_WRITE)
    async def update_company_relationship(
        self,
        info: Info,
        id: strawberry.ID,
        input: CompanyRelationshipPatch,
        change: ChangeNoteInput | None = None,
        expected_version: ExpectedVersion = None,
    ) -> CompanyRelationship | None:
        found = await writes.update_edge(
            info.context,
            COMPANY_RELATIONSHIP,
            id,
            patch_of(input),
            to_note(change),
            expected_version,
        )
        return from_model(CompanyRelationship, found)

    @strawberry.mutation(
        permission_classes=PLANNER_WRITE,
        description="Create or update the relationship with this external id.",
    )
    async def upsert_company_relationship(
        self,
        info: Info,
        external_id: str,
        input: CompanyRelationshipInput,
        change: ChangeNoteInput | None = None,
    ) -> CompanyRelationship | None:
        found = await writes.upsert_edge(
            info.context,
            COMPANY_RELATIONSHIP,
            external_id,
            ends_of(COMPANY_RELATIONSHIP, input),
            fields_of(COMPANY_RELATIONSHIP, input),
            note=to_note(change),
        )
        return from_model(CompanyRelationship, found)

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def delete_company_relationship(
        self, info: Info, id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_edge(info.context, COMPANY_RELATIONSHIP, id, note=to_note(change))
        )

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def create_referral(
        self, info: Info, input: ReferralInput, idempotency_key: IdempotencyKey = None
    ) -> Referral | None:
        found = await writes.create_edge(
            info.context,
            REFERRAL,
            ends_of(REFERRAL, input),
            fields_of(REFERRAL, input),
            idempotency_key=idempotency_key,
        )
        return to_referral(found)

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def update_referral(
        self, info: Info, id: strawberry.ID, input: ReferralPatch
    ) -> Referral | None:
        return to_referral(await writes.update_edge(info.context, REFERRAL, id, patch_of(input)))

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Create or update the referral with this external id.",
    )
    async def upsert_referral(
        self, info: Info, external_id: str, input: ReferralInput
    ) -> Referral | None:
        return to_referral(
            await writes.upsert_edge(
                info.context,
                REFERRAL,
                external_id,
                ends_of(REFERRAL, input),
                fields_of(REFERRAL, input),
            )
        )

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def delete_referral(self, info: Info, id: strawberry.ID) -> strawberry.ID | None:
        return strawberry.ID(await writes.delete_edge(info.context, REFERRAL, id))


@strawberry.type
class Mutation(
    NodeMutation,
    EdgeMutation,
    KeyPersonMutation,
    EvolutionMutation,
    DealMutation,
    TransferMutation,
    DeletedMutation,
):
    """Every write Guanxi accepts."""
