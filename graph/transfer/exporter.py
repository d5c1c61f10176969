"""Export of the whole graph, or of one company's neighbourhood, as records (the import
format, graph/transfer/records.py) or as GraphML for analysts' tools.

The graph is read in pages of node ids, each page one statement returning its nodes and
their outgoing edges, so memory stays flat and every edge is read once. References are
written as Guanxi ids, which an import resolves like external ids. What is exported is the
current state: the change log, the time indexes and interactions stay behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, LiteralString

from graph.cypher.analysis import network as network_cypher
from graph.cypher.transfer import records as cypher
from graph.db.connection import Graph
from graph.db.errors import NotFound
from graph.transfer.graphml import GraphMLWriter
from graph.transfer.neo4j_admin import write_neo4j_admin
from graph.transfer.records import SPECS, FileFormat, RecordKind, RecordWriter

PAGE_SIZE = 2_000


@dataclass(frozen=True)
class Scope:
    """The node ids to export; edges go with them when both their ends are in."""

    people: list[str]
    companies: list[str]

    def __contains__(self, id_: str) -> bool:
        return id_ in self._all

    @property
    def _all(self) -> set[str]:
        found: set[str] | None = self.__dict__.get("_members")
        if found is None:
            found = {*self.people, *self.companies}
            object.__setattr__(self, "_members", found)
        return found


def whole_graph(graph: Graph) -> Scope:
    row = graph.read(network_cypher.NODE_IDS)[0]
    return Scope(sorted(row["people"]), sorted(row["companies"]))


def neighbourhood(graph: Graph, company_id: str) -> Scope:
    """The company, its current people, whom they know, and the companies where any of
    those hold a current role (as `networkMeasures(companyId)` measures it)."""
    rows = graph.read(network_cypher.SCOPE, companyId=company_id)
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    people = set(rows[0]["people"])
    companies = {company_id}
    page = graph.read(network_cypher.PEOPLE_TIES, ids=sorted(people))[0]
    known = {b for ties in page["people"] for b in ties}
    companies.update(c for cs in page["companies"] for c in cs)
    others = sorted(known - people)
    for start in range(0, len(others), PAGE_SIZE):
        more = graph.read(network_cypher.PEOPLE_TIES, ids=others[start : start + PAGE_SIZE])[0]
        companies.update(c for cs in more["companies"] for c in cs)
    return Scope(sorted(people | known), sorted(companies))


Emit = Callable[[RecordKind, dict[str, Any]], None]


def _fields(kind: RecordKind, props: dict[str, Any]) -> dict[str, Any]:
    columns = SPECS[kind].field_columns
    return {c: props.get(c) for c in columns}


def _keyed(kind: RecordKind, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "externalId": props.get("externalId"),
        "id": props.get("id"),
        **_fields(kind, props),
        "createdAt": props.get("createdAt"),
    }


def _pages(graph: Graph, query: LiteralString, ids: list[str]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), PAGE_SIZE):
        yield graph.read(query, ids=ids[start : start + PAGE_SIZE])[0]


def export_records(graph: Graph, scope: Scope, emit: Emit) -> None:
    """Emit every record in the scope, page by page (each kind goes to its own file)."""
    for page in _pages(graph, cypher.EXPORT_COMPANIES, scope.companies):
        for props, ties, to_people, to_companies, deals in zip(
            page["nodes"],
            page["companyRelationships"],
            page["referredPeople"],
            page["referredCompanies"],
            page["deals"],
            strict=True,
        ):
            a = props["id"]
            emit(RecordKind.COMPANIES, _keyed(RecordKind.COMPANIES, props))
            for b, tie in ties:
                if b in scope:
                    emit(
                        RecordKind.COMPANY_RELATIONSHIPS,
                        {**_keyed(RecordKind.COMPANY_RELATIONSHIPS, tie),
                         "fromCompany": a, "toCompany": b},
                    )  # fmt: skip
            _referrals(a, "COMPANY", to_people, to_companies, scope, emit)
            for deal in deals:
                emit(RecordKind.DEALS, {**_keyed(RecordKind.DEALS, deal), "company": a})
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
            a = props["id"]
            emit(RecordKind.PEOPLE, _keyed(RecordKind.PEOPLE, props))
            for c, role in roles:
                if c in scope:
                    emit(
                        RecordKind.ROLES,
                        {**_keyed(RecordKind.ROLES, role), "person": a, "company": c},
                    )
            for b, tie in ties:
                if b in scope:
                    emit(
                        RecordKind.RELATIONSHIPS,
                        {**_keyed(RecordKind.RELATIONSHIPS, tie),
                         "fromPerson": a, "toPerson": b},
                    )  # fmt: skip
            for m, since in managers:
                if m in scope:
                    emit(RecordKind.REPORTING_LINES, {"person": a, "manager": m, "since": since})
            _referrals(a, "PERSON", to_people, to_companies, scope, emit)


def _referrals(
    a: str,
    a_kind: str,
    to_people: list[list[Any]],
    to_companies: list[list[Any]],
    scope: Scope,
    emit: Emit,
) -> None:
    for b_kind, targets in (("PERSON", to_people), ("COMPANY", to_companies)):
        for b, props in targets:
            if b in scope:
                emit(
                    RecordKind.REFERRALS,
                    {
                        **_keyed(RecordKind.REFERRALS, props),
                        "referrer": a,
                        "referrerKind": a_kind,
                        "referred": b,
                        "referredKind": b_kind,
                    },
                )


class ExportFormat(Enum):
    CSV = "csv"
    JSONL = "jsonl"
    GRAPHML = "graphml"
    NEO4J_ADMIN = "neo4j-admin"  # the CSV files of `neo4j-admin database import full`


def write_export(
    graph: Graph, scope: Scope, fmt: ExportFormat, open_file: Callable[[str], IO[str]]
) -> dict[str, int]:
    """Write the scope as record files (one per kind: `companies.csv`, …) or as one
    `graph.graphml`, each opened with `open_file(name)`; returns the records (GraphML: nodes
    and edges) per file."""
    if fmt is ExportFormat.GRAPHML:
        handle = open_file("graph.graphml")
        writer = GraphMLWriter(handle)
        export_records(graph, scope, writer.write)
        writer.close()
        return {"graph.graphml": writer.nodes + writer.edges}
    if fmt is ExportFormat.NEO4J_ADMIN:
        return write_neo4j_admin(graph, scope, open_file)
    file_format = FileFormat(fmt.value)
    writers = {
        kind: RecordWriter(open_file(f"{kind.value}.{fmt.value}"), kind, file_format)
        for kind in RecordKind
    }
    export_records(graph, scope, lambda kind, record: writers[kind].write(record))
    return {f"{kind.value}.{fmt.value}": w.count for kind, w in writers.items()}


def export_to_directory(
    graph: Graph, scope: Scope, fmt: ExportFormat, directory: Path
) -> dict[str, int]:
    """`write_export` into files in `directory` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    with ExitStack() as files:

        def open_file(name: str) -> IO[str]:
            return files.enter_context((directory / name).open("w", encoding="utf-8", newline=""))

        return write_export(graph, scope, fmt, open_file)
