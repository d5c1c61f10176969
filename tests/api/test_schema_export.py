"""The committed schema.graphql is the schema the code builds."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed.strip() == print_schema(schema).strip(), (
        "schema.graphql is out of date: run `make schema` and commit it"
    )
