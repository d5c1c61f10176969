"""Bulk import of records (graph/transfer/records.py): upsert by key, in batches, with a report.

`import_records` checks every record first (graph/transfer/import_check.py), then writes the good
ones in batches of `batch_size`, each batch one transaction and one upsert statement (plus
one for the records that changed). A record that already exists and is the same is left
alone; one that changed is updated, and its change recorded in the history as the API's
writes record theirs. The default writes every good record and reports the bad ones; `strict`
refuses the whole import when any record is bad, and then writes in one transaction, so a
problem found while writing rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, LiteralString

from graph.core import history
from graph.core.history import ChangeNote, ChangeRecord, SubjectKind, effective_time, to_ms
from graph.core.inputs import Fields
from graph.core.kinds import COMPANY, COMPANY_RELATIONSHIP, PERSON, REFERRAL, RELATIONSHIP, ROLE
from graph.core.writes import change_record, changed_fields
from graph.cypher.transfer import records as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput
from graph.deals.deals import DealFields
from graph.transfer.import_check import Checker, Problem, Record, Source
from graph.transfer.records import SPECS, RecordKind, find_files, object_record, read_records

# From the batch-size sweeps in BENCHMARKS.md: 10,000 ran within 4-8% of the fastest size
# (50,000 in one run, 20,000 in the next) with a smaller transaction, and 14-20% faster than
# 5,000.
DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 50_000


@dataclass(frozen=True)
class _Writer:
    """How records of one kind are written."""

    fields: type[Fields] | None
    derived: Callable[[dict[str, Any]], dict[str, Any]]
    history: SubjectKind | None
    upsert: LiteralString  # by external id (and, for edges, by id too)
    set: LiteralString
    upsert_by_id: LiteralString | None = None  # nodes and deals: by Guanxi id
    # edges and deals whose ends this import created; nodes of a label that had none
    create: LiteralString | None = None


def _nothing(props: dict[str, Any]) -> dict[str, Any]:
    return {}


_WRITERS: dict[RecordKind, _Writer] = {
    RecordKind.COMPANIES: _Writer(
        COMPANY.fields,
        COMPANY.derived,
        COMPANY.history,
        cypher.UPSERT_COMPANIES_BY_EXTERNAL_ID,
        cypher.SET_COMPANIES,
        cypher.UPSERT_COMPANIES_BY_ID,
        cypher.CREATE_COMPANIES,
    ),
    RecordKind.PEOPLE: _Writer(
        PERSON.fields,
        PERSON.derived,
        PERSON.history,
        cypher.UPSERT_PEOPLE_BY_EXTERNAL_ID,
        cypher.SET_PEOPLE,
        cypher.UPSERT_PEOPLE_BY_ID,
        cypher.CREATE_PEOPLE,
    ),
    RecordKind.ROLES: _Writer(
        ROLE.fields,
        ROLE.derived,
        ROLE.history,
        cypher.UPSERT_ROLES,
        cypher.SET_ROLES,
        create=cypher.CREATE_ROLES,
    ),
    RecordKind.RELATIONSHIPS: _Writer(
        RELATIONSHIP.fields,
        RELATIONSHIP.derived,
        RELATIONSHIP.history,
        cypher.UPSERT_RELATIONSHIPS,
        cypher.SET_RELATIONSHIPS,
        create=cypher.CREATE_RELATIONSHIPS,
    ),
    RecordKind.COMPANY_RELATIONSHIPS: _Writer(
        COMPANY_RELATIONSHIP.fields,
        COMPANY_RELATIONSHIP.derived,
        COMPANY_RELATIONSHIP.history,
        cypher.UPSERT_COMPANY_RELATIONSHIPS,
        cypher.SET_COMPANY_RELATIONSHIPS,
        create=cypher.CREATE_COMPANY_RELATIONSHIPS,
    ),
    RecordKind.REFERRALS: _Writer(
        REFERRAL.fields,
        REFERRAL.derived,
        REFERRAL.history,
        cypher.UPSERT_REFERRALS,
        cypher.SET_REFERRALS,
        create=cypher.CREATE_REFERRALS,
    ),
    RecordKind.DEALS: _Writer(
        DealFields,
        _nothing,
        None,
        cypher.UPSERT_DEALS_BY_EXTERNAL_ID,
        cypher.SET_DEALS,
        cypher.UPSERT_DEALS_BY_ID,
        cypher.CREATE_DEALS,
    ),
}
_NODES = (RecordKind.COMPANIES, RecordKind.PEOPLE)


@dataclass
class SourceCounts:
    """What became of the records of one source."""

    kind: RecordKind
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0


@dataclass
class ImportReport:
    """Counts per source, the bad records, and whether a strict import was refused."""

    counts: dict[str, SourceCounts]
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False
    refused: bool = False

    @property
    def written(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())

    def summary(self) -> str:
        total = [0, 0, 0, 0, 0]
        for c in self.counts.values():
            for index, value in enumerate((c.rows, c.created, c.updated, c.unchanged, c.bad)):
                total[index] += value
        head = "refused (strict), nothing written: " if self.refused else ""
        records = f"{total[0]:,} record{'' if total[0] == 1 else 's'}"
        return (
            f"{head}{records}: {total[1]:,} created, {total[2]:,} updated, "
            f"{total[3]:,} unchanged, {total[4]:,} bad"
        )


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


@dataclass
class _Batch:
    """One batch's outcome."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    fresh: list[Record] = field(default_factory=list)  # nodes it created


