"""Recording changes, and reading states as they were on a past date.

Every change of a relationship (tier, strength, level, stage), of a role (dates, key-person
flag, buying role, …), of a company's status, classes or stage, and of a person's reporting
line (its manager and `since`; the subject is the line of one person, see
graph/keypersons/maps.py `reporting_line_subject`) is appended, in the same
transaction as the change itself, to the change log and to the subject's time index (see
graph/cypher/core/history.py). Nothing recorded is ever updated or deleted.

A change takes effect at its `ChangeNote.at` (now by default). History is append-only per
subject: a change may not take effect before the subject's latest recorded change.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graph.core.events import RelationshipChanged
from graph.core.inputs import INSTANT_RANGE, MAX_NOTES, MAX_TEXT, checked_instant
from graph.core.models import to_datetime
from graph.cypher.core import history as cypher
from graph.db import recorder
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput

FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class SubjectKind(Enum):
    """What a recorded change is about."""

    RELATIONSHIP = "RELATIONSHIP"
    COMPANY_RELATIONSHIP = "COMPANY_RELATIONSHIP"
    ROLE = "ROLE"
    COMPANY = "COMPANY"
    REFERRAL = "REFERRAL"
    REPORTING_LINE = "REPORTING_LINE"


class Operation(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"


class EvidenceKind(Enum):
    """Where a strength change came from: a person setting it, or a logged interaction."""

    MANUAL = "MANUAL"
    INTERACTION = "INTERACTION"


# The stored properties whose changes are recorded, per kind of subject.
TRACKED: dict[SubjectKind, tuple[str, ...]] = {
    SubjectKind.RELATIONSHIP: ("tier", "strength", "level", "since"),
    SubjectKind.COMPANY_RELATIONSHIP: ("tier", "strength", "lifecycleStage", "since"),
    SubjectKind.ROLE: (
        "title",
        "department",
        "buyingRole",
        "isKeyPerson",
        "seniority",
        "startDate",
        "endDate",
        "desiredTier",
        "stance",
    ),
    SubjectKind.COMPANY: ("status", "valueClass", "intentClass", "lifecycleStage"),
    SubjectKind.REFERRAL: ("date", "note"),
    SubjectKind.REPORTING_LINE: ("managerId", "since"),
}


@dataclass(frozen=True)
class ChangeNote:
    """On whose behalf a change was made (`by`, as the client writes it: the credential that
    made it is the server's, graph/db/recorder.py), why, and when it took effect (now unless
    given)."""

    by: str | None = None
    reason: str | None = None
    at: dt.datetime | None = None

    def checked(self) -> ChangeNote:
        if self.by is not None and not 0 < len(self.by.strip()) <= MAX_TEXT:
            raise InvalidInput(f"change.by: must be 1 to {MAX_TEXT} characters", field="change.by")
        if self.reason is not None and len(self.reason) > MAX_NOTES:
            raise InvalidInput(
                f"change.reason: must be at most {MAX_NOTES} characters", field="change.reason"
            )
        if self.at is not None:
            try:
                checked_instant(self.at)
            except ValueError as exc:
                raise InvalidInput(f"change.at: {exc}", field="change.at") from None
        return self


# Beside the tracked fields, the time index keeps these, so that a past state shows them as
# they were then (they change with interactions, which the log records as strength changes).
SNAPSHOT_EXTRAS: dict[SubjectKind, tuple[str, ...]] = {
    SubjectKind.RELATIONSHIP: ("lastInteractionAtMs", "interactionCount"),
}


@dataclass
class ChangeRecord:
    """One change to append to the log: a subject's stored properties before and after
    (None before a creation, None after a deletion)."""

    kind: SubjectKind
    subject_id: str
    before_props: dict[str, Any] | None
    after_props: dict[str, Any] | None
    ends: tuple[str, str] | None = None
    company_ids: list[str] = field(default_factory=list)
    people_ids: list[str] = field(default_factory=list)
    evidence_kind: EvidenceKind | None = None
    evidence_id: str | None = None

    @property
    def operation(self) -> Operation:
        if self.before_props is None:
            return Operation.CREATED
        return Operation.UPDATED if self.after_props is not None else Operation.DELETED

    @property
    def before(self) -> dict[str, Any] | None:
        return None if self.before_props is None else tracked_state(self.kind, self.before_props)

    @property
    def after(self) -> dict[str, Any] | None:
        return None if self.after_props is None else tracked_state(self.kind, self.after_props)

    @property
    def changed(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return [name for name in TRACKED[self.kind] if before.get(name) != after.get(name)]


def _plain(value: Any) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def tracked_state(kind: SubjectKind, props: dict[str, Any]) -> dict[str, Any]:
    """The recorded fields of stored properties, as JSON-ready values."""
    return {name: _plain(props.get(name)) for name in TRACKED[kind]}


def to_ms(stamp: dt.datetime) -> int:
    return int(as_utc(stamp).timestamp() * 1000)


def from_ms(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def as_utc(stamp: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (a naive one is taken as UTC); InvalidInput for one that leaves
    the calendar in UTC (year 0 or 10000: the API refuses those before, graph/core/inputs.py
    `checked_instant`; this keeps any other caller from an OverflowError)."""
    try:
        return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)
    except OverflowError:
        raise InvalidInput(f"date: {INSTANT_RANGE}", field="date") from None


