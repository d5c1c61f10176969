"""Create, update, upsert and delete for every kind: one write path.

`create_in` and `update_in` write a batch of items of one kind inside a running transaction,
with everything a write owes: derived properties, time stamps, the change log (see
graph/core/history.py), the strength model's anchor, for versioned edges the version, and the
stored figures of the items the write affects (graph/core/figures.py).
The API's writes below call them with one item in a transaction of their own; the import
(graph/transfer/importer.py) calls them with its batches, and the synthetic loader
(seed/synthetic.py) creates its items through `create_in`. Batching is their only difference.

Every API write validates the whole resulting state before it writes anything; a failed rule
raises InvalidInput, NotFound or Conflict and leaves the graph as it was. An upsert or update
that changes nothing writes nothing (so repeating it is harmless). Writes read what they change
under the write lock, and answer with the item as they left it, read in their own transaction.
`note` says who made a change, why, and when it took effect.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.core import deleted, figures
from graph.core.history import (
    ChangeNote,
    ChangeRecord,
    Effective,
    EvidenceKind,
    SubjectKind,
    effective_time,
    record,
    to_ms,
)
from graph.core.idempotency import Idempotency, create_once_read
from graph.core.inputs import Fields, Patch, checked_external_id, validate
from graph.core.kinds import EdgeKind, NodeKind
from graph.core.search import write_search_keys
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound

M = TypeVar("M")
F = TypeVar("F", bound=Fields)

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
        "credential",  # who made a deal's latest write (graph/db/recorder.py)
        *figures.FIGURE_KEYS,  # the stored figures (graph/core/figures.py)
    }
)


@dataclass(frozen=True)
class New:
    """An item to create: its properties (see `new_props`), its ends for an edge, the line of
    its record (for an import's report), and system properties stored but not recorded (the
    strength model's state a first interaction sets)."""

    props: dict[str, Any]
    ends: tuple[str, str] | None = None
    line: int = 0
    system: dict[str, Any] | None = None


@dataclass(frozen=True)
class Update:
    """A change to a stored item: its properties as read under the write lock, its user-set
    fields after the change (see `changed_fields`), and its ends for an edge."""

    current: dict[str, Any]
    after: dict[str, Any]
    ends: tuple[str, str] | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _stored_fields(props: dict[str, Any]) -> dict[str, Any]:
    """The user-set fields of stored properties, as Python values."""
    return {k: _native(v) for k, v in props.items() if k not in SYSTEM_KEYS}


def new_props(
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    fields: dict[str, Any],
    *,
    id_: str | None = None,
    created_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The properties of a new item from its validated fields: derived ones, its id (a new
    one unless given) and time stamps."""
    stamp = now or _now()
    return {
        **fields,
        **kind.derived(fields),
        "id": id_ or f"{kind.id_prefix}_{uuid.uuid4().hex}",
        "createdAt": created_at or stamp,
        "updatedAt": stamp,
    }


def changed_fields(
    fields: type[Fields], current: dict[str, Any], patch: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The validated user-set fields after `patch` over the stored `current`, or None when
    nothing changes."""
    before = validate(fields, _stored_fields(current)).to_props()
    after = validate(fields, {**before, **patch}).to_props()
    return None if after == before else after


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


def _anchors(
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    changes: Sequence[ChangeRecord],
    effective: Effective,
    evidence: tuple[EvidenceKind, str] | None,
) -> list[dict[str, Any]]:
    """The system properties to store with each recorded change: when it took effect, and the
    strength model's anchor where a person (not an interaction) set a relationship's strength."""
    at_ms = to_ms(effective.at)
    anchors: list[dict[str, Any]] = []
    for change in changes:
        anchor: dict[str, Any] = {"changedAtMs": at_ms}
        if evidence is not None:
            change.evidence_kind, change.evidence_id = evidence
        elif "strength" in change.changed and change.after is not None:
            change.evidence_kind = EvidenceKind.MANUAL
            if kind.history is SubjectKind.RELATIONSHIP:
                anchor |= {"strengthRaw": change.after["strength"], "strengthAtMs": at_ms}
        anchors.append(anchor)
    return anchors


def _ends_row(ends: tuple[str, str] | None) -> dict[str, Any]:
    return {} if ends is None else {"fromId": ends[0], "toId": ends[1]}


def create_in(
    tx: Tx,
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    items: Sequence[New],
    note: ChangeNote | None,
    *,
    recorded: bool = True,
    evidence: tuple[EvidenceKind, str] | None = None,
    count_figures: bool = True,
) -> set[int]:
    """Create `items` (their ends must exist: an edge whose end is gone is left out) and, when
    `recorded` and the kind keeps a history, record their creation; recount the stored
    figures they change unless not `count_figures` (a bulk load, which counts them all once at
    its end). Returns the lines of the items created."""
    if not items:
        return set()
    changes: list[ChangeRecord] = []
    effective: Effective | None = None
    anchors: list[dict[str, Any]] = [{} for _ in items]
    if recorded and kind.history is not None:
        effective = effective_time(tx, note, [])
        changes = [
            change_record(kind.history, str(item.props["id"]), None, item.props, item.ends)
            for item in items
        ]
        anchors = _anchors(kind, changes, effective, evidence)
    rows = [
        {
            "line": item.line,
            # the caller's system properties win over the anchors; None is no property
            "props": {
                k: v
                for k, v in {**item.props, **anchor, **(item.system or {})}.items()
                if v is not None
            },
            **_ends_row(item.ends),
        }
        for item, anchor in zip(items, anchors, strict=True)
    ]
    created = {int(line) for line in tx.run(kind.statements.create, rows=rows)[0]["lines"]}
    if isinstance(kind, NodeKind):
        searched = [
            (str(item.props["id"]), str(item.props["searchText"]))
            for item in items
            if item.line in created and item.props.get("searchText") is not None
        ]
        write_search_keys(tx, kind.search_keys, searched, replace=False)
    if changes and effective is not None:
        made = [c for c, item in zip(changes, items, strict=True) if item.line in created]
        record(tx, made, effective, note)
    if count_figures:
        new = [(str(i.props["id"]), i.ends) for i in items if i.line in created]
        figures.refresh(tx, figures.affected_by_new(tx, kind, new))
    return created


def update_in(
    tx: Tx,
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    updates: Sequence[Update],
    note: ChangeNote | None,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Write `updates` (their items read under the write lock), recording each change where
    the kind keeps a history, and recount the stored figures they change."""
    stamp = now or _now()
    rows: list[dict[str, Any]] = []
    changes: list[ChangeRecord] = []
    for update in updates:
        props = {**update.after, **kind.derived(update.after), "updatedAt": stamp}
        id_ = str(update.current["id"])
        rows.append({"id": id_, "props": props, **_ends_row(update.ends)})
        if kind.history is not None:
            # after: the whole stored state, so the time index keeps its snapshot extras
            after = {**update.current, **props}
            changes.append(change_record(kind.history, id_, update.current, after, update.ends))
    if kind.history is not None:
        effective = effective_time(tx, note, [c.subject_id for c in changes])
        for row, anchor in zip(rows, _anchors(kind, changes, effective, None), strict=True):
            row["props"] |= anchor
        record(tx, changes, effective, note)
    tx.run(kind.statements.set, rows=rows)
    moves = [(u.current, u.after, u.ends) for u in updates]
    figures.refresh(tx, figures.affected_by_changes(tx, kind, moves))
    if isinstance(kind, NodeKind):
        renamed = [
            (str(row["id"]), str(row["props"]["searchText"]))
            for row, update in zip(rows, updates, strict=True)
            if row["props"].get("searchText", update.current.get("searchText"))
            != update.current.get("searchText")
        ]
        write_search_keys(tx, kind.search_keys, renamed, replace=True)


def read_back(tx: Tx, kind: NodeKind[M, Any] | EdgeKind[M, Any], id_: str) -> M:
    """The item as this transaction leaves it (so a later write cannot show in the answer)."""
    rows = tx.run(kind.statements.read_back, id=id_)
    if not rows:
        raise NotFound(kind.name, id_)
    return kind.model(rows[0]["item"])


def _update(
    tx: Tx,
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    row: dict[str, Any],
    patch: Patch,
    note: ChangeNote | None,
) -> str:
    """Apply `patch` to the item of `row` (read under the write lock); returns its id."""
    current = row["props"]
    after = changed_fields(kind.fields, current, patch.values)
    if after is not None:
        ends = (str(row["fromId"]), str(row["toId"])) if "fromId" in row else None
        update_in(tx, kind, [Update(current, after, ends)], note)
    return str(current["id"])


def _locked(tx: Tx, kind: NodeKind[Any, Any] | EdgeKind[Any, Any], id_: str) -> dict[str, Any]:
    """The item's row read under the write lock, so that a concurrent write waits, or
    conflicts and is retried, instead of being overwritten with what this one read."""
    rows = tx.run(kind.statements.props_locked, id=id_)
    if not rows:
        raise NotFound(kind.name, id_, field="id")
    row: dict[str, Any] = rows[0]
    return row


def _record_node_presence(
    tx: Tx,
    kind: NodeKind[Any, Any],
    current: dict[str, Any],
    note: ChangeNote | None,
    *,
    gone: bool,
) -> figures.Affected:
    """Record that a node and its recorded edges were deleted (`gone`), or came back (as if
    created again, edges after the node); returns whose figures those edges change (read
    before a delete takes them)."""
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
    return figures.affected_by_edges(tx, row)


_EDGE_SUBJECTS = (
    ("roles", SubjectKind.ROLE),
    ("relationships", SubjectKind.RELATIONSHIP),
    ("business", SubjectKind.COMPANY_RELATIONSHIP),
    ("referrals", SubjectKind.REFERRAL),
)


def create_node(
    graph: Graph,
    kind: NodeKind[M, F],
    fields: F,
    *,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> M:
    """Create a node with these fields; answers with it as created (the first request's, when
    `idempotency_key` was used before)."""
    data = fields.to_props()
    key = Idempotency.of(idempotency_key, f"create {kind.name}", {"data": data, "note": note})
    props = new_props(kind, data)

    def create(tx: Tx) -> str:
        create_in(tx, kind, [New(props)], note)
        return str(props["id"])

    return create_once_read(graph, key, create, lambda tx, id_: read_back(tx, kind, id_))


def update_node(
    graph: Graph,
    kind: NodeKind[M, Any],
    id_: str,
    patch: Patch,
    *,
    note: ChangeNote | None = None,
) -> M:
    """Change the given fields of a node (None clears an optional field)."""

    def work(tx: Tx) -> M:
        return read_back(tx, kind, _update(tx, kind, _locked(tx, kind, id_), patch, note))

    return graph.write_tx(work)


def _keyed(external_id: str, fields: F) -> tuple[str, F, Patch]:
    """An upsert's checked external id, its fields as a new item gets them (with that id), and
    the patch it makes to an existing item: the fields the client sent."""
    external_id = checked_external_id(external_id)
    keyed = fields.model_copy(update={"external_id": external_id})
    return external_id, keyed, Patch({**fields.sent().values, "externalId": external_id})


def upsert_node(
    graph: Graph,
    kind: NodeKind[M, F],
    external_id: str,
    fields: F,
    *,
    note: ChangeNote | None = None,
) -> M:
    """Create the node with this external id, or update the fields the client sent of the
    existing one."""
    external_id, keyed, patch = _keyed(external_id, fields)

    def work(tx: Tx) -> M:
        rows = tx.run(kind.statements.props_by_external_id, externalId=external_id)
        if not rows:
            new = new_props(kind, keyed.to_props())
            create_in(tx, kind, [New(new)], note)
            return read_back(tx, kind, str(new["id"]))
        row = _locked(tx, kind, str(rows[0]["props"]["id"]))
        return read_back(tx, kind, _update(tx, kind, row, patch, note))

    return graph.write_tx(work)


def delete_node(
    graph: Graph,
    kind: NodeKind[Any, Any],
    id_: str,
    *,
    force: bool = False,
    note: ChangeNote | None = None,
) -> None:
    """Delete a node; one with edges is refused unless `force`, which deletes its edges too.

    The delete is soft (graph/core/deleted.py): the node leaves every query, and
    `restore_node` brings it back with its edges within the retention window."""

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
        current = _locked(tx, kind, id_)["props"]
        affected = _record_node_presence(tx, kind, current, note, gone=True)
        deleted.archive_in(tx, kind, id_, None if note is None else note.by)
        figures.refresh(tx, affected)

    graph.write_tx(work)


def restore_node(
    graph: Graph, kind: NodeKind[M, Any], id_: str, *, note: ChangeNote | None = None
) -> M:
    """Bring a deleted node back with its edges (and a company's deals); answers with it."""

    def work(tx: Tx) -> M:
        deleted.restore_in(tx, kind, id_)
        current = tx.run(kind.statements.props, id=id_)[0]["props"]
        if current.get("searchText") is not None:  # the archive kept no keys
            write_search_keys(tx, kind.search_keys, [(id_, current["searchText"])], replace=False)
        affected = _record_node_presence(tx, kind, current, note, gone=False)
        figures.refresh(tx, affected | figures.affected_by_new(tx, kind, [(id_, None)]))
        return read_back(tx, kind, id_)

    return graph.write_tx(work)


def _check_endpoints(tx: Tx, kind: EdgeKind[Any, Any], from_id: str, to_id: str) -> None:
    found = tx.run(kind.statements.endpoints, fromId=from_id, toId=to_id)[0]
    if not found["fromFound"]:
        raise NotFound(kind.from_field.removesuffix("Id"), from_id, field=kind.from_field)
    if not found["toFound"]:
        raise NotFound(kind.to_field.removesuffix("Id"), to_id, field=kind.to_field)
    if from_id == to_id:
        raise InvalidInput(
            f"{kind.to_field}: a {kind.name} must join two different ends", field=kind.to_field
        )
    between = kind.statements.between
    if between is not None:
        existing = tx.run(between, fromId=from_id, toId=to_id)
        if existing:
            raise Conflict(
                f"a {kind.name} between '{from_id}' and '{to_id}' already exists "
                f"(id '{existing[0]['id']}'); update it instead",
                field=kind.to_field,
            )


def create_edge_in(
    tx: Tx,
    kind: EdgeKind[Any, F],
    from_id: str,
    to_id: str,
    fields: F,
    note: ChangeNote | None,
    *,
    extra: dict[str, Any] | None = None,
    evidence: tuple[EvidenceKind, str] | None = None,
) -> str:
    """Create an edge inside a running transaction (with `extra` system properties, and the
    evidence of its strength when it is not a person's setting); returns its id."""
    props = new_props(kind, fields.to_props())
    _check_endpoints(tx, kind, from_id, to_id)
    create_in(tx, kind, [New(props, (from_id, to_id), system=extra)], note, evidence=evidence)
    return str(props["id"])


def create_edge(
    graph: Graph,
    kind: EdgeKind[M, F],
    from_id: str,
    to_id: str,
    fields: F,
    *,
    note: ChangeNote | None = None,
    idempotency_key: str | None = None,
) -> M:
    """Create an edge with these fields between two existing ends; answers with it as created
    (the first request's, when `idempotency_key` was used before)."""
    request = {"from": from_id, "to": to_id, "data": fields.to_props(), "note": note}
    key = Idempotency.of(idempotency_key, f"create {kind.name}", request)
    return create_once_read(
        graph,
        key,
        lambda tx: create_edge_in(tx, kind, from_id, to_id, fields, note),
        lambda tx, id_: read_back(tx, kind, id_),
    )


def update_edge(
    graph: Graph,
    kind: EdgeKind[M, Any],
    id_: str,
    patch: Patch,
    *,
    note: ChangeNote | None = None,
    expected_version: int | None = None,
) -> M:
    """Change the given fields of an edge (its ends stay). With `expected_version` (kinds
    with versions only), only if nobody changed it since that version: else Conflict."""
    if expected_version is not None and not kind.versioned:
        raise InvalidInput(
            f"expectedVersion: a {kind.name} has no version", field="expectedVersion"
        )

    def work(tx: Tx) -> M:
        row = _locked(tx, kind, id_)  # under the write lock: the version holds
        version = int(row["props"].get("version") or 1)
        if expected_version is not None and version != expected_version:
            raise Conflict(
                f"{kind.name} '{id_}' is at version {version}, not {expected_version}: "
                "it changed since you read it; read it again and decide anew",
                field="expectedVersion",
            )
        return read_back(tx, kind, _update(tx, kind, row, patch, note))

    return graph.write_tx(work)


def upsert_edge(
    graph: Graph,
    kind: EdgeKind[M, F],
    external_id: str,
    from_id: str,
    to_id: str,
    fields: F,
    *,
    note: ChangeNote | None = None,
) -> M:
    """Create the edge with this external id, or update the fields the client sent of the
    existing one (same ends only)."""
    external_id, keyed, patch = _keyed(external_id, fields)

    def work(tx: Tx) -> M:
        rows = tx.run(kind.statements.props_by_external_id, externalId=external_id)
        if not rows:
            return read_back(tx, kind, create_edge_in(tx, kind, from_id, to_id, keyed, note))
        row = _locked(tx, kind, str(rows[0]["props"]["id"]))
        if (row["fromId"], row["toId"]) != (from_id, to_id):
            raise Conflict(
                f"externalId '{external_id}' already names a {kind.name} from "
                f"'{row['fromId']}' to '{row['toId']}'; its ends cannot change",
                field="externalId",
            )
        return read_back(tx, kind, _update(tx, kind, row, patch, note))

    return graph.write_tx(work)


def delete_edge(
    graph: Graph, kind: EdgeKind[Any, Any], id_: str, *, note: ChangeNote | None = None
) -> None:
    """Delete an edge by id (its recorded history stays)."""

    def work(tx: Tx) -> None:
        row = _locked(tx, kind, id_)
        ends = (str(row["fromId"]), str(row["toId"]))
        if kind.history is not None:
            change = change_record(kind.history, id_, row["props"], None, ends)
            record(tx, [change], effective_time(tx, note, [id_]), note)
        tx.run(kind.statements.delete, id=id_)
        figures.refresh(tx, figures.affected_by_gone(tx, kind, [ends]))

    graph.write_tx(work)
