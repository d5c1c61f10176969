"""The first pass of an import: read every record, check it, resolve its references.

Nothing is written in this pass. A record that breaks a rule (a bad date, an unknown enum
value, a strength out of range, an unknown reference, a key used twice, a reporting line that
closes a cycle) becomes a `Problem` naming its file, line and reason.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.connection import Graph
from graph.cypher import transfer as cypher
from graph.errors import InvalidInput
from graph.inputs import validate
from graph.models import to_date, to_datetime
from graph.records import SPECS, FileError, NodeLabel, RawRecord, RecordKind, Spec

RESOLVE_CHUNK = 5_000
_ID_SUFFIX = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_RESOLVE: dict[NodeLabel, LiteralString] = {
    NodeLabel.PERSON: cypher.RESOLVE_PEOPLE,
    NodeLabel.COMPANY: cypher.RESOLVE_COMPANIES,
}
_NODE_LABEL = {RecordKind.PEOPLE: NodeLabel.PERSON, RecordKind.COMPANIES: NodeLabel.COMPANY}


@dataclass(frozen=True)
class Problem:
    """A record that was not imported: where it is, and why."""

    source: str
    line: int
    reason: str
    field: str | None = None


@dataclass(frozen=True)
class Source:
    """Records of one kind, from a file (`name`) or from an API call."""

    kind: RecordKind
    name: str
    records: Callable[[], Iterable[RawRecord]]


@dataclass
class Record:
    """A checked record, ready to write (ids filled in once references are resolved)."""

    line: int
    key: str
    by_id: bool
    props: dict[str, Any]  # validated fields, API names, None when absent
    refs: list[str]
    labels: list[NodeLabel]
    created_at: dt.datetime | None
    given_id: str | None = None
    id: str = ""  # the Guanxi id a node gets (or has), set by `resolve`
    ends: list[str] = field(default_factory=list)  # Guanxi ids of the references


@dataclass
class Checked:
    """The outcome of the first pass."""

    records: dict[str, list[Record]]  # by source name, in file order
    rows: dict[str, int]  # records read per source, good or bad
    problems: list[Problem]


def _text(values: dict[str, Any], column: str) -> str | None:
    value = values.get(column)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise InvalidInput(f"{column}: must be text", field=column)
    text = str(value).strip()
    return text or None


def _prepare(spec: Spec, raw: dict[str, Any], now: dt.datetime) -> Record:
    """One record checked on its own (references not yet resolved)."""
    refs, labels = [], []
    for ref in spec.refs:
        value = _text(raw, ref.column)
        if value is None:
            raise InvalidInput(f"{ref.column}: required", field=ref.column)
        label = ref.label
        if ref.kind_column is not None:
            kind = _text(raw, ref.kind_column)
            if kind not in ("PERSON", "COMPANY"):
                raise InvalidInput(
                    f"{ref.kind_column}: must be PERSON or COMPANY", field=ref.kind_column
                )
            label = NodeLabel.PERSON if kind == "PERSON" else NodeLabel.COMPANY
        assert label is not None
        refs.append(value)
        labels.append(label)
    if not spec.keyed:
        since = raw.get("since")
        try:
            line_props: dict[str, Any] = {"since": to_date(since)}
        except ValueError:
            raise InvalidInput("since: must be a date (YYYY-MM-DD)", field="since") from None
        if refs[0] == refs[1]:
            raise InvalidInput("manager: a person cannot report to themselves", field="manager")
        return Record(0, refs[0], False, line_props, refs, labels, None)
    assert spec.fields is not None
    data = {c: raw[c] for c in spec.field_columns if c in raw}
    data["externalId"] = raw.get("externalId")
    props = validate(spec.fields, data, prefix=spec.kind.value).to_props()
    given_id = _text(raw, "id")
    if given_id is not None and not (
        given_id.startswith(f"{spec.id_prefix}_")
        and _ID_SUFFIX.match(given_id.removeprefix(f"{spec.id_prefix}_"))
    ):
        raise InvalidInput(
            f"id: a {spec.kind.value} id looks like '{spec.id_prefix}_' and up to 100 letters, "
            "digits, '_' or '-'",
            field="id",
        )
    external_id = props.get("externalId")
    key = external_id or given_id
    if key is None:
        raise InvalidInput("externalId: required (or an id)", field="externalId")
    created_at = None
    if raw.get("createdAt") is not None:
        try:
            created_at = to_datetime(raw["createdAt"])
        except ValueError:
            raise InvalidInput("createdAt: must be an ISO 8601 time", field="createdAt") from None
        assert created_at is not None
        if created_at > now + dt.timedelta(minutes=5):
            raise InvalidInput("createdAt: must not be in the future", field="createdAt")
    if len(refs) == 2 and refs[0] == refs[1] and labels[0] == labels[1]:
        raise InvalidInput(
            f"{spec.refs[1].column}: must name another {labels[1].value.lower()} than "
            f"{spec.refs[0].column}",
            field=spec.refs[1].column,
        )
    return Record(0, key, external_id is None, props, refs, labels, created_at, given_id)


def check(
    graph: Graph, sources: Sequence[Source], progress: Callable[[int], None] | None = None
) -> Checked:
    """Read and check every record of every source, then resolve their references
    (`progress` is told of every 1,000 records read)."""
    now = dt.datetime.now(dt.UTC)
    out = Checked({}, {}, [])
    # node records by label and key (their external id, and their Guanxi id when given)
    pending: dict[NodeLabel, dict[str, Record]] = {label: {} for label in NodeLabel}
    for source in sources:
        spec = SPECS[source.kind]
        seen: dict[str, int] = {}
        good: list[Record] = []
        count = 0
        try:
            count = _check_source(source, spec, now, out, pending, seen, good, progress)
        except FileError as exc:
            out.problems.append(Problem(source.name, 1, str(exc)))
        out.records[source.name] = good
        out.rows[source.name] = count
    _resolve(graph, sources, out, pending)
    return out


def _check_source(
    source: Source,
    spec: Spec,
    now: dt.datetime,
    out: Checked,
    pending: dict[NodeLabel, dict[str, Record]],
    seen: dict[str, int],
    good: list[Record],
    progress: Callable[[int], None] | None,
) -> int:
    """Check the records of one source; returns how many it holds."""
    count = 0
    for raw in source.records():
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(1000)
        if raw.values is None:
            out.problems.append(Problem(source.name, raw.line, raw.error or "unreadable"))
            continue
        try:
            record = _prepare(spec, raw.values, now)
        except InvalidInput as exc:
            out.problems.append(Problem(source.name, raw.line, str(exc), exc.field))
            continue
        record.line = raw.line
        if record.key in seen:
            what = "person" if not spec.keyed else "key"
            out.problems.append(
                Problem(
                    source.name,
                    raw.line,
                    f"the same {what} '{record.key}' as line {seen[record.key]}; "
                    "each record may appear once",
                )
            )
            continue
        seen[record.key] = raw.line
        good.append(record)
        label = _NODE_LABEL.get(source.kind)
        if label is not None:
            pending[label].setdefault(record.key, record)
            if record.given_id:
                pending[label].setdefault(record.given_id, record)
    return count


def _resolve(
    graph: Graph,
    sources: Sequence[Source],
    out: Checked,
    pending: dict[NodeLabel, dict[str, Record]],
) -> None:
    """Give every node record its Guanxi id (found in the database, given, or new) and every
    reference the id it names; records with an unknown reference become problems."""
    wanted: dict[NodeLabel, set[str]] = {label: set() for label in NodeLabel}
    for label, records in pending.items():
        wanted[label].update(r.key for r in records.values())
    for source in sources:
        for record in out.records[source.name]:
            for value, label in zip(record.refs, record.labels, strict=True):
                if value not in pending[label]:
                    wanted[label].add(value)
    found: dict[NodeLabel, dict[str, str]] = {}
    for label, keys in wanted.items():
        ordered = sorted(keys)
        found[label] = {}
        for start in range(0, len(ordered), RESOLVE_CHUNK):
            chunk = ordered[start : start + RESOLVE_CHUNK]
            for key, id_ in graph.read(_RESOLVE[label], keys=chunk)[0]["found"]:
                found[label][key] = id_
    for label, records in pending.items():
        for record in records.values():
            if not record.id:
                spec_prefix = "pe" if label is NodeLabel.PERSON else "co"
                record.id = (
                    found[label].get(record.key)
                    or record.given_id
                    or f"{spec_prefix}_{uuid.uuid4().hex}"
                )
    for source in sources:
        kept = []
        for record in out.records[source.name]:
            ends, missing = [], None
            for value, label, ref in zip(
                record.refs, record.labels, SPECS[source.kind].refs, strict=True
            ):
                target = pending[label].get(value)
                id_ = target.id if target is not None else found[label].get(value)
                if id_ is None:
                    missing = Problem(
                        source.name,
                        record.line,
                        f"{ref.column}: no {label.value.lower()} has the external id or id "
                        f"'{value}', in this import or in the database",
                        ref.column,
                    )
                    break
                ends.append(id_)
            if missing is not None:
                out.problems.append(missing)
                continue
            if len(ends) == 2 and ends[0] == ends[1]:
                out.problems.append(
                    Problem(source.name, record.line, "both ends name the same node", None)
                )
                continue
            record.ends = ends
            kept.append(record)
        out.records[source.name] = kept
    for source in sources:
        if source.kind is RecordKind.REPORTING_LINES:
            _check_cycles(graph, source.name, out)


def _check_cycles(graph: Graph, name: str, out: Checked) -> None:
    """Reporting lines, taken in file order over those in the database, that would close a
    cycle."""
    manager = {p: m for p, m, _ in graph.read(cypher.ALL_REPORTING_LINES)[0]["lines"]}
    kept = []
    for record in out.records[name]:
        person, boss = record.ends
        seen = {boss}
        current = manager.get(boss)
        while current is not None and current not in seen and current != person:
            seen.add(current)
            current = manager.get(current)
        if current == person or boss == person:
            out.problems.append(
                Problem(
                    name,
                    record.line,
                    f"manager: '{record.refs[1]}' already reports (directly or not) to "
                    f"'{record.refs[0]}'; the line would close a cycle",
                    "manager",
                )
            )
        else:
            manager[person] = boss
            kept.append(record)
    out.records[name] = kept