@dataclass(frozen=True)
class Effective:
    """When a change takes effect, and which of its subjects have a recorded history."""

    at: dt.datetime
    tracked: frozenset[str]


def effective_time(
    tx: Tx,
    note: ChangeNote | None,
    subject_ids: Sequence[str],
    *,
    field_name: str = "change.at",
    default: dt.datetime | None = None,
) -> Effective:
    """When a change to these subjects takes effect: the note's time, else `default` (a time
    the change itself implies, such as a reporting line's `since` day), else now.

    Refused when the note's time is in the future, or before the latest recorded change of a
    subject; a `default` in the future becomes now, one before that change becomes its time.
    """
    now = dt.datetime.now(dt.UTC)
    explicit = note is not None and note.at is not None
    at = as_utc(note.at) if note is not None and note.at is not None else now
    if not explicit and default is not None:
        at = min(as_utc(default), now)
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(f"{field_name}: must not be in the future", field=field_name)
    tracked: set[str] = set()
    if subject_ids:
        for row in tx.run(cypher.LAST_CHANGE_AT, subjectIds=list(subject_ids)):
            tracked.add(str(row["subjectId"]))
            last = from_ms(int(row["lastAtMs"]))
            if at >= last:
                continue
            if explicit:
                raise InvalidInput(
                    f"{field_name}: the latest recorded change of '{row['subjectId']}' took "
                    f"effect at {last.isoformat()}; history is append-only, so a change "
                    "cannot take effect before it",
                    field=field_name,
                )
            at = last  # a clock behind the latest change: keep the order
    return Effective(at, frozenset(tracked))


def _baseline(change: ChangeRecord, at: dt.datetime) -> tuple[ChangeRecord, dt.datetime] | None:
    """For a subject that existed before its history began (loaded in bulk, or older than this
    feature): its creation, recorded late, as it stood before its first recorded change."""
    if change.before_props is None:
        return None
    created = to_datetime(change.before_props.get("createdAt"))
    since = at if created is None else min(created, at)
    baseline = ChangeRecord(
        change.kind,
        change.subject_id,
        None,
        change.before_props,
        change.ends,
        change.company_ids,
        change.people_ids,
    )
    if "strength" in TRACKED[change.kind]:
        baseline.evidence_kind = EvidenceKind.MANUAL
    return baseline, since


def record(
    tx: Tx,
    records: Sequence[ChangeRecord],
    effective: Effective,
    note: ChangeNote | None,
) -> None:
    """Append `records` (in order) to the change log and the subjects' time indexes.

    A subject changed for the first time without being created through the log (see
    `_baseline`) first gets its creation recorded, dated from its `createdAt`. Each change
    keeps the credential that made it (graph/db/recorder.py; NoRecorder when none is set).
    """
    credential = recorder.current()
    rows: list[dict[str, Any]] = []
    base_seq = time.time_ns()
    for change in records:
        if change.operation is Operation.UPDATED and not change.changed:
            continue
        timed: list[tuple[ChangeRecord, dt.datetime, ChangeNote | None]] = []
        if change.operation is not Operation.CREATED and change.subject_id not in effective.tracked:
            found = _baseline(change, effective.at)
            if found is not None:
                timed.append((found[0], found[1], _BASELINE_NOTE))
        timed.append((change, effective.at, note))
        for item, at, item_note in timed:
            rows.append(change_row(item, at, item_note, base_seq + len(rows), credential))
    if rows:
        tx.run(cypher.RECORD_CHANGES, changes=rows)
    for row in rows:
        event = _relationship_event(row)
        if event is not None:
            tx.publish(event)


def _relationship_event(row: dict[str, Any]) -> RelationshipChanged | None:
    """The event a recorded change of a relationship makes (None for other subjects)."""
    props = row["props"]
    kind = SubjectKind(props["subjectKind"])
    if kind not in (SubjectKind.RELATIONSHIP, SubjectKind.COMPANY_RELATIONSHIP):
        return None
    ends = {id_ for id_ in (props["fromId"], props["toId"]) if id_ is not None}
    people, companies = set(row["peopleIds"] or ()), set(row["companyIds"] or ())
    (people if kind is SubjectKind.RELATIONSHIP else companies).update(ends)
    return RelationshipChanged(props["id"], frozenset(people), frozenset(companies))


