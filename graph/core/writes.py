"""Create, update, upsert and delete for every kind, each in one transaction.

Every write validates the whole resulting state before it writes anything; a failed rule
raises InvalidInput, NotFound or Conflict and leaves the graph as it was. An upsert or update
that changes nothing writes nothing (so repeating it is harmless).

Writes to relationships, roles and companies append their changes to the history (see
graph/core/history.py) in the same transaction; `note` says who made the change, why, and when it
took effect.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from graph.core import deleted
from graph.core.history import (
    ChangeNote,
    ChangeRecord,
    EvidenceKind,
    SubjectKind,
    effective_time,
    record,
    to_ms,
)
from graph.core.idempotency import Idempotency, create_once
from graph.core.inputs import Fields, checked_external_id, validate
from graph.core.kinds import EdgeKind, NodeKind
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound

# Properties the system keeps beside the user-set fields (the strength model's state too).
SYSTEM_KEYS = frozenset(
    {
        "id",
        "createdAt",
        "updatedAt",
        "searchText",
        "strengthRaw",
        "strengthAtMs",
        "lastInteractionAtMs",
        "interactionCount",
        "lastInteractionId",
        "changedAtMs",
        "version",
    }
)


def _locked(tx: Tx, kind: NodeKind | EdgeKind, row: dict[str, Any]) -> dict[str, Any]:
    """`row` (found by a plain read) read again under the write lock, as a write must read
    what it changes: a concurrent write then waits, or conflicts and is retried, instead of
    being overwritten with what this one read before it."""
    return tx.run(kind.props_locked, id=row["props"]["id"])[0]


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _stored_fields(props: dict[str, Any]) -> dict[str, Any]:
    """The user-set fields of stored properties, as Python values."""
    return {k: _native(v) for k, v in props.items() if k not in SYSTEM_KEYS}


def _new_props(kind: NodeKind | EdgeKind, data: dict[str, Any]) -> dict[str, Any]:
    """The properties of a new node or edge: validated fields, derived ones, id, timestamps."""
    props = validate(kind.fields, data).to_props()
    stamp = _now()
    return {
        **props,
        **kind.derived(props),
        "id": _new_id(kind.id_prefix),
        "createdAt": stamp,
        "updatedAt": stamp,
    }


def changed_fields(
    fields: type[Fields], current: dict[str, Any], patch: dict[str, Any]
) -> dict[str, Any] | None:
    """The validated user-set fields after `patch` over the stored `current`, or None when
    nothing changes."""
    before = validate(fields, _stored_fields(current)).to_props()
    after = validate(fields, {**before, **patch}).to_props()
    return None if after == before else after


def _changed_props(
    kind: NodeKind | EdgeKind, current: dict[str, Any], patch: dict[str, Any]
) -> dict[str, Any] | None:
    """The properties to SET for `patch` over `current`, or None when nothing changes."""
    after = changed_fields(kind.fields, current, patch)
    if after is None:
        return None
    return {**after, **kind.derived(after), "updatedAt": _now()}


def _concerns(
    kind: SubjectKind, subject_id: str, ends: tuple[str, str] | None
) -> tuple[list[str], list[str]]:
    """(companies, people whose current companies) a change of this subject concerns."""
    if kind is SubjectKind.COMPANY:
        return [subject_id], []
    if kind is SubjectKind.REFERRAL:
        return [], []  # kept in the log (and the change count caches watch), not a customer move
    assert ends is not None
    if kind is SubjectKind.ROLE:
        return [ends[1]], []
    if kind is SubjectKind.COMPANY_RELATIONSHIP:
        return list(ends), []
    return [], list(ends)


def change_record(
    subject: SubjectKind,
    subject_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    ends: tuple[str, str] | None,
) -> ChangeRecord:
    """A change of a tracked subject, with the companies and people it concerns."""
    companies, people = _concerns(subject, subject_id, ends)
    return ChangeRecord(subject, subject_id, before, after, ends, companies, people)


def _record(
    tx: Tx,
    kind: NodeKind | EdgeKind,
    subject_id: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    ends: tuple[str, str] | None,
    note: ChangeNote | None,
    new: bool = False,
    evidence: tuple[EvidenceKind, str] | None = None,
) -> dict[str, Any]:
    """Record the change of a tracked subject; returns the system properties to store with it:
    when it last changed, and the strength model's anchor when a person set the strength."""
    subject = kind.history
    if subject is None:
        return {}
    effective = effective_time(tx, note, [] if new else [subject_id])
    change = change_record(subject, subject_id, before, after, ends)
    extra: dict[str, Any] = {}
    if evidence is not None:
        change.evidence_kind, change.evidence_id = evidence
    elif "strength" in change.changed and change.after is not None:
        change.evidence_kind = EvidenceKind.MANUAL
        if subject is SubjectKind.RELATIONSHIP:
            extra = {
                "strengthRaw": change.after["strength"],
                "strengthAtMs": to_ms(effective.at),
            }
    record(tx, [change], effective, note)
    return {**extra, "changedAtMs": to_ms(effective.at)}


