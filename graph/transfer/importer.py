"""Bulk import of records (graph/transfer/records.py): upsert by key, in batches, with a report.

`import_records` checks every record first (graph/transfer/import_check.py), then writes the good
ones in batches of `batch_size`, each batch one transaction and one upsert statement (plus
one for the records that changed). A record that already exists and is the same is left
alone; one that changed is updated, and its change recorded in the history as the API's
writes record theirs. The default writes every good record and reports the bad ones; `strict`
refuses the whole import when any record is bad, and then writes in one transaction, so a
problem found while writing rolls everything back.

A bulk import (the command line with an engine of its own: no one else writes meanwhile)
into a database that holds no company and no person is a first load: the stored figures
(graph/core/figures.py) are counted once at the end instead of per batch (a batch of ties
changes the figures of nearly every company: recounted per batch, a 100,000-person CRM took
20 minutes), and the edges' uniqueness rules are lifted while it writes. Should it stop
before the end, the next start of the app (or any `python -m seed` command) counts the
figures and builds the rules (`prepare`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, LiteralString, TypeVar

from graph.core import figures
from graph.core.events import Imported
from graph.core.history import ChangeNote
from graph.core.kinds import EdgeKind, NodeKind
from graph.core.writes import New, Update, changed_fields, create_in, new_props, update_in
from graph.cypher.transfer import records as cypher
from graph.db import recorder
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput
from graph.db.setup import schema_lifted
from graph.deals.deals import ID_PREFIX as DEAL_ID_PREFIX
from graph.deals.deals import DealFields
from graph.keypersons.maps import line_props, record_line_changes
from graph.transfer.import_check import Checker, Problem, Record, Source
from graph.transfer.records import SPECS, RecordKind, find_files, object_record, read_records

T = TypeVar("T")

# From the batch-size sweeps in BENCHMARKS.md: 10,000 ran within 4-8% of the fastest size
# (50,000 in one run, 20,000 in the next) with a smaller transaction, and 14-20% faster than
# 5,000.
DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 50_000


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
    progress: Callable[[str, str, int], None] | None = None,
    bulk: bool = False,
) -> ImportReport:
    """Import the sources in order (companies and people before the edges that name them).

    `bulk`: no one else writes to the database meanwhile (the command line with an engine of
    its own). Then, into an empty database, the edges' uniqueness rules and the search keys'
    index are lifted while it writes (graph/db/setup.py `schema_lifted`), and the stored
    figures are counted once at the end instead of per batch.

    `progress(phase, source, n)` hears of the records of a source checked (phase "checked")
    and then written or found bad (phase "written"), as they go, and of the items whose figures
    an initial load counts at its end (phase "written", source "figures").
    """
    batch_size = max(1, min(batch_size, MAX_BATCH_SIZE))
    checker = Checker(graph, None if progress is None else partial(progress, "checked"))
    step = None if progress is None else partial(progress, "written")
    report = ImportReport({s.name: SourceCounts(s.kind) for s in sources}, strict=strict)
    counts = graph.read(cypher.LABEL_COUNTS)[0]
    initial = bulk and counts["people"] == 0 and counts["companies"] == 0
    run = _Run(f"im_{uuid.uuid4().hex}", by, dt.datetime.now(dt.UTC), initial)
    with schema_lifted(graph) if initial else nullcontext():
        return _import(graph, sources, checker, step, report, run, strict, batch_size)


def _import(
    graph: Graph,
    sources: Sequence[Source],
    checker: Checker,
    step: Callable[[str, int], None] | None,
    report: ImportReport,
    run: _Run,
    strict: bool,
    batch_size: int,
) -> ImportReport:
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
        outcomes = []
        for source, batch in _ahead(jobs):
            outcomes.append((source, _commit(graph, run, source, batch)))
            if step is not None:
                step(source.name, len(batch))
        report.problems.extend(checker.problems)
    for source, outcome in outcomes:
        tally = report.counts[source.name]
        tally.created += outcome.created
        tally.updated += outcome.updated
        tally.unchanged += outcome.unchanged
        report.problems.extend(outcome.problems)
    if step is not None:
        for problem in checker.problems:
            step(problem.source, 1)
    if run.initial and report.written:
        figures.backfill_figures(graph, None if step is None else partial(step, "figures"))
    return _finished(report, checker, sources)


def _ahead(jobs: Iterator[T]) -> Iterator[T]:
    """`jobs`, each made in a thread while the caller works on the one before: the next
    batch is read and checked (Python) while the database writes this one (the driver waits
    on its socket without the interpreter lock). Never two at once: the generator moves on
    only after its last item was taken."""
    context = contextvars.copy_context()  # the caller's request deadline holds there too

    def take() -> T | None:
        return context.run(next, jobs, None)

    with ThreadPoolExecutor(1, thread_name_prefix="import-check") as pool:
        coming = pool.submit(take)
        while (job := coming.result()) is not None:
            coming = pool.submit(take)
            yield job


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
    # the database held no company and no person: figures are counted once, at the end
    initial: bool = False
    # per node source: whether its label held no node when the source began
    empty: dict[str, bool] = field(default_factory=dict)


def _write_all(
    tx: Tx,
    run: _Run,
    jobs: list[tuple[Source, list[Record]]],
    progress: Callable[[str, int], None] | None,
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
            progress(source.name, len(batch))
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
    item = SPECS[source.kind].item
    if item is not None:
        outcome = _write_items(tx, run, source, batch, item)
    elif source.kind is RecordKind.DEALS:
        outcome = _write_deals(tx, run, source, batch)
    else:
        outcome = _write_reporting_lines(tx, run, source, batch)
    if outcome.created or outcome.updated:
        tx.publish(Imported(run.id, outcome.created + outcome.updated))
        tx.run(
            cypher.IMPORT_MARK,
            props={
                "id": f"{run.id}_{batch[0].line}",
                "run": run.id,
                "at": run.started,
                "by": run.by,
                "credential": recorder.current(),
                "source": source.name,
                "kind": source.kind.value,
                "firstLine": batch[0].line,
                "lastLine": batch[-1].line,
                "created": outcome.created,
                "updated": outcome.updated,
            },
        )
    return outcome


def _fresh(record: Record) -> bool:
    """Whether every end of the record is a node this import created."""
    return bool(record.targets) and all(
        not isinstance(t, str) and t.created for t in record.targets
    )


def _ends(record: Record) -> tuple[str, str] | None:
    return (record.ends[0], record.ends[-1]) if record.ends else None


def _key_rows(batch: Sequence[Record]) -> list[dict[str, Any]]:
    return [
        {"line": r.line, "key": r.key, "byId": r.by_id, "fromId": ends[0], "toId": ends[1]}
        if (ends := _ends(r))
        else {"line": r.line, "key": r.key, "byId": r.by_id}
        for r in batch
    ]


def _by_key(
    rows: list[dict[str, Any]], by_external_id: LiteralString, by_id: LiteralString
) -> list[tuple[LiteralString, list[dict[str, Any]]]]:
    """The rows keyed by external id for one statement, those keyed by Guanxi id for the other."""
    return [
        (by_external_id, [r for r in rows if not r["byId"]]),
        (by_id, [r for r in rows if r["byId"]]),
    ]


def _existing(
    tx: Tx, queries: list[tuple[LiteralString, list[dict[str, Any]]]], **params: Any
) -> tuple[dict[int, list[Any]], set[int]]:
    """What look-ups that answer `existing` and `lines` found: the stored items (by line) and
    the lines whose ends exist."""
    existing: dict[int, list[Any]] = {}
    lines: set[int] = set()
    for query, part in queries:
        if part:
            result = tx.run(query, rows=part, **params)[0]
            existing.update((int(item[0]), item) for item in result["existing"])
            lines.update(int(line) for line in result["lines"])
    return existing, lines


def _find(
    tx: Tx, kind: NodeKind[Any, Any] | EdgeKind[Any, Any], batch: Sequence[Record], *, lock: bool
) -> tuple[dict[int, list[Any]], set[int]]:
    """The stored items the records name (by line), locked if `lock`, and the lines whose
    ends exist."""
    rows = _key_rows(batch)
    if isinstance(kind, NodeKind):
        statements = kind.statements
        queries = _by_key(rows, statements.find_by_external_id, statements.find_by_id)
        return _existing(tx, queries, lock=lock)
    return _existing(tx, [(kind.statements.find, rows)], lock=lock)


def _write_items(
    tx: Tx,
    run: _Run,
    source: Source,
    batch: list[Record],
    kind: NodeKind[Any, Any] | EdgeKind[Any, Any],
) -> _Batch:
    """Create the records' items that do not exist and update those that changed, through the
    same write path as the API's (graph/core/writes.py); creations are not recorded in the
    history, changes are."""
    now = dt.datetime.now(dt.UTC)
    node = isinstance(kind, NodeKind)
    new = {
        r.line: New(
            new_props(kind, r.props, id_=r.id or r.given_id, created_at=r.created_at, now=now),
            _ends(r),
            r.line,
        )
        for r in batch
    }
    if node and source.name not in run.empty:
        counts = tx.run(cypher.LABEL_COUNTS)[0]
        run.empty[source.name] = (
            counts["companies" if source.kind is RecordKind.COMPANIES else "people"] == 0
        )
    # nodes of a label that had none, and edges between nodes this import created, cannot
    # exist yet: those are created without looking for them first
    fresh = [r for r in batch if (run.empty[source.name] if node else _fresh(r))]
    counted = not run.initial
    created = create_in(
        tx, kind, [new[r.line] for r in fresh], None, recorded=False, count_figures=counted
    )
    fresh_lines = {r.line for r in fresh}
    existing, found = _find(tx, kind, [r for r in batch if r.line not in fresh_lines], lock=False)
    missing = [r for r in batch if r.line in found and r.line not in existing]
    created |= create_in(
        tx, kind, [new[r.line] for r in missing], None, recorded=False, count_figures=counted
    )
    outcome = _Batch()
    changed: list[Record] = []
    for record in batch:
        if record.line in created:
            outcome.created += 1
            if node:
                outcome.fresh.append(record)
        elif record.line not in existing:
            outcome.problems.append(
                Problem(source.name, record.line, "a node it names was deleted meanwhile")
            )
        else:
            current = existing[record.line][1]
            if node:
                record.id = str(current["id"])  # the edges that name it go to the stored node
            problem = _conflict(source, record, current)
            if problem is not None:
                outcome.problems.append(problem)
            elif changed_fields(kind.fields, current, record.props) is None:
                outcome.unchanged += 1
            else:
                changed.append(record)
    # what changed is read again under the write lock, and compared again
    locked, _ = _find(tx, kind, changed, lock=True)
    updates: list[Update] = []
    for record in changed:
        current = locked[record.line][1] if record.line in locked else None
        problem = None if current is None else _conflict(source, record, current)
        if current is None:
            outcome.problems.append(
                Problem(source.name, record.line, "its item was deleted or re-keyed meanwhile")
            )
        elif problem is not None:
            outcome.problems.append(problem)
        elif (after := changed_fields(kind.fields, current, record.props)) is None:
            outcome.unchanged += 1
        else:
            updates.append(Update(current, after, _ends(record)))
    if updates:
        note = ChangeNote(by=run.by, reason=f"imported from {source.name}")
        update_in(tx, kind, updates, note, now=now)
        outcome.updated = len(updates)
    return outcome


def _conflict(source: Source, record: Record, current: dict[str, Any]) -> Problem | None:
    """Why the stored edge joining a pair cannot take this record, if it cannot (a kind with
    at most one edge per pair, found whatever its key)."""
    if not SPECS[source.kind].pair_unique:
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


def _write_deals(tx: Tx, run: _Run, source: Source, batch: list[Record]) -> _Batch:
    """Deals (graph/deals/): created or updated by key; a deal cannot move to another company."""
    now = dt.datetime.now(dt.UTC)
    credential = recorder.current()
    rows: dict[int, dict[str, Any]] = {}
    for record in batch:
        props = {k: v for k, v in record.props.items() if v is not None}
        rows[record.line] = {
            **_key_rows([record])[0],
            "props": {
                **props,
                "id": record.id or record.given_id or f"{DEAL_ID_PREFIX}_{uuid.uuid4().hex}",
                "createdAt": record.created_at or now,
                "updatedAt": now,
                "credential": credential,
            },
        }
    fresh = [rows[r.line] for r in batch if _fresh(r)]
    created: set[int] = set()
    if fresh:
        created.update(int(line) for line in tx.run(cypher.CREATE_DEALS, rows=fresh)[0]["lines"])
    rest = [row for row in rows.values() if row["line"] not in {f["line"] for f in fresh}]
    queries = _by_key(rest, cypher.UPSERT_DEALS_BY_EXTERNAL_ID, cypher.UPSERT_DEALS_BY_ID)
    existing, found = _existing(tx, queries)
    found |= created
    outcome = _Batch()
    sets: list[dict[str, Any]] = []
    for record in batch:
        if record.line not in found:
            outcome.problems.append(
                Problem(source.name, record.line, "a node it names was deleted meanwhile")
            )
        elif record.line not in existing:
            outcome.created += 1
        elif existing[record.line][2] != record.ends[0]:
            outcome.problems.append(
                Problem(
                    source.name,
                    record.line,
                    f"the deal '{record.key}' belongs to company '{existing[record.line][2]}'; "
                    "a deal cannot move to another company",
                    "company",
                )
            )
        else:
            current = existing[record.line][1]
            after = changed_fields(DealFields, current, record.props)
            if after is None:
                outcome.unchanged += 1
            else:
                stamp = {"updatedAt": now, "credential": credential}
                sets.append({"id": current["id"], "props": {**after, **stamp}})
    if sets:
        tx.run(cypher.SET_DEALS, rows=sets)
        outcome.updated = len(sets)
    return outcome


def _write_reporting_lines(tx: Tx, run: _Run, source: Source, batch: list[Record]) -> _Batch:
    """Set the batch's lines; a line that replaces a stored one is recorded in the change log
    (as the other kinds' updates are; a new line, like a new item, is not recorded one by
    one: without history it stands from its `since` day, graph/keypersons/maps.py)."""
    # the batch's people's lines only (reading every stored line per batch took 35 s of a
    # 100,000-person first load, and longer in a sync)
    people = [record.ends[0] for record in batch]
    lines = tx.run(cypher.REPORTING_LINES_OF, ids=people)[0]["lines"]
    stored = {p: (m, since) for p, m, since in lines}
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
    replaced: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
    if rows:
        lines = set(tx.run(cypher.SET_REPORTING_LINES, rows=rows)[0]["lines"])
        for row in rows:
            if row["line"] in lines:
                person = row["fromId"]
                outcome.updated += 1 if person in stored else 0
                outcome.created += 0 if person in stored else 1
                if person in stored:
                    manager, since = stored[person]
                    before = line_props(manager, since)
                    replaced.append(
                        (person, before, {"managerId": row["toId"], "since": row["since"]})
                    )
            else:
                outcome.problems.append(
                    Problem(source.name, row["line"], "a person it names was deleted meanwhile")
                )
    if replaced:
        note = ChangeNote(by=run.by, reason=f"imported from {source.name}")
        record_line_changes(tx, replaced, note)
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
