"""Export as the CSV files `neo4j-admin database import full` takes, for a first load of
Neo4j (docs/IMPORT_EXPORT.md gives the command line).

One file per label (`nodes-Company.csv`, …) and one per relationship type and pair of end
labels (`relationships-KNOWS-Person-Person.csv`, …), each with its header inline. A node's
Guanxi id is its `:ID`, in an id space named after its label, and is stored as its `id`
property; relationship files refer to those ids (`:START_ID(Person)`, `:END_ID(Company)`).
Every property is typed in the header (`strength:double`, `since:date`,
`createdAt:datetime`). The columns are derived from the kinds (graph/core/kinds.py): their
validation models' fields and the system properties a write stores beside them; a stored
property with no column stops the export (ExportError) rather than being dropped.

What the export holds is what the record export holds (graph/transfer/exporter.py), with every
stored property of it, less the stored figures, which depend on the rest of the graph and
which `prepare` counts anew at the first start (graph/core/figures.py). Cells: strings are
always quoted (`""` inside), so an empty string stays one and an empty cell is no property;
dates are `YYYY-MM-DD`; datetimes ISO 8601 with their offset, in UTC; arrays are joined by
ARRAY_DELIMITER.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import (
    IO,
    TYPE_CHECKING,
    Annotated,
    Any,
    Final,
    LiteralString,
    Union,
    cast,
    get_args,
    get_origin,
)

import neo4j.time
from pydantic.alias_generators import to_camel

from graph.core import kinds
from graph.core.figures import FIGURE_KEYS
from graph.core.history import SubjectKind
from graph.core.inputs import Fields
from graph.core.models import to_date, to_datetime
from graph.cypher.transfer import records as cypher
from graph.db.connection import Graph
from graph.db.errors import GuanxiError
from graph.deals.deals import DealFields

if TYPE_CHECKING:
    from graph.transfer.exporter import Scope

PAGE_SIZE = 2_000

# Between the items of an array cell (`--array-delimiter=U+001F`): the unit separator, which
# no text a person types holds; a value holding it cannot be exported as an array.
ARRAY_DELIMITER: Final = "\x1f"
ARRAY_DELIMITER_OPTION: Final = "U+001F"

# The types of the system properties a write stores beside the user-set fields
# (graph/core/writes.py SYSTEM_KEYS, less the stored figures).
SYSTEM_TYPES: Final[dict[str, str]] = {
    "id": "string",
    "createdAt": "datetime",
    "updatedAt": "datetime",
    "searchText": "string",
    "changedAtMs": "long",
    "version": "long",
    "strengthRaw": "double",
    "strengthAtMs": "long",
    "lastInteractionAtMs": "long",
    "interactionCount": "long",
    "lastInteractionId": "string",
    "credential": "string",
}
# The strength model's state, kept on person-to-person relationships (graph/evolution/).
STRENGTH_MODEL_KEYS: Final = (
    "strengthRaw",
    "strengthAtMs",
    "lastInteractionAtMs",
    "interactionCount",
    "lastInteractionId",
)
# Stored but not exported: `prepare` counts them for every item that has none.
LEFT_OUT: Final = FIGURE_KEYS


class ExportError(GuanxiError):
    """A stored value the files cannot carry: a property with no column, or of another type
    than its column's."""


@dataclass(frozen=True)
class Column:
    """A property: its key and neo4j-admin's type for it (`string`, `boolean`, `long`,
    `double`, `date`, `datetime`; with `[]` after it, an array of those)."""

    key: str
    type: str

    @property
    def header(self) -> str:
        return f"{self.key}:{self.type}"


def admin_type(annotation: Any) -> str:
    """neo4j-admin's type for a validation model's field annotation (optional or not);
    TypeError for a type it has none for."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return admin_type(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        present = [a for a in get_args(annotation) if a is not type(None)]
        if len(present) == 1:
            return admin_type(present[0])
    elif origin is list:
        (item,) = get_args(annotation)
        return admin_type(item) + "[]"
    elif isinstance(annotation, type):
        for python, name in _TYPES:
            if issubclass(annotation, python):
                return name
    raise TypeError(f"no neo4j-admin type for a field of type {annotation!r}")


# In order: a bool is an int, a datetime a date.
_TYPES: Final[tuple[tuple[type, str], ...]] = (
    (Enum, "string"),
    (str, "string"),
    (bool, "boolean"),
    (int, "long"),
    (float, "double"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
)


def field_columns(fields: type[Fields]) -> tuple[Column, ...]:
    """The columns of a validation model's fields, under their stored (API) names."""
    return tuple(
        Column(info.alias or to_camel(name), admin_type(info.annotation))
        for name, info in fields.model_fields.items()
    )


