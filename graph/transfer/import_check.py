"""Checking an import: read every record, check it, resolve its references, in batches.

Nothing is written here. A record that breaks a rule (a bad date, an unknown enum value, a
strength out of range, an unknown reference, a key used twice, a reporting line that closes a
cycle) becomes a `Problem` naming its file, line and reason. References are resolved batch by
batch: to a node record of this import (its id is known once that node is written), or to a
node in the database (looked up once per key).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.core.inputs import validate
from graph.core.models import to_date, to_datetime
from graph.cypher.transfer import records as cypher
from graph.db.connection import Graph
from graph.db.errors import InvalidInput
from graph.transfer.records import SPECS, FileError, NodeLabel, RawRecord, RecordKind, Spec

RESOLVE_CHUNK = 5_000
_ID_SUFFIX = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_RESOLVE: dict[NodeLabel, LiteralString] = {
    NodeLabel.PERSON: cypher.RESOLVE_PEOPLE,
    NodeLabel.COMPANY: cypher.RESOLVE_COMPANIES,
}
_NODE_LABEL = {RecordKind.PEOPLE: NodeLabel.PERSON, RecordKind.COMPANIES: NodeLabel.COMPANY}
_NODE_PREFIX = {NodeLabel.PERSON: "pe", NodeLabel.COMPANY: "co"}


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


@dataclass(eq=False)
class Record:
    """A checked record, ready to write."""

    line: int
    key: str
    by_id: bool
    props: dict[str, Any]  # validated fields, API names, None when absent
    refs: list[str]
    labels: list[NodeLabel]
    created_at: dt.datetime | None
    given_id: str | None = None
    # a node's Guanxi id: given or new, replaced by the stored one when the node exists
    id: str = ""
    # what the references name: a node record of this import, or a stored node's id
    targets: list[Record | str] = field(default_factory=list)
    # a node this import created (committed): edges between such nodes cannot exist yet
    created: bool = False

    @property
    def ends(self) -> list[str]:
        """The Guanxi ids of the references (read when writing, after the nodes are)."""
        return [t.id if isinstance(t, Record) else t for t in self.targets]


def _identity(target: Record | str) -> Hashable:
    return target if isinstance(target, Record) else target


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
    refs: list[str] = []
    labels: list[NodeLabel] = []
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


class Checker:
    """Checks the sources of one import in order, yielding batches of good records and
    collecting the bad ones in `problems`; `rows` counts the records read per source."""

    def __init__(self, graph: Graph, progress: Callable[[str, int], None] | None = None) -> None:
        self.graph = graph
        self.progress = progress
        self.now = dt.datetime.now(dt.UTC)
        self.problems: list[Problem] = []
        self.rows: dict[str, int] = {}
        # node records of this import by label and key (external id, and given Guanxi id)
        self.pending: dict[NodeLabel, dict[str, Record]] = {label: {} for label in NodeLabel}
        # stored nodes looked up so far: key -> Guanxi id, or None when there is none
        self.found: dict[NodeLabel, dict[str, str | None]] = {label: {} for label in NodeLabel}

    def batches(self, source: Source, size: int) -> Iterator[list[Record]]:
        """The good records of one source, `size` at a time, references resolved."""
        spec = SPECS[source.kind]
        state = _SourceState()
        if source.kind is RecordKind.REPORTING_LINES:
            lines = self.graph.read(cypher.ALL_REPORTING_LINES)[0]["lines"]
            state.manager = {p: m for p, m, _ in lines}
        chunk: list[Record] = []
        count = 0
        try:
            for raw in source.records():
                count += 1
                if self.progress is not None and count % 1000 == 0:
                    self.progress(source.name, 1000)
                record = self._record(source, spec, raw, state)
                if record is not None:
                    chunk.append(record)
                if len(chunk) >= size:
                    yield from self._resolved(source, chunk, state)
                    chunk = []
            if chunk:
                yield from self._resolved(source, chunk, state)
        except FileError as exc:
            self.problems.append(Problem(source.name, 1, str(exc)))
        if self.progress is not None:
            self.progress(source.name, count % 1000)
        self.rows[source.name] = count

    def _record(
        self, source: Source, spec: Spec, raw: RawRecord, state: _SourceState
    ) -> Record | None:
        if raw.values is None:
            self.problems.append(Problem(source.name, raw.line, raw.error or "unreadable"))
            return None
        try:
            record = _prepare(spec, raw.values, self.now)
        except InvalidInput as exc:
            self.problems.append(Problem(source.name, raw.line, str(exc), exc.field))
            return None
        record.line = raw.line
        if record.key in state.seen:
            what = "person" if not spec.keyed else "key"
            self.problems.append(
                Problem(
                    source.name,
                    raw.line,
                    f"the same {what} '{record.key}' as line {state.seen[record.key]}; "
                    "each record may appear once",
                )
            )
            return None
        state.seen[record.key] = raw.line
        if record.given_id and record.given_id != record.key:
            # keyed by external id, with a Guanxi id that another record already gives
            first = state.ids.setdefault(record.given_id, raw.line)
            if first != raw.line:
                self.problems.append(
                    Problem(
                        source.name,
                        raw.line,
                        f"the same id '{record.given_id}' as line {first}; each id may appear once",
                        "id",
                    )
                )
                return None
        label = _NODE_LABEL.get(source.kind)
        if label is not None:
            record.id = record.given_id or f"{_NODE_PREFIX[label]}_{uuid.uuid4().hex}"
            self.pending[label].setdefault(record.key, record)
            if record.given_id:
                self.pending[label].setdefault(record.given_id, record)
        return record

    def _lookup(self, records: list[Record]) -> None:
        """Look up the referenced keys that are neither node records here nor known yet."""
        wanted: dict[NodeLabel, set[str]] = {label: set() for label in NodeLabel}
        for record in records:
            for value, label in zip(record.refs, record.labels, strict=True):
                if value not in self.pending[label] and value not in self.found[label]:
                    wanted[label].add(value)
        for label, keys in wanted.items():
            ordered = sorted(keys)
            for start in range(0, len(ordered), RESOLVE_CHUNK):
                chunk = ordered[start : start + RESOLVE_CHUNK]
                known = self.found[label]
                known.update(dict.fromkeys(chunk))
                for key, id_ in self.graph.read(_RESOLVE[label], keys=chunk)[0]["found"]:
                    known[key] = id_

    def _resolved(
        self, source: Source, records: list[Record], state: _SourceState
    ) -> Iterator[list[Record]]:
        spec = SPECS[source.kind]
        self._lookup(records)
        kept: list[Record] = []
        for record in records:
            problem = self._resolve(source, spec, record, state)
            if problem is None:
                kept.append(record)
            else:
                self.problems.append(problem)
        if kept:
            yield kept

    def _resolve(
        self, source: Source, spec: Spec, record: Record, state: _SourceState
    ) -> Problem | None:
        targets: list[Record | str] = []
        for value, label, ref in zip(record.refs, record.labels, spec.refs, strict=True):
            target: Record | str | None = self.pending[label].get(value) or self.found[label].get(
                value
            )
            if target is None:
                return Problem(
                    source.name,
                    record.line,
                    f"{ref.column}: no {label.value.lower()} has the external id or id "
                    f"'{value}', in this import or in the database",
                    ref.column,
                )
            targets.append(target)
        if len(targets) == 2 and _identity(targets[0]) == _identity(targets[1]):
            return Problem(source.name, record.line, "both ends name the same node")
        if spec.pair_unique:
            pair = frozenset(_identity(t) for t in targets)
            if pair in state.pairs:
                return Problem(
                    source.name,
                    record.line,
                    f"the same two ends as line {state.pairs[pair]}; at most one "
                    f"{spec.kind.value.replace('_', ' ').removesuffix('s')} joins them",
                )
            state.pairs[pair] = record.line
        if source.kind is RecordKind.REPORTING_LINES:
            problem = _closes_cycle(source, record, targets, state)
            if problem is not None:
                return problem
        record.targets = targets
        return None


@dataclass
class _SourceState:
    seen: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # Guanxi ids given beside an external id
    pairs: dict[frozenset[Hashable], int] = field(default_factory=dict)
    manager: dict[Hashable, Hashable] = field(default_factory=dict)


def _closes_cycle(
    source: Source, record: Record, targets: list[Record | str], state: _SourceState
) -> Problem | None:
    """A reporting line, taken in file order over those stored, that would close a cycle."""
    person, boss = _identity(targets[0]), _identity(targets[1])
    seen = {boss}
    current = state.manager.get(boss)
    while current is not None and current not in seen and current != person:
        seen.add(current)
        current = state.manager.get(current)
    if current == person:
        return Problem(
            source.name,
            record.line,
            f"manager: '{record.refs[1]}' already reports (directly or not) to "
            f"'{record.refs[0]}'; the line would close a cycle",
            "manager",
        )
    state.manager[person] = boss
    return None
