"""The note that goes with a change: who made it, why, and when it took effect."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.core.history import ChangeNote


@strawberry.input(description="Who made a change, why, and when it took effect (now if left out).")
class ChangeNoteInput:
    by: str | None = strawberry.field(
        default=None,
        description="Who made the change: a name or user id, 1-200 characters; null if left out.",
    )
    reason: str | None = strawberry.field(
        default=None, description="Why, up to 5,000 characters; null if left out."
    )
    at: dt.datetime | None = strawberry.field(
        default=None,
        description="When the change took effect; not in the future, and not before the "
        "latest recorded change of the same item (history is append-only).",
    )


ChangeNoteArg = Annotated[
    ChangeNoteInput | None,
    strawberry.argument(
        description="Who made the change, why, and when it took effect (now if left out); "
        "recorded with it (`changeHistory`, a deleted item's `deletedBy`)."
    ),
]


def to_note(change: ChangeNoteInput | None) -> ChangeNote | None:
    if change is None:
        return None
    return ChangeNote(by=change.by, reason=change.reason, at=change.at).checked()