def _system(keys: Sequence[str]) -> tuple[Column, ...]:
    return tuple(Column(key, SYSTEM_TYPES[key]) for key in keys)


def kind_columns(kind: kinds.NodeKind[Any, Any] | kinds.EdgeKind[Any, Any]) -> tuple[Column, ...]:
    """A kind's columns: its fields, then the system properties its writes store (an edge's
    `id` first; a node's `id` is its `:ID` column)."""
    keys = ["createdAt", "updatedAt", *kind.derived({"name": "x"})]  # a node's searchText
    if kind.history is not None:
        keys.append("changedAtMs")  # when its latest recorded change took effect
    if isinstance(kind, kinds.EdgeKind) and kind.versioned:
        keys.append("version")
    if kind.history is SubjectKind.RELATIONSHIP:
        keys.extend(STRENGTH_MODEL_KEYS)
    own_id = _system(["id"]) if isinstance(kind, kinds.EdgeKind) else ()
    return (*own_id, *field_columns(kind.fields), *_system(keys))


@dataclass(frozen=True)
class NodeFile:
    """The nodes of one label; their ids form the id space of the label's name."""

    label: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"nodes-{self.label}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        return (f"id:ID({self.label})", ":LABEL", *(c.header for c in self.columns))


@dataclass(frozen=True)
class EdgeFile:
    """The relationships of one type from nodes of one label to nodes of another."""

    type: str
    start: str
    end: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"relationships-{self.type}-{self.start}-{self.end}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        ends = (f":START_ID({self.start})", f":END_ID({self.end})", ":TYPE")
        return (*ends, *(c.header for c in self.columns))


COMPANIES: Final = NodeFile("Company", kind_columns(kinds.COMPANY))
PEOPLE: Final = NodeFile("Person", kind_columns(kinds.PERSON))
DEALS: Final = NodeFile(
    "Deal", (*field_columns(DealFields), *_system(["createdAt", "updatedAt", "credential"]))
)
ROLES: Final = EdgeFile("HOLDS_ROLE", "Person", "Company", kind_columns(kinds.ROLE))
RELATIONSHIPS: Final = EdgeFile("KNOWS", "Person", "Person", kind_columns(kinds.RELATIONSHIP))
COMPANY_RELATIONSHIPS: Final = EdgeFile(
    "DOES_BUSINESS_WITH", "Company", "Company", kind_columns(kinds.COMPANY_RELATIONSHIP)
)
REFERRALS: Final[dict[tuple[str, str], EdgeFile]] = {
    (start, end): EdgeFile("REFERRED", start, end, kind_columns(kinds.REFERRAL))
    for start in ("Person", "Company")
    for end in ("Person", "Company")
}
# A person's line to their manager (graph/keypersons/maps.py), and a deal's customer.
REPORTING_LINES: Final = EdgeFile("REPORTS_TO", "Person", "Person", (Column("since", "date"),))
DEAL_COMPANIES: Final = EdgeFile("FOR", "Deal", "Company", ())

NODE_FILES: Final[tuple[NodeFile, ...]] = (COMPANIES, PEOPLE, DEALS)
EDGE_FILES: Final[tuple[EdgeFile, ...]] = (
    ROLES,
    RELATIONSHIPS,
    COMPANY_RELATIONSHIPS,
    *REFERRALS.values(),
    REPORTING_LINES,
    DEAL_COMPANIES,
)
# Every file, in the order they are written (nodes first).
FILES: Final[tuple[NodeFile | EdgeFile, ...]] = (*NODE_FILES, *EDGE_FILES)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _text(column: str, type_: str, value: Any) -> str:
    """`value` as neo4j-admin reads a `type_` cell (before quoting); ExportError when it is
    not of that type."""
    text: str | None = None
    if type_ == "string":
        text = value if isinstance(value, str) else None
    elif type_ == "boolean":
        text = ("true" if value else "false") if isinstance(value, bool) else None
    elif isinstance(value, bool):
        text = None
    elif type_ == "long":
        text = str(value) if isinstance(value, int) else None
    elif type_ == "double":
        text = repr(float(value)) if isinstance(value, int | float) else None
    elif type_ == "datetime" and isinstance(value, dt.datetime | neo4j.time.DateTime):
        stamp = to_datetime(value)  # UTC (a stored value without a zone is UTC)
        text = None if stamp is None else stamp.isoformat()  # with its offset, +00:00
    elif type_ == "date" and not isinstance(value, dt.datetime | neo4j.time.DateTime):
        date = to_date(value) if isinstance(value, dt.date | neo4j.time.Date) else None
        text = None if date is None else date.isoformat()
    if text is None:
        raise ExportError(f"{column}: {value!r} is not a {type_}")
    return text


