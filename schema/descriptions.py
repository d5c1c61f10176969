"""Descriptions shared by the schema's modules: the paging arguments, and the values of enums
that graph/ defines (graph/ never imports Strawberry, so their values are described here once
the enum is registered with `strawberry.enum`)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types.enum import has_enum_definition

from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


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


First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return, 0 to {MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} if "
        "left out."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor (an edge's `cursor`, or "
        "`pageInfo.endCursor` of the page before); from the start if left out."
    ),
]
