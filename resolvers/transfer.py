"""Import and export through the API, for batches small enough for one request."""

from __future__ import annotations

import io
from typing import IO, Any

from graph.db.errors import InvalidInput
from graph.transfer import exporter, importer
from graph.transfer.exporter import ExportFormat
from graph.transfer.importer import ImportReport
from graph.transfer.records import RecordKind
from resolvers.context import Context, off_loop

# Larger graphs are exported with `python -m seed export`.
MAX_API_EXPORT_NODES = 20_000


async def import_records(
    ctx: Context, records: dict[RecordKind, list[Any]], *, strict: bool, by: str | None
) -> ImportReport:
    sources = importer.api_sources(records)
    return await off_loop(importer.import_records, ctx.graph, sources, strict=strict, by=by)


def _export(ctx: Context, company_id: str | None, fmt: ExportFormat) -> dict[str, tuple[str, int]]:
    graph = ctx.graph
    scope = (
        exporter.whole_graph(graph)
        if company_id is None
        else exporter.neighbourhood(graph, company_id)
    )
    v = ctx.visibility()
    if not v.everything:  # only the people and companies a scoped credential sees
        scope = exporter.Scope(
            [p for p in scope.people if v.person(p)],
            [c for c in scope.companies if v.company(c)],
        )
    nodes = len(scope.people) + len(scope.companies)
    if nodes > MAX_API_EXPORT_NODES:
        raise InvalidInput(
            f"companyId: the export would hold {nodes:,} people and companies, more than "
            f"{MAX_API_EXPORT_NODES:,}; export it with `python -m seed export`",
            field="companyId",
        )
    handles: dict[str, io.StringIO] = {}

    def open_file(name: str) -> IO[str]:
        handles[name] = io.StringIO()
        return handles[name]

    counts = exporter.write_export(graph, scope, fmt, open_file)
    return {name: (handle.getvalue(), counts[name]) for name, handle in handles.items()}


async def export_records(
    ctx: Context, company_id: str | None, fmt: ExportFormat
) -> dict[str, tuple[str, int]]:
    """Each file's name, content and record count."""
    return await off_loop(_export, ctx, company_id, fmt)
