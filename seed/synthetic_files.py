"""The synthetic graph (seed/synthetic.py) as import records: the files `python -m seed
import` reads, for trying the import at scale and for the import benchmark; and the same files
with a share of their records broken on purpose, for the bad-record path at scale."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.transfer.records import SPECS, FileFormat, RecordKind, RecordWriter
from seed.synthetic import Synthetic

_EDGES: list[tuple[RecordKind, str, tuple[str, str]]] = [
    (RecordKind.ROLES, "roles", ("person", "company")),
    (RecordKind.COMPANY_RELATIONSHIPS, "company_relationships", ("fromCompany", "toCompany")),
    (RecordKind.RELATIONSHIPS, "relationships", ("fromPerson", "toPerson")),
]


def _columns(kind: RecordKind, props: dict[str, Any]) -> dict[str, Any]:
    columns = SPECS[kind].columns
    return {k: v for k, v in props.items() if k in columns}


def synthetic_records(data: Synthetic) -> Iterator[tuple[RecordKind, dict[str, Any]]]:
    """Every generated item as a record of its kind (history and interactions stay out)."""
    for company in data.companies:
        yield RecordKind.COMPANIES, _columns(RecordKind.COMPANIES, company)
    for person in data.people:
        yield RecordKind.PEOPLE, _columns(RecordKind.PEOPLE, person)
    for kind, attribute, (source, target) in _EDGES:
        for row in getattr(data, attribute):
            record = _columns(kind, row["props"])
            yield kind, {**record, source: row.get("personId", row.get("fromId")),
                         target: row.get("companyId", row.get("toId"))}  # fmt: skip
    for line in data.reporting_lines:
        yield RecordKind.REPORTING_LINES, {"person": line["fromId"], "manager": line["toId"]}
    for referral in data.referrals:
        record = _columns(RecordKind.REFERRALS, referral["props"])
        yield (
            RecordKind.REFERRALS,
            {
                **record,
                "referrer": referral["fromId"],
                "referrerKind": referral["fromKind"],
                "referred": referral["toId"],
                "referredKind": referral["toKind"],
            },
        )
    for deal in data.deals:
        record = _columns(RecordKind.DEALS, deal["props"])
        yield RecordKind.DEALS, {**record, "company": deal["companyId"]}


def write_synthetic(data: Synthetic, directory: Path, fmt: FileFormat) -> dict[str, int]:
    """Write the records to `<kind>.<fmt>` files in `directory`; returns counts per file."""
    directory.mkdir(parents=True, exist_ok=True)
    with ExitStack() as files:
        writers = {
            kind: RecordWriter(
                files.enter_context(
                    (directory / f"{kind.value}.{fmt.value}").open(
                        "w", encoding="utf-8", newline=""
                    )
                ),
                kind,
                fmt,
            )
            for kind in RecordKind
        }
        for kind, record in synthetic_records(data):
            writers[kind].write(record)
    return {f"{kind.value}.{fmt.value}": writer.count for kind, writer in writers.items()}


# Per file whose records nothing else names (so a broken one breaks only itself): the breakages
# that apply, each as (column, value, what its reason must mention). The breakages every file
# can have, a duplicate key and a malformed line, are added below.
_BREAKAGES: dict[str, dict[str, tuple[str, str, str]]] = {
    "roles.csv": {
        "unknown reference": ("person", "nobody-{n}", "nobody-{n}"),
        "bad date": ("startDate", "2021-02-30", "startDate"),
        "unknown enum value": ("seniority", "DEMIGOD", "seniority"),
        "missing required field": ("title", "", "title"),
    },
    "relationships.csv": {
        "unknown reference": ("toPerson", "nobody-{n}", "nobody-{n}"),
        "out-of-range strength": ("strength", "1.5", "strength"),
        "bad date": ("since", "2023-13-01", "since"),
        "unknown enum value": ("tier", "BEST_FRIEND", "tier"),
        "missing required field": ("fromPerson", "", "fromPerson"),
    },
    "company_relationships.csv": {
        "unknown reference": ("toCompany", "nobody-{n}", "nobody-{n}"),
        "out-of-range strength": ("strength", "-0.2", "strength"),
    },
    "referrals.csv": {
        "unknown reference": ("referred", "nobody-{n}", "nobody-{n}"),
        "bad date": ("date", "yesterday", "date"),
        "unknown enum value": ("referrerKind", "ROBOT", "referrerKind"),
    },
    "deals.csv": {
        "unknown reference": ("company", "nobody-{n}", "nobody-{n}"),
        "bad date": ("date", "2024-02-30", "date"),
        "missing required field": ("productLine", "", "productLine"),
    },
}


@dataclass(frozen=True)
class Breakage:
    """A record broken on purpose: where, how, and what its reported reason must mention."""

    file: str
    line: int
    how: str
    mention: str  # what the reported reason must mention


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def break_records(directory: Path, fraction: float, seed: int) -> list[Breakage]:
    """Break `fraction` of all the records of the CSV files in `directory` (as written by
    `write_synthetic`), picked at random among the files of _BREAKAGES, each in one of the ways
    that apply to its file, in turn; returns what was broken where."""
    rng = random.Random(seed)
    files = {name: _read(directory / name) for name in sorted(_BREAKAGES)}
    total = sum(len(_read(path)[1]) for path in directory.glob("*.csv"))
    # the first record of each file stays good: a duplicate key repeats its key
    candidates = [(name, i) for name, (_, rows) in files.items() for i in range(1, len(rows))]
    picked = sorted(rng.sample(candidates, round(total * fraction)))
    broken: list[Breakage] = []
    for n, (name, i) in enumerate(picked):
        header, rows = files[name]
        ways = [*_BREAKAGES[name], "duplicate key", "malformed line"]
        how = ways[n % len(ways)]
        line = i + 2  # the header is line 1
        if how == "duplicate key":
            rows[i][header.index("id")] = rows[0][header.index("id")]
            mention = "line 2"
        elif how == "malformed line":
            rows[i].append("one cell too many")
            mention = "cells"
        else:
            column, value, mention = _BREAKAGES[name][how]
            rows[i][header.index(column)] = value.format(n=n)
            mention = mention.format(n=n)
        broken.append(Breakage(name, line, how, mention))
    for name, (header, rows) in files.items():
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
    return broken


# A column of each file whose change is an update (free text, or a date for reporting lines).
_SYNCED: dict[str, tuple[str, str]] = {
    "companies.csv": ("region", "region {n}"),
    "people.csv": ("notes", "synced {n}"),
    "roles.csv": ("department", "department {n}"),
    "company_relationships.csv": ("notes", "synced {n}"),
    "relationships.csv": ("notes", "synced {n}"),
    "referrals.csv": ("note", "synced {n}"),
    "deals.csv": ("note", "synced {n}"),
    "reporting_lines.csv": ("since", "2025-01-{day:02d}"),
}


def change_records(directory: Path, share: float) -> int:
    """Change one column (_SYNCED) of every record at a step of 1/`share` in each CSV file of
    `directory` (as written by `write_synthetic`): what a sync of a CRM sends, mostly unchanged
    records and some updated ones. Returns how many records were changed."""
    step = max(1, round(1 / share))
    changed = 0
    for name, (column, value) in _SYNCED.items():
        path = directory / name
        if not path.exists():
            continue
        header, rows = _read(path)
        for n, row in enumerate(rows[::step]):
            row[header.index(column)] = value.format(n=n, day=n % 28 + 1)
            changed += 1
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
    return changed
