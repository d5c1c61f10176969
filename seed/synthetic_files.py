"""The synthetic graph (seed/synthetic.py) as import records: the files `python -m seed
import` reads, for trying the import at scale and for the import benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from graph.records import SPECS, FileFormat, RecordKind, RecordWriter
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
