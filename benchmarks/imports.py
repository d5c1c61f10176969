"""Import rate: `python -m seed import`'s code against a bare UNWIND loop over the same rows,
for batch sizes from 1,000 to 50,000, interleaved in one run.

    .venv/bin/python -m benchmarks.imports [--people 5000] [--sizes 1000,5000,10000,20000,50000]
    .venv/bin/python -m benchmarks.imports --broken 0.01 [--people 5000] [--rounds 3]

The synthetic graph (no history) is written once as CSV record files in benchmarks/data/. For
each batch size, an empty database takes (a) the import: read the files, check every record,
resolve references, upsert in batches, and (b) the bare loop: the same items, already in
memory, sent with plain `UNWIND $rows … CREATE` statements
(graph/cypher/transfer/bulk.py) at the same batch size, with nothing checked. Which goes
first alternates.

With `--broken F`, it instead times the same files against a copy with a share F of their
records broken (seed/synthetic_files.py `break_records`: unknown references, out-of-range
strengths, bad dates, unknown enum values, duplicate keys, missing fields, malformed lines), at
the default batch size, alternating, and checks that each broken record is reported once.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.harness import DATA
from benchmarks.report import Section, Target
from graph.db.connection import Graph, open_graph
from graph.db.engine import EmbeddedEngine
from graph.db.settings import EngineSettings
from graph.db.setup import count_nodes_and_edges, delete_everything, ensure_schema
from graph.transfer.import_check import Checker
from graph.transfer.importer import DEFAULT_BATCH_SIZE, directory_sources, import_records
from graph.transfer.records import FileFormat
from seed.synthetic import GENERATOR_VERSION, Synthetic, generate, load
from seed.synthetic_files import break_records, write_synthetic

SIZES = [1_000, 5_000, 10_000, 20_000, 50_000]
IMPORT_TARGET = 0.9


def _files(people: int, data: Synthetic) -> Path:
    directory = DATA / f"records-{people}-seed-7-v{GENERATOR_VERSION}"
    if not (directory / "deals.csv").exists():
        write_synthetic(data, directory, FileFormat.CSV)
    return directory


def _import(graph: Graph, directory: Path, size: int) -> float:
    started = time.perf_counter()
    report = import_records(graph, directory_sources(directory), batch_size=size)
    seconds = time.perf_counter() - started
    assert not report.problems, report.problems[:3]
    return seconds


def _check_only(graph: Graph, directory: Path, size: int) -> float:
    """Read and check every record (the import's Python side) into an empty database,
    writing nothing: records named by later files resolve to the checker's pending ones."""
    started = time.perf_counter()
    checker = Checker(graph)
    for source in directory_sources(directory):
        for _ in checker.batches(source, size):
            pass
    seconds = time.perf_counter() - started
    assert not checker.problems, checker.problems[:3]
    return seconds


def _bare(graph: Graph, data: Synthetic, size: int) -> float:
    started = time.perf_counter()
    load(graph, data, batch_size=size)
    return time.perf_counter() - started


@contextmanager
def _scratch_graph() -> Iterator[Graph]:
    """An empty embedded engine of its own (with the schema), removed afterwards."""
    scratch = DATA / "import-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    engine = EmbeddedEngine(scratch, database="guanxi", heap="4g")
    endpoint = engine.start()
    try:
        with open_graph(
            endpoint.neo4j_settings(), EngineSettings(data_dir=scratch / "unused")
        ) as graph:
            ensure_schema(graph)
            yield graph
    finally:
        engine.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def measure(people: int, sizes: list[int], rounds: int = 1) -> tuple[Section, list[Target]]:
    """Rows per second of both, per batch size, in a scratch engine of its own."""
    data = generate(people, 7, history=False)
    directory = _files(people, data)
    rows = data.row_count()
    seconds: dict[tuple[int, str], list[float]] = {}
    checking: list[float] = []
    sizes_seen: tuple[int, int] | None = None
    with _scratch_graph() as graph:
        turn = 0
        for _ in range(rounds):
            delete_everything(graph)
            checking.append(_check_only(graph, directory, DEFAULT_BATCH_SIZE))
            print(f"  checking alone: {rows / checking[-1]:,.0f} rows/s", flush=True)
            for size in sizes:
                order = ["import", "bare"] if turn % 2 == 0 else ["bare", "import"]
                turn += 1
                for variant in order:
                    delete_everything(graph)
                    if variant == "import":
                        took = _import(graph, directory, size)
                    else:
                        took = _bare(graph, data, size)
                    found = count_nodes_and_edges(graph)
                    assert sizes_seen in (None, found), (sizes_seen, found)
                    sizes_seen = found
                    seconds.setdefault((size, variant), []).append(took)
                    print(f"  batch {size:,} {variant}: {rows / took:,.0f} rows/s", flush=True)
    section = Section(
        title="Import rate",
        intro=(
            f"The synthetic graph at {people:,} people as record files ({rows:,} records), "
            "imported into an empty database with `python -m seed import`'s code (read, "
            "check, resolve references, upsert), against a bare loop sending the same items "
            "from memory with plain `UNWIND $rows … CREATE` statements at the same batch size."
        ),
        columns=[
            "batch size",
            "import rows/s",
            "bare UNWIND rows/s",
            "ratio",
            "import s",
            "bare s",
        ],
    )
    ratios = {}
    for size in sizes:
        tool = rows / statistics.median(seconds[(size, "import")])
        bare = rows / statistics.median(seconds[(size, "bare")])
        ratios[size] = tool / bare
        section.rows.append(
            [
                f"{size:,}",
                f"{tool:,.0f}",
                f"{bare:,.0f}",
                f"{ratios[size]:.2f}",
                f"{statistics.median(seconds[(size, 'import')]):.1f}",
                f"{statistics.median(seconds[(size, 'bare')]):.1f}",
            ]
        )
    best = max(sizes, key=lambda s: rows / statistics.median(seconds[(s, "import")]))
    section.notes.append(
        f"Fastest import at batch size {best:,}; the default is {DEFAULT_BATCH_SIZE:,}."
    )
    check_seconds = statistics.median(checking)
    section.notes.append(
        f"Reading and checking alone (no writes, {rows:,} records): {check_seconds:.1f} s, "
        f"{check_seconds * 1e6 / rows:.0f} µs a record, {rows / check_seconds:,.0f} rows/s."
    )
    chosen = DEFAULT_BATCH_SIZE if DEFAULT_BATCH_SIZE in ratios else best
    met = ratios[chosen] >= IMPORT_TARGET
    import_s = statistics.median(seconds[(chosen, "import")])
    bare_s = statistics.median(seconds[(chosen, "bare")])
    target = Target(
        name=f"import at least {IMPORT_TARGET}x the bare UNWIND rate at the same batch size",
        measured=f"{ratios[chosen]:.2f}x at batch size {chosen:,}",
        met=met,
        note=""
        if met
        else (
            f"{IMPORT_TARGET - ratios[chosen]:.2f} under: {import_s:.1f} s against "
            f"{bare_s:.1f} s. Reading the files and checking each record in Python (types, "
            "ranges, enums and dates by the API's own pydantic models, duplicate keys, "
            f"references) takes {check_seconds:.1f} s of it on one core, "
            f"{check_seconds * 1e6 / rows:.0f} µs a record; the bare loop checks nothing and "
            "CREATEs items already in memory, where the import upserts by external id, keeps "
            "history and marks each batch. The writes alone then come to about "
            f"{import_s - check_seconds:.1f} s against the bare {bare_s:.1f} s"
        ),
    )
    return section, [target]


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
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--broken", type=float, help="time clean files against this share broken")
    args = parser.parse_args()
    if args.broken is not None:
        measure_broken(args.people, args.broken, max(args.rounds, 1))
        return
    section, targets = measure(args.people, [int(s) for s in args.sizes.split(",")], args.rounds)
    print(f"\n{section.title}\n{section.intro}")
    print(" | ".join(section.columns))
    for row in section.rows:
        print(" | ".join(row))
    for note in section.notes:
        print(f"- {note}")
    for target in targets:
        print(f"target: {target.name}: {target.measured} ({target.verdict})")


if __name__ == "__main__":
    main()
