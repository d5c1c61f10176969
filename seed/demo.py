"""Load the demo data (seed/demo.json), with a few years of dated history.

Each item of the main sections is an item as it stands after its last change by hand; its key
becomes its external id (`demo:company:<key>`, `demo:person:<key>`, `demo:<section>:<key>` for
the others). The demo is replayed in time order, as if it had been recorded as it happened:
each item is created at its `recordedAt` (by default its `since`, `startDate` or `date`, or
2015-01-01; an edge not before its ends), then the dated `history` entries change it (the
first entry of an item gives the state it was created in, overriding its fields),
`interactions` are logged and `deals` recorded. The demo is loaded once: when the graph already
holds it, loading again changes nothing.

The demo lives: its dates are the story's as written on its `_anchor` day, and `load_demo`
moves every one of them (`DATED` fields, wherever they occur) by the whole days from the anchor
to the day it loads. So whatever the calendar says, a new user sees the story as it was
written: the ties' tiers and strengths, the days since each contact, what is fading.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.core import kinds, reads, writes
from graph.core.history import ChangeNote
from graph.core.inputs import Patch, validate
from graph.core.kinds import EdgeKind, NodeKind
from graph.db import recorder
from graph.db.connection import Graph
from graph.deals import deals
from graph.evolution import interactions
from graph.keypersons.maps import set_reporting_line

DEMO_FILE = Path(__file__).with_name("demo.json")
PREFIX = "demo:"
DEFAULT_RECORDED_AT = "2015-01-01"
# The fields that hold a date or an instant, in any section (a history entry's `fields` too):
# the ones the load moves to keep the story's distance from today.
DATED = frozenset({"at", "since", "startDate", "endDate", "date", "recordedAt", "followUpDate"})

_NOT_FIELDS = ("key", "person", "company", "from", "to", "recordedAt")
# section -> (kind, (field, section) of its start, (field, section) of its end); referral ends
# name their section: "co:key" or "pe:key".
_EDGES: dict[str, tuple[EdgeKind[Any, Any], tuple[str, str | None], tuple[str, str | None]]] = {
    "roles": (kinds.ROLE, ("person", "people"), ("company", "companies")),
    "relationships": (kinds.RELATIONSHIP, ("from", "people"), ("to", "people")),
    "companyRelationships": (
        kinds.COMPANY_RELATIONSHIP,
        ("from", "companies"),
        ("to", "companies"),
    ),
    "referrals": (kinds.REFERRAL, ("from", None), ("to", None)),
}
_NODES: dict[str, NodeKind[Any, Any]] = {"companies": kinds.COMPANY, "people": kinds.PERSON}
# nodes' external ids name their kind: demo:company:<key>, demo:person:<key>
_NODE_PREFIX = {"companies": "company", "people": "person"}
_PARTY_SECTIONS = {"co": "companies", "pe": "people"}


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _NOT_FIELDS}


def _time(value: str) -> dt.datetime:
    stamp = dt.datetime.fromisoformat(value)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


@dataclass(order=True)
class _Event:
    at: dt.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


def anchor() -> dt.date:
    """The day the demo's story was written: its dates read as intended on that day."""
    return dt.date.fromisoformat(json.loads(DEMO_FILE.read_text(encoding="utf-8"))["_anchor"])


def shift(today: dt.date | None = None) -> dt.timedelta:
    """How far a load on `today` (the current UTC day by default) moves the story's dates."""
    return (today or dt.datetime.now(dt.UTC).date()) - anchor()


def story_time(value: str, today: dt.date | None = None) -> dt.datetime:
    """A date or instant of the story (as in demo.json) as a load on `today` records it."""
    return _time(value) + shift(today)


def _moved(value: str, by: dt.timedelta) -> str:
    if len(value) <= len("2000-01-01"):
        return (dt.date.fromisoformat(value) + by).isoformat()
    return (dt.datetime.fromisoformat(value) + by).isoformat()


def shifted(item: Any, by: dt.timedelta) -> Any:
    """`item` (any part of demo.json) with every date and instant in a `DATED` field moved."""
    if isinstance(item, list):
        return [shifted(i, by) for i in item]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(item, dict):
        return {
            k: _moved(v, by) if k in DATED and isinstance(v, str) else shifted(v, by)
            for k, v in item.items()  # pyright: ignore[reportUnknownVariableType]
        }
    return item


def load_demo(graph: Graph, today: dt.date | None = None) -> dict[str, int]:
    """Load the demo into a graph that does not hold it yet, its dates moved so that `today`
    (the current UTC day by default) is the story's anchor day; returns how many items of
    each kind the demo has. `today` may not lie after the current day: interactions held in
    the future are refused. Its changes are recorded as made by the credential `seed`."""
    with recorder.recording_as(recorder.SEED):
        return _load_demo(graph, today)


