"""Loading and syncing a CRM: the import into an empty and into a populated database, and the
synthetic loader, each beside the engine's bare `UNWIND … CREATE` of the same rows, per kind.

    .venv/bin/python -m benchmarks.imports [--people 100000] [--batch-size 10000] [--changed 0.1]
    .venv/bin/python -m benchmarks.imports --broken 0.01 [--people 5000] [--rounds 3]

In one process (one JVM), each in an empty embedded engine of its own (with the schema):
1. **bare**: the rows of each kind sent with plain `UNWIND $rows … CREATE`
   (graph/cypher/transfer/bulk.py `BARE_CREATE`) at the import's batch size: nothing read from
   files, checked, looked up or counted, no search key, no figure, and no index but the nodes'
   ids the edges' ends are looked up by.
2. **initial load**: `python -m seed import`'s code on the synthetic graph's record files (no
   history), into the empty database; timed per file as its last batch commits (reading and
   checking included), and the figures it counts at the end on a line of their own.
3. **incremental sync**: the same files with a share of the records of every file changed
   (seed/synthetic_files.py `change_records`), imported into the graph step 2 left: every
   record looked up by key, the unchanged left alone, the changed updated with their history.
4. **the synthetic loader**: the benchmark graph with its four years of history
   (seed/synthetic.py `load`, as `make bench` builds it), per step.
5. **bare again**: the engine warms up (JIT) over the first minutes, so the bare rate of each
   kind is the better of steps 1 and 5, and the ratios are to that.

With `--broken F`, it instead times the same files against a copy with a share F of their
records broken (seed/synthetic_files.py `break_records`: unknown references, out-of-range
strengths, bad dates, unknown enum values, duplicate keys, missing fields, malformed lines), at
the default batch size, alternating, and checks that each broken record is reported once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import BENCHMARK, DATA
from benchmarks.report import Report, Section, Target, machine, targets_section, today
from graph.cypher.transfer.bulk import BARE_CREATE
from graph.db import recorder
from graph.db.connection import Graph, open_graph
from graph.db.engine import EmbeddedEngine
from graph.db.settings import EngineSettings
from graph.db.setup import count_nodes_and_edges, delete_everything, ensure_schema, schema_lifted
from graph.transfer.importer import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    directory_sources,
    import_records,
)
from graph.transfer.records import FileFormat
from seed.synthetic import GENERATOR_VERSION, Synthetic, generate, load
from seed.synthetic_files import break_records, change_records, write_synthetic

INITIAL_RATE = 10_000  # records/s into an empty database
BARE_RATIO = 0.6  # of the bare UNWIND … CREATE rate, same rows, same run
SYNC_RATE = 5_000  # records/s into a populated database
LOAD_SECONDS = 180  # the 100,000-person graph
LOAD_PEOPLE = 100_000

# The loader's steps that are import record kinds (file names without .csv), and the columns
# naming an edge's ends in the loader's rows.
_KINDS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "COMPANIES": ("companies", None),
    "PEOPLE": ("people", None),
    "ROLES": ("roles", ("personId", "companyId")),
    "COMPANY_RELATIONSHIPS": ("company_relationships", ("fromId", "toId")),
    "REPORTING_LINES": ("reporting_lines", ("fromId", "toId")),
    "RELATIONSHIPS": ("relationships", ("fromId", "toId")),
    "REFERRALS": ("referrals", ("fromId", "toId")),
    "DEALS": ("deals", ("companyId", "companyId")),
}


def _files(people: int, data: Synthetic) -> Path:
    directory = DATA / f"records-{people}-seed-7-v{GENERATOR_VERSION}"
    if not (directory / "deals.csv").exists():
        write_synthetic(data, directory, FileFormat.CSV)
    return directory


@contextmanager
def _scratch_graph(name: str = "import-scratch") -> Iterator[Graph]:
    """An empty embedded engine of its own (with the schema), removed afterwards."""
    scratch = DATA / name
    shutil.rmtree(scratch, ignore_errors=True)
    engine = EmbeddedEngine(scratch, database="guanxi", heap="4g")
    endpoint = engine.start()
    try:
        with open_graph(
            endpoint.neo4j_settings(), EngineSettings(data_dir=scratch / "unused")
        ) as graph:
            ensure_schema(graph)
            with recorder.recording_as(BENCHMARK):  # what the imports record
                yield graph
    finally:
        engine.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _bare_rows(step: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ends = _KINDS[step][1]
    if ends is None:
        return [{"props": row} for row in rows]
    if step == "REPORTING_LINES":
        return rows
    return [{"props": row["props"], "fromId": row[ends[0]], "toId": row[ends[1]]} for row in rows]


def bare(graph: Graph, data: Synthetic, batch_size: int) -> dict[str, tuple[int, float]]:
    """(rows, seconds) per record kind of the bare loop over the loader's rows, with no more
    indexes than the look-ups of the edges' ends need (the engine at its best: the rules a
    first load lifts are lifted, and building them again is not counted)."""
    done: dict[str, tuple[int, float]] = {}
    with schema_lifted(graph):
        for step, rows in data.steps():
            if step not in _KINDS or not rows:
                continue
            kind = _KINDS[step][0]
            sent = _bare_rows(step, rows)
            started = time.perf_counter()
            for start in range(0, len(sent), batch_size):
                graph.write(BARE_CREATE[kind], rows=sent[start : start + batch_size])
            done[kind] = (len(sent), time.perf_counter() - started)
            print(f"    {kind}: {len(sent) / done[kind][1]:,.0f} rows/s", flush=True)
    return done


@dataclass
class Timed:
    """An import's report and the seconds of each of its sources (and of the figures)."""

    report: ImportReport
    seconds: dict[str, float] = field(default_factory=dict[str, float])
    total: float = 0.0


