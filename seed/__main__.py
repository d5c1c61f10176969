"""`python -m seed`: demo data, bulk import and export, synthetic record files.

    python -m seed [--reset]                      load the demo data (once)
    python -m seed import DIR [--strict] [--batch-size N] [--by NAME] [--problems FILE]
    python -m seed export DIR [--format csv|jsonl|graphml|neo4j-admin] [--company ID]
    python -m seed synthetic DIR [--people N] [--seed S] [--format csv|jsonl]
    python -m seed backup FILE.zip                 back up the embedded engine's database
    python -m seed restore FILE.zip [--data-dir DIR]  restore it into an empty data directory
    python -m seed purge                           purge deleted items past their retention
    python -m seed erase ID [ID ...]               erase people for good (docs/PRIVACY.md)
    python -m seed replay-erasures [LOG]           erase again whom a restored backup brought back
    python -m seed token create --name NAME --role viewer|planner|analyst|admin
    python -m seed token revoke NAME_OR_ID
    python -m seed token list

Each works against the configured database (NEO4J_URI, or the embedded engine in
GUANXI_DATA_DIR: the running server's when it runs, else one started for the command). The
record format is described in docs/IMPORT_EXPORT.md, backups in docs/BACKUP.md. A command that
fails prints one line `error: ...` on stderr and exits 2 (GUANXI_DEBUG=1: the traceback too).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable
from pydantic import ValidationError

from graph.auth import tokens
from graph.auth.credentials import revoke_token
from graph.auth.teams import EVERY_CUSTOMER, describe_teams, teams_from_text
from graph.core.erasure import erase_person, replay_log
from graph.core.retention import purge_expired
from graph.core.upgrades import prepare
from graph.db import recorder
from graph.db.backup import BackupError, backup_data_dir, restore_data_dir
from graph.db.connection import open_graph
from graph.db.engine import EngineError
from graph.db.errors import GuanxiError, NotFound
from graph.db.settings import EngineSettings, ErasureSettings, Neo4jSettings
from graph.db.setup import count_nodes_and_edges, delete_everything
from graph.transfer.exporter import ExportFormat, export_to_directory, neighbourhood, whole_graph
from graph.transfer.importer import (
    DEFAULT_BATCH_SIZE,
    MAX_BATCH_SIZE,
    directory_sources,
    import_records,
)
from graph.transfer.records import FileError, FileFormat
from seed.demo import load_demo
from seed.progress import KindProgress
from seed.synthetic import generate
from seed.synthetic_files import write_synthetic


def _demo(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        prepare(graph)
        if args.reset:
            delete_everything(graph)
        counts = load_demo(graph)
        nodes, edges = count_nodes_and_edges(graph)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()))
    print(f"the database now holds {nodes} nodes and {edges} edges")
    return 0


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - (1 if path.suffix == ".csv" and lines else 0)


def _import(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"error: {directory} is not a directory", file=sys.stderr)
        return 2
    try:
        sources = directory_sources(directory)
    except FileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not sources:
        print(f"error: no record files in {directory} (companies.csv, people.jsonl, …)")
        return 2
    totals = {s.name: _count_lines(directory / s.name) for s in sources}
    print("importing " + ", ".join(totals) + f" ({sum(totals.values()):,} records)")
    started = time.perf_counter()
    with open_graph() as graph:
        prepare(graph)
        with KindProgress({"checking": sum(totals.values()), **totals}) as progress:

            def advance(phase: str, source: str, n: int) -> None:
                progress.advance("checking" if phase == "checked" else source, n)

            report = import_records(
                graph,
                sources,
                strict=args.strict,
                batch_size=args.batch_size,
                by=args.by,
                progress=advance,
                # no one else writes to an engine of its own: a first load may then lift the
                # edges' uniqueness rules and count the figures once (docs/IMPORT_EXPORT.md)
                bulk=graph.engine_of_its_own,
            )
    seconds = time.perf_counter() - started
    for name, counts in report.counts.items():
        print(
            f"  {name}: {counts.rows:,} records, {counts.created:,} created, "
            f"{counts.updated:,} updated, {counts.unchanged:,} unchanged, {counts.bad:,} bad"
        )
    print(f"{report.summary()} in {seconds:.1f} s")
    for problem in report.problems[: args.show]:
        print(f"  {problem.source} line {problem.line}: {problem.reason}", file=sys.stderr)
    if len(report.problems) > args.show:
        print(f"  … and {len(report.problems) - args.show:,} more", file=sys.stderr)
    if args.problems and report.problems:
        with Path(args.problems).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "line", "field", "reason"])
            for problem in report.problems:
                writer.writerow([problem.source, problem.line, problem.field or "", problem.reason])
        print(f"every bad record is listed in {args.problems}", file=sys.stderr)
    return 1 if report.problems else 0


def _export(args: argparse.Namespace) -> int:
    fmt = ExportFormat(args.format)
    with open_graph() as graph:
        try:
            scope = (
                whole_graph(graph) if args.company is None else neighbourhood(graph, args.company)
            )
        except NotFound as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        counts = export_to_directory(graph, scope, fmt, Path(args.directory))
    for name, count in counts.items():
        print(f"  {name}: {count:,}")
    return 0


def _synthetic(args: argparse.Namespace) -> int:
    data = generate(args.people, args.seed, history=False)
    counts = write_synthetic(data, Path(args.directory), FileFormat(args.format))
    for name, count in counts.items():
        print(f"  {name}: {count:,}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        prepare(graph)
        purged = purge_expired(graph)
    print(
        f"purged {purged.deleted_items} deleted item(s) past the retention window and "
        f"{purged.idempotency_keys} idempotency key(s)"
    )
    return 0


def _erase(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        prepare(graph)
        for person_id in args.ids:
            done = erase_person(graph, person_id)
            print(
                f"erased {done.person_id}: {done.changes_removed} change(s), "
                f"{done.interactions_updated} interaction(s), "
                f"{done.idempotency_records_removed} idempotency record(s), "
                f"{done.texts_redacted} text(s) redacted"
            )
    return 0


def _replay_erasures(args: argparse.Namespace) -> int:
    path = Path(args.log) if args.log else ErasureSettings().erasure_log
    if path is None:
        print("no erasure log: pass one, or set GUANXI_ERASURE_LOG", file=sys.stderr)
        return 2
    with open_graph() as graph:
        prepare(graph)
        done = replay_log(graph, path)
    print(f"erased {len(done.erased)} person(s) again; {done.absent} already gone")
    for person_id in done.erased:
        print(f"  {person_id}")
    return 0


def _embedded_only() -> bool:
    if Neo4jSettings().uri:
        print(
            "error: NEO4J_URI is set; back up Neo4j with neo4j-admin (docs/BACKUP.md)",
            file=sys.stderr,
        )
        return False
    return True


def _backup(args: argparse.Namespace) -> int:
    if not _embedded_only():
        return 2
    settings = EngineSettings()
    try:
        result = backup_data_dir(settings.data_dir, Path(args.file), heap=settings.engine_heap)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"backed up {settings.data_dir} to {result.path} ({result.size:,} bytes, "
        f"{result.seconds:.1f} s, {result.via})"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    if not _embedded_only():
        return 2
    settings = EngineSettings()
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    started = time.perf_counter()
    try:
        database = restore_data_dir(Path(args.file), data_dir, heap=settings.engine_heap)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"restored {args.file} into {database} in {time.perf_counter() - started:.1f} s")
    if args.data_dir:
        print(f"start the app on it with GUANXI_DATA_DIR={data_dir}")
    return 0


def _token_create(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        prepare(graph)
        try:
            teams = teams_from_text(args.teams, field="--teams")
            token, secret = tokens.create_token(
                graph, name=args.name, role=tokens.Role(args.role), teams=teams
            )
        except GuanxiError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 2
    print(
        f"created token '{token.name}' ({token.role.value}, teams {describe_teams(token.teams)}),"
        f" id {token.id}"
    )
    print("its secret, shown only this once (send it as 'Authorization: Bearer <secret>'):")
    print(secret)
    return 0


def _token_revoke(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        try:
            token = revoke_token(graph, args.token)
        except NotFound as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 2
    print(f"revoked token '{token.name}' ({token.role.value}), id {token.id}")
    return 0


def _token_list(args: argparse.Namespace) -> int:
    with open_graph() as graph:
        prepare(graph)
        found = tokens.list_tokens(graph)
    for token in found:
        state = "live" if token.revoked_at is None else f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
        created = f"{token.created_at:%Y-%m-%d %H:%M}"
        teams = describe_teams(token.teams)
        print(
            f"{token.id}  {token.name:<20} {token.role.value:<8} teams {teams:<16} "
            f"created {created}  {state}"
        )
    if not found:
        print("no tokens")
    return 0


def _batch_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_BATCH_SIZE:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_BATCH_SIZE:,}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seed", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--reset", action="store_true", help="demo: delete everything first")
    parser.set_defaults(run=_demo)
    commands = parser.add_subparsers(title="commands")

    imports = commands.add_parser("import", help="import record files from a directory")
    imports.add_argument("directory")
    imports.add_argument("--strict", action="store_true", help="any bad record refuses it all")
    imports.add_argument("--batch-size", type=_batch_size, default=DEFAULT_BATCH_SIZE)
    imports.add_argument(
        "--by",
        help="on whose behalf (kept with the recorded changes, beside cli:<OS user>)",
    )
    imports.add_argument("--problems", help="write every bad record to this CSV file")
    imports.add_argument("--show", type=int, default=20, help="bad records to print")
    imports.set_defaults(run=_import)

    exports = commands.add_parser("export", help="export the graph to a directory")
    exports.add_argument("directory")
    exports.add_argument("--format", choices=[f.value for f in ExportFormat], default="csv")
    exports.add_argument("--company", help="only this company's neighbourhood (its id)")
    exports.set_defaults(run=_export)

    synthetic = commands.add_parser("synthetic", help="write a synthetic graph as record files")
    synthetic.add_argument("directory")
    synthetic.add_argument("--people", type=int, default=1000)
    synthetic.add_argument("--seed", type=int, default=7)
    synthetic.add_argument("--format", choices=[f.value for f in FileFormat], default="csv")
    synthetic.set_defaults(run=_synthetic)

    purge = commands.add_parser(
        "purge",
        help="purge deleted items and idempotency keys past their retention (the "
        "server does it every hour)",
    )
    purge.set_defaults(run=_purge)

    erase = commands.add_parser(
        "erase",
        help="erase people for good, as erasePerson does, without the request's time limit "
        "(docs/PRIVACY.md)",
    )
    erase.add_argument("ids", nargs="+", help="the people (`pe_` ids), live or deleted")
    erase.set_defaults(run=_erase)

    replay = commands.add_parser(
        "replay-erasures",
        help="erase again the people of the erasure log (after restoring a backup taken "
        "before their erasure; docs/PRIVACY.md)",
    )
    replay.add_argument("log", nargs="?", help="the erasure log (default: GUANXI_ERASURE_LOG)")
    replay.set_defaults(run=_replay_erasures)

    backup = commands.add_parser(
        "backup", help="back up the embedded engine's database to a .zip (the app may run)"
    )
    backup.add_argument("file", help="the backup file to write (a new .zip)")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore", help="restore a backup into a data directory holding no database"
    )
    restore.add_argument("file", help="a .zip written by `python -m seed backup`")
    restore.add_argument("--data-dir", help="where to restore (default: GUANXI_DATA_DIR)")
    restore.set_defaults(run=_restore)

    token = commands.add_parser("token", help="create, revoke and list API tokens")
    token_commands = token.add_subparsers(title="token commands", required=True)
    create = token_commands.add_parser("create", help="create a token; prints its secret once")
    create.add_argument("--name", required=True, help="unique among live tokens")
    create.add_argument("--role", required=True, choices=[r.value for r in tokens.Role])
    create.add_argument(
        "--teams",
        default=EVERY_CUSTOMER,
        help="the account teams whose customers it reaches, comma-separated (north,east); "
        "'*' (the default): every customer",
    )
    create.set_defaults(run=_token_create)
    revoke = token_commands.add_parser("revoke", help="revoke a live token")
    revoke.add_argument("token", help="its name or id")
    revoke.set_defaults(run=_token_revoke)
    listing = token_commands.add_parser("list", help="every token, live and revoked")
    listing.set_defaults(run=_token_list)

    args = parser.parse_args(argv)
    try:
        # what a command changes is recorded as made by `cli:<OS user>` (the demo's: `seed`);
        # `--by` stays "on behalf of"
        with recorder.recording_as(recorder.command_line()):
            code: int = args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GUANXI_DEBUG") == "1":
            raise
        print(f"error: {_failure(exc)}", file=sys.stderr)
        return 2
    return code


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _database() -> str:
    """The database a command uses, as the user configured it."""
    uri = Neo4jSettings().uri
    if uri:
        return uri
    return f"the embedded engine in {EngineSettings().data_dir}"


def _failure(exc: Exception) -> str:
    """What went wrong, in one line: the expected failures said plainly, anything else with
    its type and how to see the traceback."""
    if isinstance(exc, ServiceUnavailable):
        return f"cannot reach the database at {_database()}: {_one_line(str(exc))}"
    if isinstance(exc, AuthError):
        hint = " (NEO4J_USERNAME, NEO4J_PASSWORD)" if Neo4jSettings().uri else ""
        return f"the database at {_database()} refused the credentials{hint}: {exc.message}"
    if isinstance(exc, Neo4jError):
        return f"the database refused a statement: {exc.code}: {_one_line(exc.message or '')}"
    if isinstance(exc, DriverError):  # a NEO4J_URI of an unknown scheme, among others
        return f"the database connection failed: {_one_line(str(exc))}"
    if isinstance(exc, GuanxiError):
        return _one_line(exc.message)
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        return f"invalid setting ({exc.title}): {problems}"
    if isinstance(exc, EngineError | BackupError | FileError | OSError):
        return _one_line(str(exc))
    return (
        f"{type(exc).__name__}: {_one_line(str(exc))} (run it again with GUANXI_DEBUG=1 "
        "to see the traceback)"
    )


if __name__ == "__main__":
    sys.exit(main())
