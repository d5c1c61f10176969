"""The import and export format: one file per kind of record, as CSV or JSON Lines.

A record is one whole item: a company, a person, a role, a relationship, a company
relationship, a referral, a reporting line or a deal. Columns use the API's field names
(`valueClass`, `isKeyPerson`, …). Each record is keyed by its `externalId` (the id another
system knows it by) or, without one, by its Guanxi `id`; references to people and companies
(`person`, `fromPerson`, `company`, …) name the node the same way: its external id, else its
Guanxi id. See docs/IMPORT_EXPORT.md for the format with examples.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, cast

from pydantic.alias_generators import to_camel

from graph.core.inputs import Fields
from graph.core.kinds import (
    COMPANY,
    COMPANY_RELATIONSHIP,
    PERSON,
    REFERRAL,
    RELATIONSHIP,
    ROLE,
    EdgeKind,
    NodeKind,
)
from graph.deals.deals import ID_PREFIX as DEAL_ID_PREFIX
from graph.deals.deals import DealFields


class RecordKind(Enum):
    """A kind of record, named as its file (`companies.csv`, `people.jsonl`, …); imports
    read them in this order, so references point at records already written."""

    COMPANIES = "companies"
    PEOPLE = "people"
    ROLES = "roles"
    RELATIONSHIPS = "relationships"
    COMPANY_RELATIONSHIPS = "company_relationships"
    REFERRALS = "referrals"
    REPORTING_LINES = "reporting_lines"
    DEALS = "deals"


class NodeLabel(Enum):
    """What a reference points at."""

    PERSON = "Person"
    COMPANY = "Company"


class FileFormat(Enum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Ref:
    """A column naming a person or a company (by external id, else Guanxi id); for referrals
    the label comes from a `…Kind` column (PERSON or COMPANY) in the same record."""

    column: str
    label: NodeLabel | None
    kind_column: str | None = None


@dataclass(frozen=True)
class Spec:
    """What a kind of record holds, and the kind of item it writes (graph/core/kinds.py; None
    for deals and reporting lines, which the import writes on their own)."""

    kind: RecordKind
    item: NodeKind[Any, Any] | EdgeKind[Any, Any] | None
    refs: tuple[Ref, ...] = ()
    own_fields: type[Fields] | None = None  # of a record without an item kind
    own_id_prefix: str = ""
    keyed: bool = True  # False: a reporting line, keyed by its person

    @property
    def fields(self) -> type[Fields] | None:
        """The validation model (None: a reporting line, which has only `since`)."""
        return self.own_fields if self.item is None else self.item.fields

    @property
    def id_prefix(self) -> str:
        return self.own_id_prefix if self.item is None else self.item.id_prefix

    @property
    def pair_unique(self) -> bool:
        """Whether at most one such edge joins two nodes (relationships, company ones)."""
        return isinstance(self.item, EdgeKind) and self.item.one_per_pair

    @property
    def field_columns(self) -> tuple[str, ...]:
        if self.fields is None:
            return ("since",)
        return tuple(
            info.alias or to_camel(name)
            for name, info in self.fields.model_fields.items()
            if name != "external_id"
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in file order."""
        keys = ("externalId", "id") if self.keyed else ()
        refs: list[str] = []
        for ref in self.refs:
            refs.append(ref.column)
            if ref.kind_column:
                refs.append(ref.kind_column)
        created = ("createdAt",) if self.keyed else ()
        return (*keys, *refs, *self.field_columns, *created)


SPECS: dict[RecordKind, Spec] = {
    spec.kind: spec
    for spec in (
        Spec(RecordKind.COMPANIES, COMPANY),
        Spec(RecordKind.PEOPLE, PERSON),
        Spec(
            RecordKind.ROLES,
            ROLE,
            (Ref("person", NodeLabel.PERSON), Ref("company", NodeLabel.COMPANY)),
        ),
        Spec(
            RecordKind.RELATIONSHIPS,
            RELATIONSHIP,
            (Ref("fromPerson", NodeLabel.PERSON), Ref("toPerson", NodeLabel.PERSON)),
        ),
        Spec(
            RecordKind.COMPANY_RELATIONSHIPS,
            COMPANY_RELATIONSHIP,
            (Ref("fromCompany", NodeLabel.COMPANY), Ref("toCompany", NodeLabel.COMPANY)),
        ),
        Spec(
            RecordKind.REFERRALS,
            REFERRAL,
            (Ref("referrer", None, "referrerKind"), Ref("referred", None, "referredKind")),
        ),
        Spec(
            RecordKind.REPORTING_LINES,
            None,
            (Ref("person", NodeLabel.PERSON), Ref("manager", NodeLabel.PERSON)),
            keyed=False,
        ),
        Spec(
            RecordKind.DEALS,
            None,
            (Ref("company", NodeLabel.COMPANY),),
            own_fields=DealFields,
            own_id_prefix=DEAL_ID_PREFIX,
        ),
    )
}


