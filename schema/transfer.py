"""Import and export of records (the format of docs/IMPORT_EXPORT.md) as GraphQL, for
batches of up to 5,000 records; larger ones go through `python -m seed import/export`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from graph.transfer.exporter import ExportFormat
from graph.transfer.importer import ImportReport
from graph.transfer.records import RecordKind
from resolvers import transfer as resolve
from schema.auth import ADMIN_ONLY
from schema.enums import described_enum
from schema.types import Info

described_enum(
    RecordKind,
    "A kind of record: one file of an import or export (docs/IMPORT_EXPORT.md).",
    {
        RecordKind.COMPANIES: "Companies (companies.jsonl).",
        RecordKind.PEOPLE: "People (people.jsonl).",
        RecordKind.ROLES: "Roles people hold at companies (roles.jsonl).",
        RecordKind.RELATIONSHIPS: "Person-to-person relationships (relationships.jsonl).",
        RecordKind.COMPANY_RELATIONSHIPS: "Company-to-company relationships "
        "(company_relationships.jsonl).",
        RecordKind.REFERRALS: "Referrals (referrals.jsonl).",
        RecordKind.REPORTING_LINES: "Who reports to whom in a customer's org chart "
        "(reporting_lines.jsonl).",
        RecordKind.DEALS: "Deals (deals.jsonl).",
    },
)
described_enum(
    ExportFormat,
    "CSV or JSON Lines (one file per kind), one GraphML file, or the CSV files of "
    "`neo4j-admin database import full` (one per label and relationship type).",
    {
        ExportFormat.CSV: "One CSV file per kind, e.g. `companies.csv`.",
        ExportFormat.JSONL: "One JSON Lines file per kind, e.g. `companies.jsonl`: the import's "
        "own format.",
        ExportFormat.GRAPHML: "One `graph.graphml` of nodes and edges, for network tools.",
        ExportFormat.NEO4J_ADMIN: "The CSV files of `neo4j-admin database import full`, one "
        "per label and relationship type.",
    },
)

_RECORDS = "Records as JSON objects with the format's fields, as lines of a .jsonl file."


@strawberry.input(description="Records to import, by kind; at most 5,000 in all.")
class ImportRecordsInput:
    companies: list[JSON] | None = strawberry.field(default=None, description=_RECORDS)
    people: list[JSON] | None = strawberry.field(
        default=None, description="People records (fields of people.jsonl)."
    )
    roles: list[JSON] | None = strawberry.field(
        default=None, description="Role records (fields of roles.jsonl)."
    )
    relationships: list[JSON] | None = strawberry.field(
        default=None,
        description="Person-to-person relationship records (fields of relationships.jsonl).",
    )
    company_relationships: list[JSON] | None = strawberry.field(
        default=None,
        description="Company-to-company relationship records (fields of "
        "company_relationships.jsonl).",
    )
    referrals: list[JSON] | None = strawberry.field(
        default=None, description="Referral records (fields of referrals.jsonl)."
    )
    reporting_lines: list[JSON] | None = strawberry.field(
        default=None, description="Reporting line records (fields of reporting_lines.jsonl)."
    )
    deals: list[JSON] | None = strawberry.field(
        default=None, description="Deal records (fields of deals.jsonl)."
    )


@strawberry.type(description="What became of the records of one kind.")
class ImportCount:
    kind: RecordKind = strawberry.field(description="The kind of record.")
    records: int = strawberry.field(description="Records of this kind sent.")
    created: int = strawberry.field(description="Records that created an item.")
    updated: int = strawberry.field(description="Records that changed an item that existed.")
    unchanged: int = strawberry.field(
        description="Records equal to the item that existed: nothing written."
    )
    bad: int = strawberry.field(description="Records refused; `problems` says why.")


@strawberry.type(description="A record that was not imported: its kind, its place, why.")
class ImportProblem:
    kind: RecordKind = strawberry.field(description="The kind of the record.")
    line: int = strawberry.field(description="Its place in the list of its kind, from 1.")
    field: str | None = strawberry.field(
        description="The field at fault, by its name in the format; null when the problem is "
        "not one field's."
    )
    reason: str = strawberry.field(description="Why it was refused, in words.")


@strawberry.type(description="The outcome of an import.")
class ImportResult:
    summary: str = strawberry.field(
        description="One line to read, e.g. `12 records: 10 created, 1 updated, 0 "
        "unchanged, 1 bad`."
    )
    strict: bool = strawberry.field(description="Whether the import was strict (as asked).")
    refused: bool = strawberry.field(description="Strict and something was bad: nothing written.")
    counts: list[ImportCount] = strawberry.field(
        description="What became of each kind of record sent."
    )
    problems: list[ImportProblem] = strawberry.field(
        description="Every record that was not imported."
    )


@strawberry.type(description="One exported file.")
class ExportFile:
    name: str = strawberry.field(
        description="The file's name, e.g. `companies.jsonl` or `graph.graphml`."
    )
    records: int = strawberry.field(description="Records in it (GraphML: nodes and edges).")
    content: str = strawberry.field(description="The file's whole text (UTF-8).")


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
        self,
        info: Info,
        input: Annotated[
            ImportRecordsInput,
            strawberry.argument(description="The records, by kind; at most 5,000 in all."),
        ],
        strict: Annotated[
            bool,
            strawberry.argument(
                description="True: any bad record refuses the whole import and nothing is written. "
                "False (the default): the good records are written, the bad ones "
                "reported."
            ),
        ] = False,
        by: Annotated[
            str | None,
            strawberry.argument(
                description="On whose behalf the import runs (a name or user id), recorded "
                "with what it writes beside the credential that runs it (`recordedBy`); null "
                "if left out."
            ),
        ] = None,
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
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Export only this company's neighbourhood (`co_` id): its current "
                "people, whom they know, and where those hold current roles. Null (the "
                "default): the whole graph."
            ),
        ] = None,
        format: Annotated[
            ExportFormat,
            strawberry.argument(
                description="The files' format; JSONL (the default) is the import's own."
            ),
        ] = ExportFormat.JSONL,
    ) -> list[ExportFile]:
        files = await resolve.export_records(info.context, company_id, format)
        return [
            ExportFile(name=name, records=count, content=content)
            for name, (content, count) in files.items()
        ]
