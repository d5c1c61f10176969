"""Create, update, upsert and delete for every kind, each in one transaction.

Every write validates the whole resulting state before it writes anything; a failed rule
raises InvalidInput, NotFound or Conflict and leaves the graph as it was. An upsert or update
that changes nothing writes nothing (so repeating it is harmless).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from graph.connection import Graph, Tx
from graph.errors import Conflict, InvalidInput, NotFound
from graph.inputs import checked_external_id, validate
from graph.kinds import EdgeKind, NodeKind

_SYSTEM_KEYS = frozenset({"id", "createdAt", "updatedAt", "searchText"})


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _stored_fields(props: dict[str, Any]) -> dict[str, Any]:
    """The user-set fields of stored properties, as Python values."""
    return {k: _native(v) for k, v in props.items() if k not in _SYSTEM_KEYS}


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


def _changed_props(
    kind: NodeKind | EdgeKind, current: dict[str, Any], patch: dict[str, Any]
) -> dict[str, Any] | None:
    """The properties to SET for `patch` over `current`, or None when nothing changes."""
    before = validate(kind.fields, _stored_fields(current)).to_props()
    after = validate(kind.fields, {**before, **patch}).to_props()
    if after == before:
        return None
    return {**after, **kind.derived(after), "updatedAt": _now()}


def create_node(graph: Graph, kind: NodeKind, data: dict[str, Any]) -> str:
    """Create a node from `data` (API field names); returns its new id."""
    rows = graph.write(kind.create, props=_new_props(kind, data))
    return str(rows[0]["id"])


def update_node(graph: Graph, kind: NodeKind, id_: str, patch: dict[str, Any]) -> str:
    """Change the given fields of a node (None clears an optional field)."""

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        props = _changed_props(kind, rows[0]["props"], patch)
        if props is not None:
            tx.run(kind.set, id=id_, props=props)
        return id_

    return graph.write_tx(work)


def upsert_node(graph: Graph, kind: NodeKind, external_id: str, data: dict[str, Any]) -> str:
    """Create the node with this external id, or update the given fields of the existing one."""
    external_id = checked_external_id(external_id)
    data = {**data, "externalId": external_id}

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props_by_external_id, externalId=external_id)
        if not rows:
            return str(tx.run(kind.create, props=_new_props(kind, data))[0]["id"])
        current = rows[0]["props"]
        props = _changed_props(kind, current, data)
        if props is not None:
            tx.run(kind.set, id=current["id"], props=props)
        return str(current["id"])

    return graph.write_tx(work)


def delete_node(graph: Graph, kind: NodeKind, id_: str, *, force: bool = False) -> None:
    """Delete a node; one with edges is refused unless `force`, which deletes its edges too."""

    def work(tx: Tx) -> None:
        rows = tx.run(kind.edge_count, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        edges = rows[0]["edges"]
        if edges and not force:
            raise Conflict(
                f"{kind.name} '{id_}' still has {edges} role(s), relationship(s) or "
                "referral(s); delete those first, or pass force: true to delete them with it",
                field="id",
            )
        tx.run(kind.delete, id=id_)

    graph.write_tx(work)


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


def _create_edge(tx: Tx, kind: EdgeKind, from_id: str, to_id: str, data: dict[str, Any]) -> str:
    props = _new_props(kind, data)
    _check_endpoints(tx, kind, from_id, to_id)
    return str(tx.run(kind.create, fromId=from_id, toId=to_id, props=props)[0]["id"])


def create_edge(
    graph: Graph, kind: EdgeKind, from_id: str, to_id: str, data: dict[str, Any]
) -> str:
    """Create an edge between two existing ends; returns its new id."""
    return graph.write_tx(lambda tx: _create_edge(tx, kind, from_id, to_id, data))


def update_edge(graph: Graph, kind: EdgeKind, id_: str, patch: dict[str, Any]) -> str:
    """Change the given fields of an edge (its ends stay)."""

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props, id=id_)
        if not rows:
            raise NotFound(kind.name, id_, field="id")
        props = _changed_props(kind, rows[0]["props"], patch)
        if props is not None:
            tx.run(kind.set, id=id_, props=props)
        return id_

    return graph.write_tx(work)


def upsert_edge(
    graph: Graph,
    kind: EdgeKind,
    external_id: str,
    from_id: str,
    to_id: str,
    data: dict[str, Any],
) -> str:
    """Create the edge with this external id, or update the existing one (same ends only)."""
    external_id = checked_external_id(external_id)
    data = {**data, "externalId": external_id}

    def work(tx: Tx) -> str:
        rows = tx.run(kind.props_by_external_id, externalId=external_id)
        if not rows:
            return _create_edge(tx, kind, from_id, to_id, data)
        row = rows[0]
        if (row["fromId"], row["toId"]) != (from_id, to_id):
            raise Conflict(
                f"externalId '{external_id}' already names a {kind.name} from "
                f"'{row['fromId']}' to '{row['toId']}'; its ends cannot change",
                field="externalId",
            )
        props = _changed_props(kind, row["props"], data)
        if props is not None:
            tx.run(kind.set, id=row["props"]["id"], props=props)
        return str(row["props"]["id"])

    return graph.write_tx(work)


def delete_edge(graph: Graph, kind: EdgeKind, id_: str) -> None:
    """Delete an edge by id."""

    def work(tx: Tx) -> None:
        if not tx.run(kind.props, id=id_):
            raise NotFound(kind.name, id_, field="id")
        tx.run(kind.delete, id=id_)

    graph.write_tx(work)