@dataclass(frozen=True)
class RawRecord:
    """One record as read: its line in the file, and its values (None for an empty cell),
    or why it could not be read."""

    line: int
    values: dict[str, Any] | None
    error: str | None = None


class FileError(Exception):
    """A file that cannot be read as records of its kind at all (e.g. an unknown column)."""


def find_files(directory: Path) -> list[tuple[RecordKind, Path]]:
    """The record files in a directory, in import order (`<kind>.csv` or `<kind>.jsonl`)."""
    found: list[tuple[RecordKind, Path]] = []
    for kind in RecordKind:
        paths = [directory / f"{kind.value}.{fmt.value}" for fmt in FileFormat]
        present = [p for p in paths if p.exists()]
        if len(present) > 1:
            raise FileError(f"{directory}: both {present[0].name} and {present[1].name}; keep one")
        if present:
            found.append((kind, present[0]))
    return found


def read_records(path: Path, kind: RecordKind) -> Iterator[RawRecord]:
    """The records of one file, by its extension (.csv with a header row, or .jsonl)."""
    known = set(SPECS[kind].columns)
    if path.suffix == ".csv":
        yield from _read_csv(path, known)
    elif path.suffix == ".jsonl":
        yield from _read_jsonl(path, known)
    else:
        raise FileError(f"{path.name}: not a .csv or .jsonl file")


def _read_csv(path: Path, known: set[str]) -> Iterator[RawRecord]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        unknown = [name for name in header if name not in known]
        if unknown:
            raise FileError(
                f"{path.name} line 1: unknown column(s) {', '.join(map(repr, unknown))}; "
                f"the columns are {', '.join(sorted(known))}"
            )
        if len(set(header)) != len(header):
            raise FileError(f"{path.name} line 1: a column appears twice")
        line = reader.line_num + 1
        for cells in reader:
            if not any(cells):
                line = reader.line_num + 1
                continue
            if len(cells) != len(header):
                yield RawRecord(
                    line, None, f"{len(cells)} cells where the header has {len(header)}"
                )
            else:
                yield RawRecord(
                    line,
                    {
                        name: cell if cell != "" else None
                        for name, cell in zip(header, cells, strict=True)
                    },
                )
            line = reader.line_num + 1


def _read_jsonl(path: Path, known: set[str]) -> Iterator[RawRecord]:
    with path.open(encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            yield parse_object(line, text, known)


def parse_object(line: int, text: str, known: set[str]) -> RawRecord:
    """One JSON object as a record (unknown keys are an error of that record)."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRecord(line, None, f"not valid JSON ({exc.msg})")
    return object_record(line, values, known)


def object_record(line: int, values: Any, known: set[str]) -> RawRecord:
    """A decoded JSON value as a record."""
    if not isinstance(values, dict):
        return RawRecord(line, None, "not a JSON object")
    fields = cast("dict[str, Any]", values)  # a JSON object's keys are strings
    unknown = sorted(set(fields) - known)
    if unknown:
        return RawRecord(line, None, f"unknown field(s) {', '.join(map(repr, unknown))}")
    return RawRecord(line, fields)


def _plain(value: Any) -> Any:
    """A stored value as the format writes it (dates and times as ISO 8601 text)."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


class RecordWriter:
    """Writes records of one kind to a CSV or JSON Lines file."""

    def __init__(self, handle: IO[str], kind: RecordKind, fmt: FileFormat) -> None:
        self.columns = SPECS[kind].columns
        self.fmt = fmt
        self.count = 0
        self._handle = handle
        self._csv = csv.writer(handle) if fmt is FileFormat.CSV else None
        if self._csv is not None:
            self._csv.writerow(self.columns)

    def write(self, record: dict[str, Any]) -> None:
        values = [_plain(record.get(column)) for column in self.columns]
        if self._csv is not None:
            self._csv.writerow(
                [
                    "" if v is None else ("true" if v is True else "false" if v is False else v)
                    for v in values
                ]  # fmt: skip
            )
        else:
            plain = {c: v for c, v in zip(self.columns, values, strict=True) if v is not None}
            self._handle.write(json.dumps(plain, ensure_ascii=False) + "\n")
        self.count += 1