def _load_demo(graph: Graph, today: dt.date | None) -> dict[str, int]:
    by = shift(today)
    demo = shifted(json.loads(DEMO_FILE.read_text(encoding="utf-8")), by)
    default_recorded_at = _moved(DEFAULT_RECORDED_AT, by)
    counts = {section: len(demo.get(section, [])) for section in [*_NODES, *_EDGES]}
    counts |= {
        section: len(demo[section]) for section in ("interactions", "deals", "reportingLines")
    }
    first = demo["companies"][0]["key"]
    if reads.id_by_external_id(graph, "company", f"{PREFIX}company:{first}") is not None:
        return counts
    ids: dict[str, str] = {}  # "section:key" -> id
    created: dict[str, str] = {}  # "section:key" -> when it is created
    history: dict[str, list[dict[str, Any]]] = {}
    for entry in demo["history"]:
        history.setdefault(f"{entry['section']}:{entry['key']}", []).append(entry)
    events: list[_Event] = []

    def add(at: str, order: int, run: Callable[[], None]) -> None:
        events.append(_Event(_time(at), order, run))

    for section, kind in _NODES.items():
        for item in demo[section]:
            _schedule(
                graph, add, ids, created, history, section, item, kind, None, default_recorded_at
            )
    for section, (edge_kind, (from_key, from_section), (to_key, to_section)) in _EDGES.items():
        for item in demo[section]:
            ends = (_end(item[from_key], from_section), _end(item[to_key], to_section))
            _schedule(
                graph,
                add,
                ids,
                created,
                history,
                section,
                item,
                edge_kind,
                ends,
                default_recorded_at,
            )
    for item in demo["interactions"]:
        add(item["at"], 2, _interaction(graph, ids, item))
    for item in demo["deals"]:
        company = f"companies:{item['company']}"
        add(max(item["date"], created[company], key=_time), 3, _deal(graph, ids, item))
    for event in sorted(events):
        event.run()
    for line in demo["reportingLines"]:
        set_reporting_line(
            graph,
            ids[f"people:{line['person']}"],
            ids[f"people:{line['manager']}"],
            dt.date.fromisoformat(line["since"]),
        )
    return counts


def _end(key: str, section: str | None) -> str:
    """The `section:key` name of an edge's end."""
    if section is None:
        prefix, key = key.split(":", 1)
        section = _PARTY_SECTIONS[prefix]
    return f"{section}:{key}"


def _schedule(
    graph: Graph,
    add: Callable[[str, int, Callable[[], None]], None],
    ids: dict[str, str],
    created: dict[str, str],
    history: dict[str, list[dict[str, Any]]],
    section: str,
    item: dict[str, Any],
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    ends: tuple[str, str] | None,
    default_recorded_at: str,
) -> None:
    """Schedule an item's creation (an edge: not before its ends) and its dated changes."""
    name = f"{section}:{item['key']}"
    external_id = f"{PREFIX}{_NODE_PREFIX.get(section, section)}:{item['key']}"
    final = _fields(item)
    entries = history.get(name, [])
    created_state: dict[str, Any] = {**final, **(entries[0]["fields"] if entries else {})}
    created_at = (
        entries[0]["at"]
        if entries
        else item.get("recordedAt")
        or item.get("since")
        or item.get("startDate")
        or item.get("date")
        or default_recorded_at
    )
    if ends is not None:  # not before its ends exist
        created_at = max([created_at, created[ends[0]], created[ends[1]]], key=_time)
    created[name] = created_at
    note = _note(entries[0] if entries else {}, created_at)

    def create() -> None:
        fields = kind.checked(created_state)
        if isinstance(kind, NodeKind):
            ids[name] = writes.upsert_node(graph, kind, external_id, fields, note=note).id
            return
        assert ends is not None
        from_id, to_id = ids[ends[0]], ids[ends[1]]
        ids[name] = writes.upsert_edge(
            graph, kind, external_id, from_id, to_id, fields, note=note
        ).id

    add(created_at, 0 if isinstance(kind, NodeKind) else 1, create)
    for entry in entries[1:]:
        add(entry["at"], 1, _update(graph, kind, ids, name, entry))


def _note(entry: dict[str, Any], at: str) -> ChangeNote:
    return ChangeNote(by=entry.get("by", "demo"), reason=entry.get("reason"), at=_time(at))


def _update(
    graph: Graph,
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
    ids: dict[str, str],
    name: str,
    entry: dict[str, Any],
) -> Callable[[], None]:
    def run() -> None:
        note = _note(entry, entry["at"])
        patch = Patch(entry["fields"])
        if isinstance(kind, NodeKind):
            writes.update_node(graph, kind, ids[name], patch, note=note)
        else:
            writes.update_edge(graph, kind, ids[name], patch, note=note)

    return run


def _interaction(graph: Graph, ids: dict[str, str], item: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        data = {k: v for k, v in item.items() if k not in ("key", "ours", "theirs", "company")}
        data |= {
            "externalId": f"{PREFIX}interactions:{item['key']}",
            "ourPersonIds": [ids[f"people:{k}"] for k in item["ours"]],
            "theirPersonIds": [ids[f"people:{k}"] for k in item["theirs"]],
        }
        if "company" in item:
            data["companyId"] = ids[f"companies:{item['company']}"]
        interactions.log_interaction(graph, validate(interactions.InteractionFields, data))

    return run


def _deal(graph: Graph, ids: dict[str, str], item: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        data = {k: v for k, v in item.items() if k not in ("key", "company")}
        data["externalId"] = f"{PREFIX}deals:{item['key']}"
        company_id = ids[f"companies:{item['company']}"]
        deals.record_deal(graph, company_id, validate(deals.DealFields, data))

    return run