def import_records(
    graph: Graph,
    sources: Sequence[Source],
    *,
    strict: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    by: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Import the sources in order (companies and people before the edges that name them).

    `progress(phase, n)` hears of records checked (phase "checked") and then written or found
    bad (phase "written"), as they go.
    """
    batch_size = max(1, min(batch_size, MAX_BATCH_SIZE))
    checker = Checker(graph, None if progress is None else partial(progress, "checked"))
    step = None if progress is None else partial(progress, "written")
    report = ImportReport({s.name: SourceCounts(s.kind) for s in sources}, strict=strict)
    run = _Run(f"im_{uuid.uuid4().hex}", by, dt.datetime.now(dt.UTC))
    jobs = ((source, batch) for source in sources for batch in checker.batches(source, batch_size))
    outcomes: list[tuple[Source, _Batch]] = []
    if strict:
        checked = list(jobs)
        if not checker.problems:
            try:
                outcomes = graph.write_tx(lambda tx: _write_all(tx, run, checked, step))
            except _Refused as refused:
                checker.problems.extend(refused.problems)
        if checker.problems:
            report.problems, report.refused = checker.problems, True
            return _finished(report, checker, sources)
    else:
        # each batch is written as soon as it is checked (a thread checking ahead of the
        # writes measured slower: both need the interpreter lock)
        outcomes = []
        for source, batch in jobs:
            outcomes.append((source, _commit(graph, run, source, batch)))
            if step is not None:
                step(len(batch))
        report.problems.extend(checker.problems)
    for source, outcome in outcomes:
        counts = report.counts[source.name]
        counts.created += outcome.created
        counts.updated += outcome.updated
        counts.unchanged += outcome.unchanged
        report.problems.extend(outcome.problems)
    if step is not None:
        step(len(checker.problems))
    return _finished(report, checker, sources)


def _finished(report: ImportReport, checker: Checker, sources: Sequence[Source]) -> ImportReport:
    for source in sources:
        report.counts[source.name].rows = checker.rows.get(source.name, 0)
    _count_bad(report)
    order = [s.name for s in sources]
    report.problems.sort(key=lambda p: (order.index(p.source), p.line))
    return report


def _count_bad(report: ImportReport) -> None:
    for counts in report.counts.values():
        counts.bad = 0
    for problem in report.problems:
        if problem.source in report.counts:
            report.counts[problem.source].bad += 1


@dataclass
class _Run:
    id: str
    by: str | None
    started: dt.datetime
    # per node source: whether its label held no node when the source began
    empty: dict[str, bool] = field(default_factory=dict)


def _write_all(
    tx: Tx,
    run: _Run,
    jobs: list[tuple[Source, list[Record]]],
    progress: Callable[[int], None] | None,
) -> list[tuple[Source, _Batch]]:
    outcomes: list[tuple[Source, _Batch]] = []
    for source, batch in jobs:
        outcome = _write_batch(tx, run, source, batch)
        if outcome.problems:
            raise _Refused(outcome.problems)
        for record in outcome.fresh:
            record.created = True
        outcomes.append((source, outcome))
        if progress is not None:
            progress(len(batch))
    return outcomes


def _commit(graph: Graph, run: _Run, source: Source, batch: list[Record]) -> _Batch:
    """Write one batch in its own transaction. When a uniqueness rule refuses it (an id or
    external id another item already has), write each half on its own, down to the record."""
    try:
        outcome = graph.write_tx(lambda tx: _write_batch(tx, run, source, batch))
    except Conflict:
        if len(batch) == 1:
            what = source.kind.value
            return _Batch(
                problems=[
                    Problem(
                        source.name,
                        batch[0].line,
                        f"its id or externalId already belongs to another item of {what} "
                        "(between other ends, or with another key); nothing written for it",
                        "externalId",
                    )
                ]
            )
        half = len(batch) // 2
        first, second = (
            _commit(graph, run, source, batch[:half]),
            _commit(graph, run, source, batch[half:]),
        )
        return _Batch(
            first.created + second.created,
            first.updated + second.updated,
            first.unchanged + second.unchanged,
            first.problems + second.problems,
        )
    for record in outcome.fresh:
        record.created = True
    return outcome


def _write_batch(tx: Tx, run: _Run, source: Source, batch: list[Record]) -> _Batch:
    kind = source.kind
    if kind is RecordKind.REPORTING_LINES:
        outcome = _write_reporting_lines(tx, source, batch)
    else:
        outcome = _upsert(tx, run, source, batch, _WRITERS[kind])
    if outcome.created or outcome.updated:
        tx.run(
            cypher.IMPORT_MARK,
            props={
                "id": f"{run.id}_{batch[0].line}",
                "run": run.id,
                "at": run.started,
                "by": run.by,
                "source": source.name,
                "kind": kind.value,
                "firstLine": batch[0].line,
                "lastLine": batch[-1].line,
                "created": outcome.created,
                "updated": outcome.updated,
            },
        )
    return outcome


def _new_props(record: Record, writer: _Writer, spec_prefix: str, now: dt.datetime) -> Any:
    props = {k: v for k, v in record.props.items() if v is not None}
    return {
        **props,
        **writer.derived(record.props),
        "id": record.id or record.given_id or f"{spec_prefix}_{uuid.uuid4().hex}",
        "createdAt": record.created_at or now,
        "updatedAt": now,
    }


def _fresh(record: Record) -> bool:
    """Whether every end of the record is a node this import created."""
    return bool(record.targets) and all(
        not isinstance(t, str) and t.created for t in record.targets
    )


def _upsert(tx: Tx, run: _Run, source: Source, batch: list[Record], writer: _Writer) -> _Batch:
    spec = SPECS[source.kind]
    now = dt.datetime.now(dt.UTC)
    node = source.kind in _NODES
    rows: list[dict[str, Any]] = []
    for record in batch:
        row: dict[str, Any] = {
            "line": record.line,
            "key": record.key,
            "byId": record.by_id,
            "props": _new_props(record, writer, spec.id_prefix, now),
        }
        if record.ends:
            row["fromId"] = record.ends[0]
            row["toId"] = record.ends[-1]
        rows.append(row)
    existing: dict[int, list[Any]] = {}
    matched: set[int] = set()
    fresh_lines: set[int] = set()
    if node and source.name not in run.empty:
        counts = tx.run(cypher.LABEL_COUNTS)[0]
        run.empty[source.name] = (
            counts["companies" if source.kind is RecordKind.COMPANIES else "people"] == 0
        )
    if node:
        fresh = rows if run.empty[source.name] else []
    else:
        fresh = [r for r, rec in zip(rows, batch, strict=True) if writer.create and _fresh(rec)]
    if fresh:
        assert writer.create is not None
        matched.update(tx.run(writer.create, rows=fresh)[0]["lines"])
        fresh_lines = {r["line"] for r in fresh}
        rows = [r for r in rows if r["line"] not in fresh_lines]
    queries: list[tuple[LiteralString, list[dict[str, Any]]]] = [
        (writer.upsert, [r for r in rows if not r["byId"]])
    ]
    if writer.upsert_by_id is not None:
        queries.append((writer.upsert_by_id, [r for r in rows if r["byId"]]))
    else:
        queries = [(writer.upsert, rows)]
    for query, part in queries:
        if part:
            result = tx.run(query, rows=part)[0]
            existing.update((int(item[0]), item) for item in result["existing"])
            matched.update(int(line) for line in result["lines"])
    outcome = _Batch()
    updates: list[tuple[Record, dict[str, Any], dict[str, Any]]] = []
    for record in batch:
        if record.line not in matched:
            outcome.problems.append(
                Problem(source.name, record.line, "a node it names was deleted meanwhile")
            )
        elif record.line not in existing:
            outcome.created += 1
            if node:
                outcome.fresh.append(record)
        else:
            item = existing[record.line]
            current = item[1]
            if node:
                record.id = str(current["id"])  # the edges that name it go to the stored node
            problem = _conflict(source, record, current, item, node)
            if problem is not None:
                outcome.problems.append(problem)
                continue
            assert writer.fields is not None
            after = changed_fields(writer.fields, current, record.props)
            if after is None:
                outcome.unchanged += 1
            else:
                updates.append((record, current, after))
    if updates:
        _update(tx, source, writer, updates, run, now)
        outcome.updated = len(updates)
    return outcome


def _conflict(
    source: Source, record: Record, current: dict[str, Any], item: list[Any], node: bool
) -> Problem | None:
    """Why an existing item cannot take this record, if it cannot."""
    if source.kind is RecordKind.DEALS and item[2] != record.ends[0]:
        return Problem(
            source.name,
            record.line,
            f"the deal '{record.key}' belongs to company '{item[2]}'; a deal cannot move to "
            "another company",
            "company",
        )
    if node or not SPECS[source.kind].pair_unique:
        return None
    if record.by_id:
        same = current.get("id") == record.key
    else:
        same = current.get("externalId") in (None, record.key)
    if same:
        return None
    key = current.get("externalId") or current.get("id")
    return Problem(
        source.name,
        record.line,
        f"these two already have a {source.kind.value.replace('_', ' ').rstrip('s')} "
        f"('{key}'); at most one joins them",
        "externalId",
    )


def _update(
    tx: Tx,
    source: Source,
    writer: _Writer,
    updates: list[tuple[Record, dict[str, Any], dict[str, Any]]],
    run: _Run,
    now: dt.datetime,
) -> None:
    """Set the changed records, recording their changes as the API's writes do."""
    sets: list[dict[str, Any]] = []
    changes: list[ChangeRecord] = []
    for record, current, after in updates:
        props = {**after, **writer.derived(after), "updatedAt": now}
        sets.append(
            {
                "id": current["id"],
                "fromId": record.ends[0] if record.ends else None,
                "toId": record.ends[-1] if record.ends else None,
                "props": props,
            }
        )
        if writer.history is not None:
            ends = (record.ends[0], record.ends[-1]) if record.ends else None
            changes.append(
                change_record(
                    writer.history, str(current["id"]), current, {**current, **props}, ends
                )
            )
    if changes:
        note = ChangeNote(by=run.by, reason=f"imported from {source.name}")
        effective = effective_time(tx, note, [c.subject_id for c in changes])
        history.record(tx, changes, effective, note)
        at_ms = to_ms(effective.at)
        for row, change in zip(sets, changes, strict=True):
            row["props"]["changedAtMs"] = at_ms
            if writer.history is SubjectKind.RELATIONSHIP and "strength" in change.changed:
                row["props"]["strengthRaw"] = row["props"]["strength"]
                row["props"]["strengthAtMs"] = at_ms
    tx.run(writer.set, rows=sets)


def _write_reporting_lines(tx: Tx, source: Source, batch: list[Record]) -> _Batch:
    stored = {p: (m, since) for p, m, since in tx.run(cypher.ALL_REPORTING_LINES)[0]["lines"]}
    outcome = _Batch()
    rows: list[dict[str, Any]] = []
    for record in batch:
        person, manager = record.ends
        since = record.props["since"]
        current = stored.get(person)
        if current is not None and current[0] == manager and _same_date(current[1], since):
            outcome.unchanged += 1
            continue
        rows.append({"line": record.line, "fromId": person, "toId": manager, "since": since})
    if rows:
        lines = set(tx.run(cypher.SET_REPORTING_LINES, rows=rows)[0]["lines"])
        for row in rows:
            if row["line"] in lines:
                outcome.updated += 1 if row["fromId"] in stored else 0
                outcome.created += 0 if row["fromId"] in stored else 1
            else:
                outcome.problems.append(
                    Problem(source.name, row["line"], "a person it names was deleted meanwhile")
                )
    return outcome


def _same_date(stored: Any, given: dt.date | None) -> bool:
    if hasattr(stored, "to_native"):
        stored = stored.to_native()
    return bool(stored == given)


def directory_sources(directory: Path) -> list[Source]:
    """The record files of a directory (`companies.csv`, `people.jsonl`, …), in import order."""
    return [
        Source(kind, path.name, partial(read_records, path, kind))
        for kind, path in find_files(directory)
    ]


MAX_API_RECORDS = 5_000


def api_sources(records: dict[RecordKind, list[Any]]) -> list[Source]:
    """Records sent through the API (decoded JSON objects, as in a .jsonl file), each kind a
    source named after it whose lines count from 1; at most MAX_API_RECORDS in all."""
    total = sum(len(values) for values in records.values())
    if total > MAX_API_RECORDS:
        raise InvalidInput(
            f"input: at most {MAX_API_RECORDS:,} records a call ({total:,} sent); import larger "
            "files with `python -m seed import`",
            field="input",
        )
    sources: list[Source] = []
    for kind in RecordKind:
        values = records.get(kind)
        if values:
            known = set(SPECS[kind].columns)
            raws = [object_record(i, value, known) for i, value in enumerate(values, start=1)]
            sources.append(Source(kind, kind.value, partial(iter, raws)))
    return sources
