"""Soft deletes in the API: what was deleted, and bringing it back (graph/core/deleted.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry

from graph.core.deleted import DeletedItem as DeletedModel
from graph.core.kinds import COMPANY, PERSON
from resolvers import deleted as resolve
from resolvers.pagination import window
from schema.auth import ADMIN_ONLY
from schema.enums import described_enum
from schema.history import ChangeNoteArg, recorded_by_description, to_note
from schema.pagination import After, Connection, First, backward_paging
from schema.types import Company, Info, Person, from_model


class DeletedKind(Enum):
    COMPANY = "company"
    PERSON = "person"


described_enum(
    DeletedKind,
    "What kind of item was deleted.",
    {DeletedKind.COMPANY: "A deleted company.", DeletedKind.PERSON: "A deleted person."},
)


@strawberry.type(description="A deleted company or person, restorable until purgeAt.")
class DeletedItem:
    id: strawberry.ID = strawberry.field(
        description="Its id as it was (prefix `co_` or `pe_`); pass it to `restoreCompany` "
        "or `restorePerson`."
    )
    kind: DeletedKind = strawberry.field(description="A company or a person.")
    name: str = strawberry.field(description="Its name when it was deleted.")
    deleted_at: dt.datetime = strawberry.field(description="When it was deleted (UTC).")
    deleted_by: str | None = strawberry.field(
        description="On whose behalf it was deleted: the `change.by` the delete was given, as "
        "the client wrote it; null if none."
    )
    recorded_by: str | None = strawberry.field(
        description=recorded_by_description("deleted it", "it was deleted")
    )
    purge_at: dt.datetime = strawberry.field(
        description="When it is purged for good (GUANXI_DELETED_RETENTION_DAYS after)."
    )


def _to_item(model: DeletedModel) -> DeletedItem:
    return DeletedItem(
        id=strawberry.ID(model.id),
        kind=DeletedKind(model.kind),
        name=model.name,
        deleted_at=model.deleted_at,
        deleted_by=model.deleted_by,
        recorded_by=model.credential,
        purge_at=model.purge_at,
    )


@strawberry.type
class DeletedQuery:
    @backward_paging
    @strawberry.field(
        permission_classes=ADMIN_ONLY,
        description="Deleted companies and people that can still be restored, the latest "
        "deleted first; 20 a page unless `first`.",
    )
    async def deleted_items(
        self,
        info: Info,
        kind: Annotated[
            DeletedKind | None,
            strawberry.argument(
                description="Only companies or only people; null (the default): both."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[DeletedItem]:
        offset, limit = window(first, after)
        page = await resolve.deleted_page(
            info.context, None if kind is None else kind.value, offset, limit
        )
        return Connection.from_page(page, _to_item)


@strawberry.type
class DeletedMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Bring a deleted company back with its roles, relationships, referrals, "
        "deals and interactions' links, within the retention window.",
    )
    async def restore_company(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The deleted company's id (`co_`), as `deletedItems` lists it."
            ),
        ],
        change: ChangeNoteArg = None,
    ) -> Company | None:
        found = await resolve.restore_node(info.context, COMPANY, id, to_note(change))
        return None if found is None else from_model(Company, found)

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Bring a deleted person back with their roles, relationships, referrals, "
        "reporting lines and interactions' links, within the retention window.",
    )
    async def restore_person(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The deleted person's id (`pe_`), as `deletedItems` lists it."
            ),
        ],
        change: ChangeNoteArg = None,
    ) -> Person | None:
        found = await resolve.restore_node(info.context, PERSON, id, to_note(change))
        return None if found is None else from_model(Person, found)
