"""Bad records at scale: a synthetic import of a few thousand records with 1% of them broken
in every way the format can be broken, into a graph that already holds the demo data.

Every good record is written as its file says, every bad one is reported once with its file,
line and reason, and nothing that was stored before changes; `strict` writes nothing at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.db.connection import Graph
from graph.transfer.exporter import ExportFormat, export_to_directory, whole_graph
from graph.transfer.importer import directory_sources, import_records
from graph.transfer.records import FileFormat
from seed.demo import load_demo
from seed.synthetic import generate
from seed.synthetic_files import break_records, write_synthetic
from tests.snapshot import snapshot

pytestmark = pytest.mark.slow

PEOPLE = 400  # about 5,400 records
# the bookkeeping an import adds by design: one mark per committed batch
BOOKKEEPING = frozenset({"Import", "FeedHead", "FeedEntry"})  # import marks, the change feed


def _key(name: str, row: dict[str, str]) -> str:
    return row["person"] if name == "reporting_lines.csv" else row["id"]


def _records(
    directory: Path, skip: frozenset[tuple[str, int]] = frozenset()
) -> dict[str, dict[str, dict[str, str]]]:
    """The records of every CSV file of `directory` by file and key, but the lines in `skip`."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            found[path.name] = {
                _key(path.name, row): row
                for line, row in enumerate(reader, start=2)
                if (path.name, line) not in skip
            }
    return found


def _value(text: str | None) -> Any:
    """A cell as a comparable value: numbers by value, times by instant, else the text."""
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return text.lower() if text in ("True", "False") else text
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # no zone: UTC, as imports read it


def test_one_percent_bad_records_are_reported_once_and_nothing_else_changes(
    graph: Graph, tmp_path: Path
) -> None:
    load_demo(graph)
    files = tmp_path / "import"
    write_synthetic(generate(PEOPLE, seed=11, history=False), files, FileFormat.CSV)
    broken = break_records(files, 0.01, seed=11)
    expected = sorted((b.file, b.line) for b in broken)
    good = _records(files, skip=frozenset(expected))
    rows = sum(len(records) for records in good.values()) + len(broken)
    before = snapshot(graph)  # a refused import leaves it whole, its feed included
    kept = snapshot(graph, ignored=BOOKKEEPING)
    export_to_directory(graph, whole_graph(graph), ExportFormat.CSV, tmp_path / "before")
    stored = _records(tmp_path / "before")

    strict = import_records(graph, directory_sources(files), strict=True)
    assert strict.refused and strict.written == 0
    assert sorted((p.source, p.line) for p in strict.problems) == expected
    assert snapshot(graph) == before  # not even an import mark

    started = time.perf_counter()
    report = import_records(graph, directory_sources(files), batch_size=1_000)
    seconds = time.perf_counter() - started
    print(
        f"\n{rows:,} records, {len(broken)} broken, {len(report.problems)} reported, "
        f"{report.written:,} written in {seconds:.1f} s"
    )

    # every bad record reported exactly once, at its file and line, for its reason
    reported = Counter((p.source, p.line) for p in report.problems)
    assert sorted(reported) == expected and set(reported.values()) == {1}
    reasons = {(p.source, p.line): p.reason for p in report.problems}
    wrong = [
        (b, reasons[b.file, b.line]) for b in broken if b.mention not in reasons[b.file, b.line]
    ]
    assert not wrong, wrong
    assert Counter(b.how for b in broken).keys() >= {
        "unknown reference", "out-of-range strength", "bad date", "unknown enum value",
        "duplicate key", "missing required field", "malformed line",
    }  # fmt: skip
    for name, counts in report.counts.items():
        bad = sum(1 for b in broken if b.file == name)
        assert (counts.rows, counts.bad) == (len(good[name]) + bad, bad), name
        assert (counts.created, counts.updated, counts.unchanged) == (len(good[name]), 0, 0), name

    # what was stored before is all still there, every property the same
    after = snapshot(graph, ignored=BOOKKEEPING)
    assert kept.missing_from(after) == ({}, {})

    # the graph now holds exactly what was stored plus the good records, as the files say
    export_to_directory(graph, whole_graph(graph), ExportFormat.CSV, tmp_path / "after")
    exported = _records(tmp_path / "after")
    for name, records in good.items():
        assert exported[name].keys() == stored.get(name, {}).keys() | records.keys(), name
        for key, row in records.items():
            mine = {c: _value(v) for c, v in row.items()}
            theirs = {c: _value(exported[name][key].get(c)) for c in row}
            assert mine == theirs, (name, key)
        for key, row in stored.get(name, {}).items():
            assert exported[name][key] == row, (name, key)