_BASELINE_NOTE = ChangeNote(reason="as it stood before its first recorded change")


def change_row(
    change: ChangeRecord, at: dt.datetime, note: ChangeNote | None, seq: int, credential: str
) -> dict[str, Any]:
    """The parameters RECORD_CHANGES takes for one change (bulk loads build them too), made
    with `credential` (graph/db/recorder.py)."""
    ends = sorted(change.ends) if change.ends else None
    before, after = change.before, change.after
    state = ""
    if after is not None and change.after_props is not None:
        extras = {
            name: _plain(change.after_props.get(name))
            for name in SNAPSHOT_EXTRAS.get(change.kind, ())
        }
        state = json.dumps({**after, **extras, "updatedAt": at.isoformat()})
    return {
        "props": {
            "id": f"ch_{uuid.uuid4().hex}",
            "at": at,
            "atMs": to_ms(at),
            "day": at.date(),
            "seq": seq,
            "subjectKind": change.kind.value,
            "subjectId": change.subject_id,
            "operation": change.operation.value,
            "changed": change.changed,
            "before": None if before is None else json.dumps(before),
            "after": None if after is None else json.dumps(after),
            "fromId": change.ends[0] if change.ends else None,
            "toId": change.ends[1] if change.ends else None,
            "pairKey": "|".join(ends) if ends else None,
            "by": note.by.strip() if note and note.by else None,
            "credential": credential,
            "reason": note.reason if note else None,
            "evidenceKind": change.evidence_kind.value if change.evidence_kind else None,
            "evidenceId": change.evidence_id,
        },
        "state": state,
        "companyIds": change.company_ids,
        "peopleIds": change.people_ids,
    }


@dataclass(frozen=True)
class Change:
    """One recorded change."""

    id: str
    at: dt.datetime
    subject_kind: SubjectKind
    subject_id: str
    operation: Operation
    changed: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    from_id: str | None
    to_id: str | None
    by: str | None  # on whose behalf, as the client wrote it
    reason: str | None
    evidence_kind: EvidenceKind | None
    evidence_id: str | None
    credential: str | None  # the credential that made it (None: recorded before it was kept)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Change:
        return cls(
            id=row["id"],
            at=from_ms(int(row["atMs"])),
            subject_kind=SubjectKind(row["subjectKind"]),
            subject_id=row["subjectId"],
            operation=Operation(row["operation"]),
            changed=list(row.get("changed") or []),
            before=None if row.get("before") is None else json.loads(row["before"]),
            after=None if row.get("after") is None else json.loads(row["after"]),
            from_id=row.get("fromId"),
            to_id=row.get("toId"),
            by=row.get("by"),
            reason=row.get("reason"),
            evidence_kind=(EvidenceKind(row["evidenceKind"]) if row.get("evidenceKind") else None),
            evidence_id=row.get("evidenceId"),
            credential=row.get("credential"),
        )


def changes_by_id(graph: Graph, ids: Sequence[str]) -> list[Change | None]:
    """The changes with these ids, in key order (None where there is none)."""
    rows = graph.read(cypher.CHANGES_BY_ID, ids=list(ids))
    found = {row["change"]["id"]: Change.from_row(row["change"]) for row in rows}
    return [found.get(id_) for id_ in ids]


def state_at(
    props: dict[str, Any], seen: int | None, state: str | None, at: dt.datetime
) -> dict[str, Any] | None:
    """A subject's properties as they were at `at`, or None when it did not exist then.

    `seen` and `state` come from a time-index look-up (STATES_AT or the same expression
    inline): `seen` None means the subject has no recorded history, so it is taken as it is
    now from its creation on; -1 that the look-up was skipped because the subject has not
    changed since `at`, so it is as it is now.
    """
    if seen == -1:  # not changed since `at` (its last change took effect by then)
        return props
    if seen is None:
        created = to_datetime(props.get("createdAt"))
        return None if created is not None and created > at else props
    if seen == 0 or not state:
        return None
    return {**props, **json.loads(state)}


def states_at(graph: Graph, subject_ids: Sequence[str], at: dt.datetime) -> dict[str, Any]:
    """(seen, state) per subject id at `at`, in one round trip."""
    rows = graph.read(cypher.STATES_AT, subjectIds=list(subject_ids), atMs=to_ms(at))
    return {row["subjectId"]: (row["seen"], row["state"]) for row in rows}
