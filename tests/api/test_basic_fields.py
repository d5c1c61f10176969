"""Fields read from an attribute get a lean resolver (schema/__init__.py); fields with a
resolver or a permission keep Strawberry's."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLObjectType
from strawberry.permission import BasePermission

from schema import _lean_basic_fields, schema


class _Refused(BasePermission):
    message = "refused"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Thing:
    plain: str
    guarded: str = strawberry.field(permission_classes=[_Refused])

    @strawberry.field
    def computed(self) -> str:
        return self.plain.upper()


@strawberry.type
class Query:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing(plain="a", guarded="secret")


def _lean(built: strawberry.Schema, type_name: str, field_name: str) -> bool:
    graphql_type = built._schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    resolve = graphql_type.fields[field_name].resolve
    return resolve is not None and resolve.__qualname__.startswith("_attribute.")


def test_only_plain_fields_get_the_lean_resolver_and_answers_are_unchanged() -> None:
    built = strawberry.Schema(query=Query)
    _lean_basic_fields(built)
    assert _lean(built, "Thing", "plain")
    assert not _lean(built, "Thing", "computed")
    assert not _lean(built, "Thing", "guarded")
    result = built.execute_sync("{ thing { plain computed } }")
    assert result.errors is None and result.data == {"thing": {"plain": "a", "computed": "A"}}
    refused = built.execute_sync("{ thing { guarded } }")
    assert refused.errors is not None and refused.errors[0].message == "refused"


def test_the_app_schema_reads_plain_fields_leanly() -> None:
    assert _lean(schema, "Role", "title")
    assert _lean(schema, "OurRelationship", "ourPerson")
    assert not _lean(schema, "Role", "person")  # a resolver method