def timed_import(graph: Graph, directory: Path, batch_size: int) -> Timed:
    """Import the files of `directory`, timing each file from the end of the one before."""
    ends: dict[str, float] = {}

    def heard(phase: str, source: str, n: int) -> None:
        if phase == "written":
            ends[source] = time.perf_counter()

    started = time.perf_counter()
    report = import_records(
        graph, directory_sources(directory), batch_size=batch_size, progress=heard, bulk=True
    )
    total = time.perf_counter() - started
    assert not report.problems, report.problems[:3]
    timed = Timed(report, total=total)
    previous = started
    for source, end in sorted(ends.items(), key=lambda item: item[1]):
        timed.seconds[source.removesuffix(".csv")] = end - previous
        previous = end
    return timed


def _per_kind(timed: Timed) -> str:
    return ", ".join(f"{kind} {seconds:.0f}" for kind, seconds in timed.seconds.items())


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "-"


def measure(
    people: int, batch_size: int = DEFAULT_BATCH_SIZE, changed: float = 0.1
) -> tuple[list[Section], list[Target]]:
    """The five steps of the module's docstring, at `people` people."""
    print(f"  generating {people:,} people (records, no history) ...", flush=True)
    data = generate(people, 7, history=False)
    directory = _files(people, data)
    synced = DATA / f"records-{people}-synced"
    shutil.rmtree(synced, ignore_errors=True)
    shutil.copytree(directory, synced)
    changed_count = change_records(synced, changed)

    bare_runs: list[dict[str, tuple[int, float]]] = []
    with _scratch_graph() as graph:
        print("  bare UNWIND … CREATE ...", flush=True)
        bare_runs.append(bare(graph, data, batch_size))
    with _scratch_graph() as graph:
        print("  initial load (python -m seed import's code) ...", flush=True)
        initial = timed_import(graph, directory, batch_size)
        print(f"    {initial.total:.0f} s: {_per_kind(initial)}", flush=True)
        nodes, edges = count_nodes_and_edges(graph)
        print(f"  incremental sync ({changed_count:,} records changed) ...", flush=True)
        sync = timed_import(graph, synced, batch_size)
        print(f"    {sync.total:.0f} s: {_per_kind(sync)}", flush=True)
    shutil.rmtree(synced, ignore_errors=True)
    print(f"  the synthetic loader, {people:,} people with history ...", flush=True)
    loaded = generate(people, 7, history=True)
    timings: dict[str, float] = {}
    with _scratch_graph() as graph:
        started = time.perf_counter()
        load(graph, loaded, timings=timings)
        load_seconds = time.perf_counter() - started
    print(f"    {load_seconds:.0f} s: " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    load_rows = loaded.row_count()
    load_counts = {step: len(rows) for step, rows in loaded.steps()}
    del loaded
    with _scratch_graph() as graph:
        print("  bare UNWIND … CREATE again ...", flush=True)
        bare_runs.append(bare(graph, data, batch_size))

    bare_best = {
        kind: (rows, min(run[kind][1] for run in bare_runs))
        for kind, (rows, _) in bare_runs[0].items()
    }
    section = Section(
        title="Loading and syncing",
        intro=(
            f"The synthetic graph at {people:,} people as record files (no history: "
            f"{initial.report.written:,} records), imported with `python -m seed import`'s code "
            f"at batch size {batch_size:,} into an empty database (initial load), then again "
            f"with {changed_count:,} of the records changed ({changed:.0%} of each file) into "
            "the graph it made (incremental sync), beside a bare `UNWIND $rows … CREATE` "
            "of the same rows per kind (the better of two runs, one before and one after)."
        ),
        columns=[
            "kind",
            "records",
            "initial load rows/s",
            "bare UNWIND rows/s",
            "ratio",
            "incremental rows/s",
        ],
    )
    total_rows = total_bare = 0.0
    for kind, (rows, bare_s) in bare_best.items():
        import_s = initial.seconds.get(kind, 0.0)
        total_rows += rows
        total_bare += bare_s
        section.rows.append(
            [
                kind,
                f"{rows:,}",
                _rate(rows, import_s),
                _rate(rows, bare_s),
                f"{bare_s / import_s:.2f}" if import_s else "-",
                _rate(rows, sync.seconds.get(kind, 0.0)),
            ]
        )
    figures_s = initial.seconds.get("figures", 0.0)
    initial_rate = initial.report.written / initial.total
    bare_rate = total_rows / total_bare
    sync_records = sum(c.rows for c in sync.report.counts.values())
    sync_rate = sync_records / sync.total
    section.rows.append(
        [
            "**all** (figures included)",
            f"{initial.report.written:,}",
            f"**{initial_rate:,.0f}**",
            f"{bare_rate:,.0f}",
            f"**{initial_rate / bare_rate:.2f}**",
            f"**{sync_rate:,.0f}**",
        ]
    )
    section.notes.append(
        f"Initial load: {initial.total:.1f} s for {nodes:,} nodes and {edges:,} edges, of "
        f"which {figures_s:.1f} s counting the stored figures of every company and person at "
        f"the end; the bare loop {total_bare:.1f} s (it writes no search key and counts no "
        "figure)."
    )
    section.notes.append(
        "Where the time goes, and what a load does about each part (the driver's packing of "
        "instants, the edges' uniqueness rules, the figures, checking, look-ups, history, "
        'batch size, heap): docs/ARCHITECTURE.md, "Loading".'
    )
    updated = sum(c.updated for c in sync.report.counts.values())
    unchanged = sum(c.unchanged for c in sync.report.counts.values())
    section.notes.append(
        f"Incremental sync: {sync.total:.1f} s for {sync_records:,} records: {updated:,} "
        f"updated (with their history), {unchanged:,} found unchanged."
    )
    section.notes.append(
        f"The synthetic loader, {people:,} people with four "
        f"years of history: {load_rows:,} rows in {load_seconds:.0f} s "
        f"({load_rows / load_seconds:,.0f} rows/s); per step: "
        + ", ".join(
            f"{step.lower()} {s:.0f} s"
            + (f" ({load_counts[step] / s:,.0f}/s)" if load_counts.get(step) and s else "")
            for step, s in timings.items()
        )
        + "."
    )
    targets = [
        Target(
            name=f"initial load at least {INITIAL_RATE:,} records/s",
            measured=f"{initial_rate:,.0f} records/s",
            met=initial_rate >= INITIAL_RATE,
            note=f"the engine's bare loop of the same rows: {bare_rate:,.0f} records/s",
        ),
        Target(
            name=f"initial load at least {BARE_RATIO}x the bare UNWIND … CREATE rate",
            measured=f"{initial_rate / bare_rate:.2f}x",
            met=initial_rate / bare_rate >= BARE_RATIO,
            note=f"{initial.total - total_bare:.0f} s more than bare, of which {figures_s:.0f} s "
            "figures; the rest: search keys (people), checking, marks, rebuilt rules",
        ),
        Target(
            name=f"incremental sync at least {SYNC_RATE:,} records/s",
            measured=f"{sync_rate:,.0f} records/s",
            met=sync_rate >= SYNC_RATE,
            note="every record looked up by key; the changed locked, read again and updated "
            "with their history",
        ),
        Target(
            name=f"the {LOAD_PEOPLE:,}-person graph loads in under {LOAD_SECONDS // 60} minutes",
            measured=f"{load_seconds:.0f} s ({load_rows:,} rows)"
            + ("" if people == LOAD_PEOPLE else f" at {people:,} people: not the target's scale"),
            met=load_seconds < LOAD_SECONDS if people == LOAD_PEOPLE else None,
            note=f"the bare loop alone takes {total_bare:.0f} s for the records without history",
        ),
    ]
    return [section], targets


def measure_broken(people: int, fraction: float, rounds: int) -> None:
    """Print the import rate of the clean files against the same files with `fraction` of
    their records broken, each into an empty database, alternating."""
    data = generate(people, 7, history=False)
    clean = _files(people, data)
    damaged = DATA / f"records-{people}-broken-{fraction}"
    shutil.rmtree(damaged, ignore_errors=True)
    shutil.copytree(clean, damaged)
    broken = break_records(damaged, fraction, seed=7)
    expected = sorted((b.file, b.line) for b in broken)
    rows = data.row_count()
    seconds: dict[str, list[float]] = {"clean": [], "broken": []}
    try:
        with _scratch_graph() as graph:
            for turn in range(rounds):
                for variant in ("clean", "broken") if turn % 2 == 0 else ("broken", "clean"):
                    delete_everything(graph)
                    started = time.perf_counter()
                    report = import_records(
                        graph, directory_sources(clean if variant == "clean" else damaged)
                    )
                    seconds[variant].append(time.perf_counter() - started)
                    found = sorted((p.source, p.line) for p in report.problems)
                    assert found == ([] if variant == "clean" else expected), found[:5]
                    print(
                        f"  {variant}: {rows / seconds[variant][-1]:,.0f} rows/s, "
                        f"{len(report.problems)} reported, {report.written:,} written",
                        flush=True,
                    )
    finally:
        shutil.rmtree(damaged, ignore_errors=True)
    clean_s, broken_s = (statistics.median(seconds[v]) for v in ("clean", "broken"))
    print(
        f"\nImport with {fraction:.1%} broken records ({len(broken):,} of {rows:,}, "
        f"{people:,} people, batch size {DEFAULT_BATCH_SIZE:,}, median of {rounds}): "
        f"clean {clean_s:.1f} s ({rows / clean_s:,.0f} rows/s), broken {broken_s:.1f} s "
        f"({rows / broken_s:,.0f} rows/s), ratio {broken_s / clean_s:.2f}; every broken record "
        "reported once at its file and line"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=LOAD_PEOPLE)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--changed", type=float, default=0.1, help="share of records changed")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--broken", type=float, help="time clean files against this share broken")
    parser.add_argument("--output", help="also write the report here (Markdown)")
    args = parser.parse_args()
    if args.broken is not None:
        measure_broken(args.people, args.broken, max(args.rounds, 1))
        return
    load_before = os.getloadavg()[0]
    sections, targets = measure(args.people, args.batch_size, args.changed)
    report = Report(
        title="Loading and syncing",
        command=" ".join([".venv/bin/python -m benchmarks.imports", *sys.argv[1:]]),
        facts=[
            ("machine", machine()),
            ("date", today()),
            ("load", f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"),
        ],
        sections=[*sections, targets_section(targets)],
    )
    print(report.text())
    if args.output:
        Path(args.output).write_text(report.markdown())


if __name__ == "__main__":
    main()
