"""Descriptions of the values of enums that graph/ defines: graph/ never imports Strawberry, so
their values are described here once the enum is registered with `strawberry.enum` (under the
GraphQL name it is given there)."""

from __future__ import annotations

from enum import Enum

from strawberry.types.enum import has_enum_definition


def describe_values(enum: type[Enum], **descriptions: str) -> None:
    """Give each value of an enum registered with `strawberry.enum` its description, by name.
    Every value needs one: a value added later without a description fails at import."""
    if not has_enum_definition(enum):
        raise TypeError(f"{enum.__name__}: register it with strawberry.enum first")
    values = enum.__strawberry_definition__.values
    names = {value.name for value in values}
    if names != descriptions.keys():
        missing, unknown = names - descriptions.keys(), descriptions.keys() - names
        raise ValueError(f"{enum.__name__}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    for value in values:
        value.description = descriptions[value.name]
