"""Soft deletes in the API: what was deleted, and bringing it back (graph/core/deleted.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from graph.core.deleted import DeletedItem as DeletedModel
from graph.core.kinds import COMPANY, PERSON
from resolvers import deleted as resolve
from resolvers.pagination import window
from schema.auth import ADMIN_ONLY
from schema.history import ChangeNoteInput, to_note
from schema.pagination import Connection, backward_paging
from schema.types import Company, Info, Person, from_model


@strawberry.enum(description="What kind of item was deleted.")
class DeletedKind(Enum):
    COMPANY = "company"
    PERSON = "person"


@strawberry.type(description="A deleted company or person, restorable until purgeAt.")
class DeletedItem:
    id: strawberry.ID
    kind: DeletedKind
    name: str
    deleted_at: dt.datetime
    deleted_by: str | None
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
        kind: DeletedKind | None = None,
        first: int | None = None,
        after: str | None = None,
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
        self, info: Info, id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> Company | None:
        found = await resolve.restore_node(info.context, COMPANY, id, to_note(change))
        return None if found is None else from_model(Company, found)

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Bring a deleted person back with their roles, relationships, referrals, "
        "reporting lines and interactions' links, within the retention window.",
    )
    async def restore_person(
        self, info: Info, id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> Person | None:
        found = await resolve.restore_node(info.context, PERSON, id, to_note(change))
        return None if found is None else from_model(Person, found)
