"""Import and export of records (the format of docs/IMPORT_EXPORT.md) as GraphQL, for
batches of up to 5,000 records; larger ones go through `python -m seed import/export`."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from graph.transfer.exporter import ExportFormat
from graph.transfer.importer import ImportReport
from graph.transfer.records import RecordKind
from resolvers import transfer as resolve
from schema.auth import ADMIN_ONLY
from schema.types import Info

strawberry.enum(RecordKind, description="A kind of record: one file of an import or export.")
strawberry.enum(
    ExportFormat,
    description="CSV or JSON Lines (one file per kind), one GraphML file, or the CSV files of "
    "`neo4j-admin database import full` (one per label and relationship type).",
)

_RECORDS = "Records as JSON objects with the format's fields, as lines of a .jsonl file."


@strawberry.input(description="Records to import, by kind; at most 5,000 in all.")
class ImportRecordsInput:
    companies: list[JSON] | None = strawberry.field(default=None, description=_RECORDS)
    people: list[JSON] | None = None
    roles: list[JSON] | None = None
    relationships: list[JSON] | None = None
    company_relationships: list[JSON] | None = None
    referrals: list[JSON] | None = None
    reporting_lines: list[JSON] | None = None
    deals: list[JSON] | None = None


@strawberry.type(description="What became of the records of one kind.")
class ImportCount:
    kind: RecordKind
    records: int
    created: int
    updated: int
    unchanged: int
    bad: int


@strawberry.type(description="A record that was not imported: its kind, its place, why.")
class ImportProblem:
    kind: RecordKind
    line: int = strawberry.field(description="Its place in the list of its kind, from 1.")
    field: str | None
    reason: str


@strawberry.type(description="The outcome of an import.")
class ImportResult:
    summary: str
    strict: bool
    refused: bool = strawberry.field(description="Strict and something was bad: nothing written.")
    counts: list[ImportCount]
    problems: list[ImportProblem]


@strawberry.type(description="One exported file.")
class ExportFile:
    name: str
    records: int = strawberry.field(description="Records in it (GraphML: nodes and edges).")
    content: str


def _result(report: ImportReport) -> ImportResult:
    return ImportResult(
        summary=report.summary(),
        strict=report.strict,
        refused=report.refused,
        counts=[
            ImportCount(
                kind=c.kind,
                records=c.rows,
                created=c.created,
                updated=c.updated,
                unchanged=c.unchanged,
                bad=c.bad,
            )
            for c in report.counts.values()
        ],
        problems=[
            ImportProblem(kind=RecordKind(p.source), line=p.line, field=p.field, reason=p.reason)
            for p in report.problems
        ],
    )


@strawberry.type
class TransferMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Upsert records by externalId (else id); bad ones are reported by kind and "
        "place. strict: any bad record refuses the whole import.",
    )
    async def import_records(
        self, info: Info, input: ImportRecordsInput, strict: bool = False, by: str | None = None
    ) -> ImportResult:
        records: dict[RecordKind, list[Any]] = {
            kind: list(getattr(input, kind.value) or []) for kind in RecordKind
        }
        report = await resolve.import_records(info.context, records, strict=strict, by=by)
        return _result(report)


@strawberry.type
class TransferQuery:
    @strawberry.field(
        description="The whole graph, or one company's neighbourhood, in the import format "
        "(or GraphML); up to 20,000 people and companies."
    )
    async def export_records(
        self,
        info: Info,
        company_id: strawberry.ID | None = None,
        format: ExportFormat = ExportFormat.JSONL,
    ) -> list[ExportFile]:
        files = await resolve.export_records(info.context, company_id, format)
        return [
            ExportFile(name=name, records=count, content=content)
            for name, (content, count) in files.items()
        ]
