"""The values of graph's enums registered under their own GraphQL names (schema/descriptions.py
`describe_values`) all carry a description, and a value left without one is refused."""

from enum import Enum

import pytest
import strawberry

from schema import schema
from schema.descriptions import describe_values


def _shade() -> type[Enum]:
    class Shade(Enum):
        LIGHT = "LIGHT"
        DARK = "DARK"

    return Shade


def test_a_value_left_without_a_description_is_refused() -> None:
    shade = strawberry.enum(_shade(), name="Shade")
    with pytest.raises(ValueError, match=r"Shade: missing \['DARK'\], unknown \[\]"):
        describe_values(shade, LIGHT="Light.")


def test_a_value_the_enum_does_not_have_is_refused() -> None:
    shade = strawberry.enum(_shade(), name="Shade")
    with pytest.raises(ValueError, match=r"unknown \['GREY'\]"):
        describe_values(shade, LIGHT="Light.", DARK="Dark.", GREY="Grey.")


def test_an_enum_not_registered_is_refused() -> None:
    with pytest.raises(TypeError, match="register it with strawberry.enum first"):
        describe_values(_shade(), LIGHT="Light.", DARK="Dark.")


@pytest.mark.parametrize(
    "name",
    [
        "PyramidVerdict",
        "NetworkKind",
        "NetworkMeasure",
        "CallAction",
        "KeyPersonGap",
        "PathStepKind",
        "ReferralDirection",
        "ReferrerOrder",
    ],
)
def test_every_value_is_described(name: str) -> None:
    found = schema.execute_sync(
        "query ($name: String!) { __type(name: $name) { enumValues { name description } } }",
        variable_values={"name": name},
    )
    assert found.data is not None
    values = found.data["__type"]["enumValues"]
    assert values
    assert all(value["description"] for value in values), values