def cell(column: Column, value: Any) -> str:
    """One CSV cell: empty for no value (no property); strings and arrays quoted, `"` doubled;
    ExportError for a value that is not of the column's type."""
    if value is None:
        return ""
    type_ = column.type.removesuffix("[]")
    if type_ == column.type:
        text = _text(column.key, type_, value)
        return _quoted(text) if type_ == "string" else text
    if not isinstance(value, list | tuple):
        raise ExportError(f"{column.key}: {value!r} is not an array")
    items = [_text(column.key, type_, item) for item in cast("Sequence[Any]", value)]
    if any(ARRAY_DELIMITER in item for item in items):
        raise ExportError(f"{column.key}: an item holds the array delimiter (U+001F)")
    return _quoted(ARRAY_DELIMITER.join(items))


class _Files:
    """Every file open, its header written; rows are checked against their file's columns."""

    def __init__(self, open_file: Callable[[str], IO[str]]) -> None:
        self._handles: dict[str, IO[str]] = {}
        self.counts: dict[str, int] = {}
        for file in FILES:
            handle = open_file(file.name)
            handle.write(",".join(file.header) + "\n")
            self._handles[file.name] = handle
            self.counts[file.name] = 0

    def _write(self, file: NodeFile | EdgeFile, lead: list[str], props: dict[str, Any]) -> None:
        known = {c.key for c in file.columns} | {"id"}
        unknown = sorted(set(props) - known - LEFT_OUT)
        if unknown:
            raise ExportError(
                f"{file.name}: stored properties with no column: {', '.join(unknown)} "
                f"(of {props.get('id')}); give them a type in graph/transfer/neo4j_admin.py"
            )
        try:
            cells = [cell(c, props.get(c.key)) for c in file.columns]
        except ExportError as exc:
            raise ExportError(f"{file.name}, {props.get('id')}: {exc}") from None
        self._handles[file.name].write(",".join([*lead, *cells]) + "\n")
        self.counts[file.name] += 1

    def node(self, file: NodeFile, props: dict[str, Any]) -> None:
        self._write(file, [_quoted(str(props["id"])), file.label], props)

    def edge(self, file: EdgeFile, start: str, end: str, props: dict[str, Any]) -> None:
        self._write(file, [_quoted(start), _quoted(end), file.type], props)


def _pages(graph: Graph, query: LiteralString, ids: list[str]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), PAGE_SIZE):
        yield graph.read(query, ids=ids[start : start + PAGE_SIZE])[0]


def write_neo4j_admin(
    graph: Graph, scope: Scope, open_file: Callable[[str], IO[str]]
) -> dict[str, int]:
    """Write the scope as neo4j-admin's node and relationship files, each opened with
    `open_file(name)` (every file, with its header, even when it has no rows); returns the
    rows per file. The same pages as the record export, each edge once."""
    files = _Files(open_file)

    def referrals(a: str, start: str, targets: Sequence[tuple[str, list[list[Any]]]]) -> None:
        for end, found in targets:
            for b, props in found:
                if b in scope:
                    files.edge(REFERRALS[start, end], a, b, props)

    for page in _pages(graph, cypher.EXPORT_COMPANIES, scope.companies):
        for props, ties, to_people, to_companies, deals in zip(
            page["nodes"],
            page["companyRelationships"],
            page["referredPeople"],
            page["referredCompanies"],
            page["deals"],
            strict=True,
        ):
            a = str(props["id"])
            files.node(COMPANIES, props)
            for b, tie in ties:
                if b in scope:
                    files.edge(COMPANY_RELATIONSHIPS, a, b, tie)
            referrals(a, "Company", [("Person", to_people), ("Company", to_companies)])
            for deal in deals:
                files.node(DEALS, deal)
                files.edge(DEAL_COMPANIES, str(deal["id"]), a, {})
    for page in _pages(graph, cypher.EXPORT_PEOPLE, scope.people):
        for props, roles, ties, managers, to_people, to_companies in zip(
            page["nodes"],
            page["roles"],
            page["relationships"],
            page["managers"],
            page["referredPeople"],
            page["referredCompanies"],
            strict=True,
        ):
            a = str(props["id"])
            files.node(PEOPLE, props)
            for c, role in roles:
                if c in scope:
                    files.edge(ROLES, a, c, role)
            for b, tie in ties:
                if b in scope:
                    files.edge(RELATIONSHIPS, a, b, tie)
            for m, since in managers:
                if m in scope:
                    files.edge(REPORTING_LINES, a, m, {"since": since})
            referrals(a, "Person", [("Person", to_people), ("Company", to_companies)])
    return files.counts
