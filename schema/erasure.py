"""Erasure in the API: the right to be forgotten (graph/core/erasure.py, docs/PRIVACY.md)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.core.erasure import Erasure
from resolvers import erasure as resolve
from schema.auth import ADMIN_ONLY
from schema.types import Info


@strawberry.type(description="What an erasure removed: counts only, nothing of the person.")
class PersonErasure:
    id: strawberry.ID = strawberry.field(description="The erased person's id (`pe_`).")
    was_deleted: bool = strawberry.field(
        description="Whether they were erased from the deleted items (soft-deleted before)."
    )
    changes_removed: int = strawberry.field(
        description="Recorded changes of their roles, relationships, referrals and reporting "
        "line removed from the change log."
    )
    interactions_updated: int = strawberry.field(
        description="Interactions they took part in, kept for the others without them and "
        "without their free text."
    )
    idempotency_records_removed: int = strawberry.field(
        description="Idempotency records of their items removed."
    )
    texts_redacted: int = strawberry.field(
        description="Other items whose free text named them, their values replaced by `[erased]`."
    )

    @classmethod
    def of(cls, done: Erasure) -> PersonErasure:
        return cls(
            id=strawberry.ID(done.person_id),
            was_deleted=done.was_deleted,
            changes_removed=done.changes_removed,
            interactions_updated=done.interactions_updated,
            idempotency_records_removed=done.idempotency_records_removed,
            texts_redacted=done.texts_redacted,
        )


@strawberry.type
class ErasureMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Erase a person for good (the right to be forgotten, PIPL/GDPR): their "
        "node, roles, relationships, referrals, reporting lines, the change log of those, "
        "their part in interactions, their deleted-items archive, idempotency records, and "
        "their name and contact details in other items' free text. One transaction; it "
        "cannot be undone or restored (docs/PRIVACY.md). A live or a deleted person; "
        "NOT_FOUND when there is none (also once erased).",
    )
    async def erase_person(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The person (`pe_` id), live or deleted."),
        ],
    ) -> PersonErasure | None:
        return PersonErasure.of(await resolve.erase_person(info.context, id))
