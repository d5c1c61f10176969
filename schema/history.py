"""The note that goes with a change: on whose behalf, why, and when it took effect.

The credential that made a change is never part of it: the server records that itself
(graph/db/recorder.py) and shows it as `recordedBy`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.core.history import ChangeNote


@strawberry.input(
    description="On whose behalf a change is made, why, and when it took effect (now if left "
    "out). The credential that makes it is recorded by the server (`recordedBy`), not here."
)
class ChangeNoteInput:
    by: str | None = strawberry.field(
        default=None,
        description="On whose behalf the change is made: a name or user id, 1-200 characters, "
        "as the client writes it (not checked; the credential is `recordedBy`); null if left "
        "out.",
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
        description="On whose behalf the change is made, why, and when it took effect (now if "
        "left out); recorded with it (`changeHistory`, a deleted item's `deletedBy`), beside "
        "the credential that made it (`recordedBy`)."
    ),
]


def recorded_by_description(what: str, before: str, *, beside_by: bool = True) -> str:
    """The description of a `recordedBy` field: the credential that did `what`."""
    return (
        f"The credential that {what}, recorded by the server (a client cannot set it): "
        "`jwt:<subject>` for a JWT, `token:<name>` for an API token, `cli:<OS user>` for the "
        f"command line, `seed` for demo data; null when {before} before credentials were "
        "recorded." + (" `by` is on whose behalf, as the client wrote it." if beside_by else "")
    )


def to_note(change: ChangeNoteInput | None) -> ChangeNote | None:
    if change is None:
        return None
    return ChangeNote(by=change.by, reason=change.reason, at=change.at).checked()
