"""Scalars the schema parses its own way (the SDL and the serialization stay Strawberry's)."""

from __future__ import annotations

import datetime as dt

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

from graph.core.inputs import checked_instant


def _parse_date_time(value: object) -> object:
    """Strawberry's ISO 8601 parse, then the range every instant must lie in (graph/core/
    inputs.py `checked_instant`). A refusal is a coercion error worded as graphql-core words
    one ("Expected value of type"), so BAD_USER_INPUT in a literal as in a variable."""
    parsed = DateTimeDefinition.parse_value(value) if DateTimeDefinition.parse_value else value
    if isinstance(parsed, dt.datetime):
        try:
            checked_instant(parsed)
        except ValueError as exc:
            raise StrawberryInputCoercionError(
                f"Expected value of type 'DateTime', found \"{value}\": {exc}."
            ) from None
    return parsed


DATE_TIME = ScalarDefinition(
    name=DateTimeDefinition.name,
    description="An instant in ISO 8601, e.g. `2025-05-01T09:30:00+08:00` (without an offset: "
    "UTC), from 1900-01-01 up to 9999-01-01 UTC.",
    specified_by_url=DateTimeDefinition.specified_by_url,
    serialize=DateTimeDefinition.serialize,
    parse_value=_parse_date_time,
    parse_literal=None,
    origin=dt.datetime,
)

SCALARS: dict[object, ScalarDefinition] = {dt.datetime: DATE_TIME}
