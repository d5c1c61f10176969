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
from schema.erasure import ErasureMutation
from schema.evolution import EvolutionMutation
from schema.history import ChangeNoteArg, to_note
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
from schema.tokens import TokenMutation
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
    @strawberry.mutation(
        description="Create a company; returns it with its new id (`co_`).",
        permission_classes=ADMIN_ONLY,
    )
    async def create_company(
        self,
        info: Info,
        input: Annotated[CompanyInput, strawberry.argument(description="The company's fields.")],
        change: ChangeNoteArg = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Company | None:
        return from_model(
            Company,
            await writes.create_node(
                info.context, COMPANY, fields_of(COMPANY, input), to_note(change), idempotency_key
            ),
        )

    @strawberry.mutation(
        description="Change the fields given of a company; its status, classes and "
        "lifecycle stage are recorded in its history.",
        permission_classes=ADMIN_ONLY,
    )
    async def update_company(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The company (`co_` id).")],
        input: Annotated[
            CompanyPatch,
            strawberry.argument(description="The fields to change; those left out stay."),
        ],
        change: ChangeNoteArg = None,
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
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Its id in the system it comes from (1-200 characters, spaces "
                "around it trimmed)."
            ),
        ],
        input: Annotated[
            CompanyInput,
            strawberry.argument(
                description="All its fields: a new company gets them; one that exists "
                "changes only those given."
            ),
        ],
        change: ChangeNoteArg = None,
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
        id: Annotated[strawberry.ID, strawberry.argument(description="The company (`co_` id).")],
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
        change: ChangeNoteArg = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_node(info.context, COMPANY, id, force, note=to_note(change))
        )

    @strawberry.mutation(
        description="Create a person; returns them with their new id (`pe_`).",
        permission_classes=ADMIN_ONLY,
    )
    async def create_person(
        self,
        info: Info,
        input: Annotated[PersonInput, strawberry.argument(description="The person's fields.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Person | None:
        found = await writes.create_node(
            info.context, PERSON, fields_of(PERSON, input), idempotency_key=idempotency_key
        )
        return from_model(Person, found)

    @strawberry.mutation(
        description="Change the fields given of a person.", permission_classes=ADMIN_ONLY
    )
    async def update_person(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The person (`pe_` id).")],
        input: Annotated[
            PersonPatch,
            strawberry.argument(description="The fields to change; those left out stay."),
        ],
    ) -> Person | None:
        return from_model(
            Person, await writes.update_node(info.context, PERSON, id, patch_of(input))
        )

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Create or update the person with this external id.",
    )
    async def upsert_person(
        self,
        info: Info,
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Their id in the system they come from (1-200 characters, "
                "spaces around it trimmed)."
            ),
        ],
        input: Annotated[
            PersonInput,
            strawberry.argument(
                description="All their fields: a new person gets them; one who exists "
                "changes only those given."
            ),
        ],
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
        id: Annotated[strawberry.ID, strawberry.argument(description="The person (`pe_` id).")],
        force: Annotated[bool, strawberry.argument(description=_FORCE)] = False,
        change: ChangeNoteArg = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_node(info.context, PERSON, id, force, note=to_note(change))
        )


@strawberry.type
class EdgeMutation:
    @strawberry.mutation(
        description="Give a person a role at a company; returns it with its new id (`ro_`).",
        permission_classes=PLANNER_WRITE,
    )
    async def create_role(
        self,
        info: Info,
        input: Annotated[
            RoleInput, strawberry.argument(description="The role: its person, company and fields.")
        ],
        change: ChangeNoteArg = None,
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

    @strawberry.mutation(
        description="Change the fields given of a role (set `endDate` to end it); "
        "recorded in its history.",
        permission_classes=PLANNER_WRITE,
    )
    async def update_role(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The role (`ro_` id).")],
        input: Annotated[
            RolePatch, strawberry.argument(description="The fields to change; those left out stay.")
        ],
        change: ChangeNoteArg = None,
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
        self,
        info: Info,
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Its id in the system it comes from (1-200 characters, spaces "
                "around it trimmed)."
            ),
        ],
        input: Annotated[
            RoleInput,
            strawberry.argument(
                description="The role: a new one gets these fields; one that exists changes "
                "only those given."
            ),
        ],
        change: ChangeNoteArg = None,
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
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The role (`ro_` id).")],
        change: ChangeNoteArg = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(await writes.delete_edge(info.context, ROLE, id, note=to_note(change)))

    @strawberry.mutation(
        description="Record a relationship between two people (one per pair); "
        "returns it with its new id (`kn_`).",
        permission_classes=PLANNER_WRITE,
    )
    async def create_relationship(
        self,
        info: Info,
        input: Annotated[
            PersonRelationshipInput,
            strawberry.argument(
                description="The relationship: its two people, tier, strength and other fields."
            ),
        ],
        change: ChangeNoteArg = None,
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

    @strawberry.mutation(
        description="Change the fields given of a person-to-person relationship; tier, "
        "strength, level and since are recorded in its history.",
        permission_classes=PLANNER_WRITE,
    )
    async def update_relationship(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The relationship (`kn_` id).")
        ],
        input: Annotated[
            PersonRelationshipPatch,
            strawberry.argument(description="The fields to change; those left out stay."),
        ],
        change: ChangeNoteArg = None,
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
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Its id in the system it comes from (1-200 characters, spaces "
                "around it trimmed)."
            ),
        ],
        input: Annotated[
            PersonRelationshipInput,
            strawberry.argument(
                description="The relationship: a new one gets these fields; one that exists "
                "changes only those given."
            ),
        ],
        change: ChangeNoteArg = None,
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

    @strawberry.mutation(
        description="Delete a person-to-person relationship; returns its id.",
        permission_classes=ADMIN_ONLY,
    )
    async def delete_relationship(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The relationship (`kn_` id).")
        ],
        change: ChangeNoteArg = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_edge(info.context, RELATIONSHIP, id, note=to_note(change))
        )

    @strawberry.mutation(
        description="Record a relationship between two companies (one per pair); "
        "returns it with its new id (`cr_`).",
        permission_classes=PLANNER_WRITE,
    )
    async def create_company_relationship(
        self,
        info: Info,
        input: Annotated[
            CompanyRelationshipInput,
            strawberry.argument(
                description="The relationship: its two companies, tier, strength and other fields."
            ),
        ],
        change: ChangeNoteArg = None,
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

    @strawberry.mutation(
        description="Change the fields given of a company-to-company relationship; tier, "
        "strength, lifecycle stage and since are recorded in its history.",
        permission_classes=PLANNER_WRITE,
    )
    async def update_company_relationship(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The relationship (`cr_` id).")
        ],
        input: Annotated[
            CompanyRelationshipPatch,
            strawberry.argument(description="The fields to change; those left out stay."),
        ],
        change: ChangeNoteArg = None,
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
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Its id in the system it comes from (1-200 characters, spaces "
                "around it trimmed)."
            ),
        ],
        input: Annotated[
            CompanyRelationshipInput,
            strawberry.argument(
                description="The relationship: a new one gets these fields; one that exists "
                "changes only those given."
            ),
        ],
        change: ChangeNoteArg = None,
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

    @strawberry.mutation(
        description="Delete a company-to-company relationship; returns its id.",
        permission_classes=ADMIN_ONLY,
    )
    async def delete_company_relationship(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The relationship (`cr_` id).")
        ],
        change: ChangeNoteArg = None,
    ) -> strawberry.ID | None:
        return strawberry.ID(
            await writes.delete_edge(info.context, COMPANY_RELATIONSHIP, id, note=to_note(change))
        )

    @strawberry.mutation(
        description="Record that a person or company referred another to us; "
        "returns it with its new id (`rf_`).",
        permission_classes=ADMIN_ONLY,
    )
    async def create_referral(
        self,
        info: Info,
        input: Annotated[
            ReferralInput,
            strawberry.argument(description="The referral: who referred whom, and when."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Referral | None:
        found = await writes.create_edge(
            info.context,
            REFERRAL,
            ends_of(REFERRAL, input),
            fields_of(REFERRAL, input),
            idempotency_key=idempotency_key,
        )
        return to_referral(found)

    @strawberry.mutation(
        description="Change the fields given of a referral.", permission_classes=ADMIN_ONLY
    )
    async def update_referral(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The referral (`rf_` id).")],
        input: Annotated[
            ReferralPatch,
            strawberry.argument(description="The fields to change; those left out stay."),
        ],
    ) -> Referral | None:
        return to_referral(await writes.update_edge(info.context, REFERRAL, id, patch_of(input)))

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Create or update the referral with this external id.",
    )
    async def upsert_referral(
        self,
        info: Info,
        external_id: Annotated[
            str,
            strawberry.argument(
                description="Its id in the system it comes from (1-200 characters, spaces "
                "around it trimmed)."
            ),
        ],
        input: Annotated[
            ReferralInput,
            strawberry.argument(
                description="The referral: a new one gets these fields; one that exists "
                "changes only those given."
            ),
        ],
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

    @strawberry.mutation(
        description="Delete a referral; returns its id.", permission_classes=ADMIN_ONLY
    )
    async def delete_referral(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The referral (`rf_` id).")],
    ) -> strawberry.ID | None:
        return strawberry.ID(await writes.delete_edge(info.context, REFERRAL, id))


@strawberry.type(
    description="Every write Guanxi accepts. Each field is one transaction; results are null "
    "where a field was refused (its error says why), beside the fields that wrote."
)
class Mutation(
    NodeMutation,
    EdgeMutation,
    KeyPersonMutation,
    EvolutionMutation,
    DealMutation,
    TokenMutation,
    TransferMutation,
    DeletedMutation,
    ErasureMutation,
):
    """Every write Guanxi accepts."""