_EDGE_SUBJECTS = (
    ("roles", SubjectKind.ROLE),
    ("relationships", SubjectKind.RELATIONSHIP),
    ("business", SubjectKind.COMPANY_RELATIONSHIP),
    ("referrals", SubjectKind.REFERRAL),
)


def _record_node_presence(
    tx: Tx, kind: NodeKind, current: dict[str, Any], note: ChangeNote | None, *, gone: bool
) -> None:
    """Record that a node and its recorded edges were deleted (`gone`), or came back (as if
    created again, edges after the node)."""
    node = (
        []
        if kind.history is None
        else [
            change_record(
                kind.history,
                str(current["id"]),
                current if gone else None,
                None if gone else current,
                None,
            )
        ]
    )
    edges: list[ChangeRecord] = []
    if kind.tracked_edges is not None:
        row = tx.run(kind.tracked_edges, id=current["id"])[0]
        for column, subject in _EDGE_SUBJECTS:
            for props, from_id, to_id in row[column]:
                if props is not None:
                    before, after = (props, None) if gone else (None, props)
                    edges.append(
                        change_record(subject, str(props["id"]), before, after, (from_id, to_id))
                    )
    changes = edges + node if gone else node + edges
    if changes:
        effective = effective_time(tx, note, [c.subject_id for c in changes])
        record(tx, changes, effective, note)


def _mark(tx: Tx, kind: NodeKind, id_: str, system: dict[str, Any]) -> None:
    """Store the system properties a recorded creation returned (a node must exist first)."""
    if system:
        tx.run(kind.set, id=id_, props=system)


