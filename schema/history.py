"""The note that goes with a change: who made it, why, and when it took effect."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph.core.history import ChangeNote


@strawberry.input(description="Who made a change, why, and when it took effect (now if left out).")
class ChangeNoteInput:
    by: str | None = None
    reason: str | None = None
    at: dt.datetime | None = strawberry.field(
        default=None,
        description="When the change took effect; not in the future, and not before the "
        "latest recorded change of the same item (history is append-only).",
    )


def to_note(change: ChangeNoteInput | None) -> ChangeNote | None:
    if change is None:
        return None
    return ChangeNote(by=change.by, reason=change.reason, at=change.at).checked()
