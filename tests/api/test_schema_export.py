"""The committed schema.graphql is the schema the code builds, and its descriptions reach
every enum value and page type."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import pytest
from strawberry.printer import print_schema

from schema import schema
from schema.enums import described_enum

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed.strip() == print_schema(schema).strip(), (
        "schema.graphql is out of date: run `make schema` and commit it"
    )


def test_an_enum_member_left_without_a_description_is_refused() -> None:
    class Shade(Enum):
        LIGHT = "LIGHT"
        DARK = "DARK"

    with pytest.raises(ValueError, match="Shade: no description for DARK"):
        described_enum(Shade, "A shade.", {Shade.LIGHT: "Light."})


def test_every_page_type_names_its_items() -> None:
    introspected = schema.execute_sync(
        '{ a: __type(name: "PersonConnection") { description } '
        'b: __type(name: "PersonEdge") { description } }'
    )
    assert introspected.data is not None
    assert "`Person`" in introspected.data["a"]["description"]
    assert "`Person`" in introspected.data["b"]["description"]