def create_node(
    graph: Graph,
    kind: NodeKind,
    data: dict[str, Any],
    *,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Create a node from `data` (API field names); returns its new id (the first request's,
    when `idempotency_key` was used before)."""
    key = Idempotency.of(idempotency_key, f"create {kind.name}", {"data": data, "note": note})
    props = _new_props(kind, data)

    def work(tx: Tx) -> str:
        id_ = str(tx.run(kind.create, props=props)[0]["id"])
        _mark(
            tx,
            kind,
            id_,
            _record(tx, kind, id_, before=None, after=props, ends=None, note=note, new=True),
        )
        return id_

    return create_once(graph, key, work)


def _update_node(
    tx: Tx, kind: NodeKind, current: dict[str, Any], patch: dict[str, Any], note: ChangeNote | None
) -> str:
    id_ = str(current["id"])
    props = _changed_props(kind, current, patch)
    if props is not None:
        system = _record(tx, kind, id_, before=current, after=props, ends=None, note=note)
        tx.run(kind.set, id=id_, props={**props, **system})
    return id_


def update_node(
    graph: Graph,
    kind: NodeKind,
    id_: str,
    patch: dict[str, Any],
    *,
    note: ChangeNote | None = None,
) -> str:
    """Change the given fields of a node (None clears an optional field)."""

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props_locked, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        return _update_node(tx, kind, rows[0]["props"], patch, note)

    return graph.write_tx(work)


def upsert_node(
    graph: Graph,
    kind: NodeKind,
    external_id: str,
    data: dict[str, Any],
    *,
    note: ChangeNote | None = None,
) -> str:
    """Create the node with this external id, or update the given fields of the existing one."""
    external_id = checked_external_id(external_id)
    data = {**data, "externalId": external_id}

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props_by_external_id, externalId=external_id)
        if not rows:
            props = _new_props(kind, data)
            id_ = str(tx.run(kind.create, props=props)[0]["id"])
            _mark(
                tx,
                kind,
                id_,
                _record(tx, kind, id_, before=None, after=props, ends=None, note=note, new=True),
            )
            return id_
        return _update_node(tx, kind, _locked(tx, kind, rows[0])["props"], data, note)

    return graph.write_tx(work)


def delete_node(
    graph: Graph,
    kind: NodeKind,
    id_: str,
    *,
    force: bool = False,
    note: ChangeNote | None = None,
) -> None:
    """Delete a node; one with edges is refused unless `force`, which deletes its edges too.

    The delete is soft (graph/core/deleted.py): the node leaves every query, and `restore_node`
    brings it back with its edges within the retention window."""

    def work(tx: Tx) -> None:
        rows = tx.run(kind.edge_count, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        edges = rows[0]["edges"]
        if edges and not force:
            raise Conflict(
                f"{kind.name} '{id_}' still has {edges} role(s), relationship(s), referral(s) "
                "or deal(s); delete those first, or pass force: true to delete them with it",
                field="id",
            )
        current = tx.run(kind.props_locked, id=id_)[0]["props"]
        _record_node_presence(tx, kind, current, note, gone=True)
        deleted.archive_in(tx, kind.name, id_, None if note is None else note.by)

    graph.write_tx(work)


def restore_node(graph: Graph, kind: NodeKind, id_: str, *, note: ChangeNote | None = None) -> str:
    """Bring a deleted node back with its edges (and a company's deals); returns its id."""

    def work(tx: Tx) -> str:
        deleted.restore_in(tx, kind.name, id_, kind.props_by_external_id)
        current = tx.run(kind.props, id=id_)[0]["props"]
        _record_node_presence(tx, kind, current, note, gone=False)
        return id_

    return graph.write_tx(work)


def _check_endpoints(tx: Tx, kind: EdgeKind, from_id: str, to_id: str) -> None:
    found = tx.run(kind.endpoints, fromId=from_id, toId=to_id)[0]
    if not found["fromFound"]:
        raise NotFound(kind.from_field.removesuffix("Id"), from_id, field=kind.from_field)
    if not found["toFound"]:
        raise NotFound(kind.to_field.removesuffix("Id"), to_id, field=kind.to_field)
    if from_id == to_id:
        raise InvalidInput(
            f"{kind.to_field}: a {kind.name} must join two different ends", field=kind.to_field
        )
    if kind.between is not None:
        existing = tx.run(kind.between, fromId=from_id, toId=to_id)
        if existing:
            raise Conflict(
                f"a {kind.name} between '{from_id}' and '{to_id}' already exists "
                f"(id '{existing[0]['id']}'); update it instead",
                field=kind.to_field,
            )


def create_edge_in(
    tx: Tx,
    kind: EdgeKind,
    from_id: str,
    to_id: str,
    data: dict[str, Any],
    note: ChangeNote | None,
    *,
    extra: dict[str, Any] | None = None,
    evidence: tuple[EvidenceKind, str] | None = None,
) -> str:
    """Create an edge inside a running transaction (with `extra` system properties, and the
    evidence of its strength when it is not a person's setting)."""
    props = _new_props(kind, data)
    _check_endpoints(tx, kind, from_id, to_id)
    id_ = str(props["id"])
    anchor = _record(
        tx,
        kind,
        id_,
        before=None,
        after=props,
        ends=(from_id, to_id),
        note=note,
        new=True,
        evidence=evidence,
    )
    props = {**props, **anchor, **(extra or {})}
    return str(tx.run(kind.create, fromId=from_id, toId=to_id, props=props)[0]["id"])


def create_edge(
    graph: Graph,
    kind: EdgeKind,
    from_id: str,
    to_id: str,
    data: dict[str, Any],
    *,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Create an edge between two existing ends; returns its new id (the first request's,
    when `idempotency_key` was used before)."""
    request = {"from": from_id, "to": to_id, "data": data, "note": note}
    key = Idempotency.of(idempotency_key, f"create {kind.name}", request)
    return create_once(graph, key, lambda tx: create_edge_in(tx, kind, from_id, to_id, data, note))


def _update_edge(
    tx: Tx, kind: EdgeKind, row: dict[str, Any], patch: dict[str, Any], note: ChangeNote | None
) -> str:
    current = row["props"]
    id_ = str(current["id"])
    props = _changed_props(kind, current, patch)
    if props is not None:
        ends = (str(row["fromId"]), str(row["toId"]))
        anchor = _record(tx, kind, id_, before=current, after=props, ends=ends, note=note)
        tx.run(kind.set, id=id_, props={**props, **anchor})
    return id_


def update_edge(
    graph: Graph,
    kind: EdgeKind,
    id_: str,
    patch: dict[str, Any],
    *,
    note: ChangeNote | None = None,
    expected_version: int | None = None,
) -> str:
    """Change the given fields of an edge (its ends stay). With `expected_version` (kinds
    with versions only), only if nobody changed it since that version: else Conflict."""
    return graph.write_tx(
        lambda tx: _update_edge_checked(tx, kind, id_, patch, note, expected_version)
    )


def update_versioned_edge(
    graph: Graph,
    kind: EdgeKind,
    id_: str,
    patch: dict[str, Any],
    *,
    note: ChangeNote | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """`update_edge` for a kind with versions, returning the edge as this write left it (read
    in the same transaction, so a later write cannot show through in the answer)."""
    if kind.read_back is None:
        raise InvalidInput(f"a {kind.name} has no version", field="id")
    read_back = kind.read_back

    def work(tx: Tx) -> dict[str, Any]:
        _update_edge_checked(tx, kind, id_, patch, note, expected_version)
        row: dict[str, Any] = tx.run(read_back, ids=[id_])[0]["edge"]
        return row

    return graph.write_tx(work)


def _update_edge_checked(
    tx: Tx,
    kind: EdgeKind,
    id_: str,
    patch: dict[str, Any],
    note: ChangeNote | None,
    expected_version: int | None,
) -> str:
    if expected_version is not None and not kind.versioned:
        raise InvalidInput(
            f"expectedVersion: a {kind.name} has no version", field="expectedVersion"
        )
    rows = tx.run(kind.props_locked, id=id_)  # under the write lock: the version holds
    if not rows:
        raise NotFound(kind.name, id_, field="id")
    version = int(rows[0]["props"].get("version") or 1)
    if expected_version is not None and version != expected_version:
        raise Conflict(
            f"{kind.name} '{id_}' is at version {version}, not {expected_version}: "
            "it changed since you read it; read it again and decide anew",
            field="expectedVersion",
        )
    return _update_edge(tx, kind, rows[0], patch, note)


def upsert_edge(
    graph: Graph,
    kind: EdgeKind,
    external_id: str,
    from_id: str,
    to_id: str,
    data: dict[str, Any],
    *,
    note: ChangeNote | None = None,
) -> str:
    """Create the edge with this external id, or update the existing one (same ends only)."""
    external_id = checked_external_id(external_id)
    data = {**data, "externalId": external_id}

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props_by_external_id, externalId=external_id)
        if not rows:
            return create_edge_in(tx, kind, from_id, to_id, data, note)
        row = _locked(tx, kind, rows[0])
        if (row["fromId"], row["toId"]) != (from_id, to_id):
            raise Conflict(
                f"externalId '{external_id}' already names a {kind.name} from "
                f"'{row['fromId']}' to '{row['toId']}'; its ends cannot change",
                field="externalId",
            )
        return _update_edge(tx, kind, row, data, note)

    return graph.write_tx(work)


def delete_edge(graph: Graph, kind: EdgeKind, id_: str, *, note: ChangeNote | None = None) -> None:
    """Delete an edge by id (its recorded history stays)."""

    def work(tx: Tx) -> None:
        rows = tx.run(kind.props_locked, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        row = rows[0]
        ends = (str(row["fromId"]), str(row["toId"]))
        _record(tx, kind, id_, before=row["props"], after=None, ends=ends, note=note)
        tx.run(kind.delete, id=id_)

    graph.write_tx(work)
