"""Relay-style connections: edges with cursors, pageInfo and totalCount."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from graph.core.models import Page
from resolvers.pagination import Slice, encode_cursor

NodeT = TypeVar("NodeT")

# The arguments of every paged field (resolvers/pagination.py `window`).
First = Annotated[
    int | None,
    strawberry.argument(description="Page size: 0 to 100; 20 when null or left out."),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor (the previous page's `pageInfo.endCursor`); "
        "null or left out: from the first item."
    ),
]


@strawberry.type(description="Where a page lies in its list, and the cursors at its ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow: pass `endCursor` as `after` to fetch them."
    )
    has_previous_page: bool = strawberry.field(
        description="Items come before this page (it did not start at the first item)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item; null for an empty page."
    )


@strawberry.type
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The item.")
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` for the items after this one."
    )


@strawberry.type
class Connection(Generic[NodeT]):
    """One page of a list; `after: pageInfo.endCursor` fetches the next."""

    edges: list[Edge[NodeT]] = strawberry.field(
        description="The page's items with their cursors, in the list's order."
    )
    page_info: PageInfo = strawberry.field(description="Whether more items follow, and cursors.")
    total_count: int = strawberry.field(
        description="How many items the whole list holds (all pages), not this page."
    )

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(cls, page: Page[Any], convert: Callable[[Any], NodeT]) -> Connection[NodeT]:
        edges = [
            Edge(node=convert(item), cursor=encode_cursor(page.offset + index))
            for index, item in enumerate(page.items)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


def _node_name(graphql_type: GraphQLObjectType, field: str) -> str:
    return str(get_named_type(graphql_type.fields[field].type).name)


def describe_pages(schema: GraphQLSchema) -> None:
    """Give each specialization of Connection and Edge (PersonConnection, PersonEdge, ...) a
    description naming its item type. Strawberry copies a generic type's one description to
    every specialization, and has no way to give each its own, so it is set on the
    GraphQL types the schema built (which the SDL and introspection print)."""
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        definition = (graphql_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryObjectDefinition) or not definition.concrete_of:
            continue
        generic = definition.concrete_of.origin
        if generic is Connection:
            edge = get_named_type(graphql_type.fields["edges"].type)
            assert isinstance(edge, GraphQLObjectType)
            node = _node_name(edge, "node")
            graphql_type.description = (
                f"One page of a list of `{node}`: the items (`nodes`, or `edges` with their "
                "cursors), `pageInfo` to fetch the next page, and the list's `totalCount`."
            )
        elif generic is Edge:
            node = _node_name(graphql_type, "node")
            graphql_type.description = f"One `{node}` of a page, with its cursor."


class BackwardPaging(FieldExtension):
    """Gives a connection field, whose resolver takes `first` and `after`, Relay's `last` and
    `before` too: each request becomes the `first` and `after` that ask for the same items
    (resolvers/pagination.py `Slice`). `last` without `before` needs the list's length
    first: the resolver is then called once more, with `first: 0`."""

    def apply(self, field: StrawberryField) -> None:
        names = [argument.python_name for argument in field.arguments]
        assert "first" in names and "after" in names, f"{field.python_name}: not a connection"
        at = names.index("after") + 1
        field.arguments[at:at] = [
            StrawberryArgument(
                python_name="last",
                graphql_name=None,
                type_annotation=StrawberryAnnotation(int | None),
                description="The last this many items (before `before`, if given; at most "
                "100); not with `first`.",
                default=None,
            ),
            StrawberryArgument(
                python_name="before",
                graphql_name=None,
                type_annotation=StrawberryAnnotation(str | None),
                description="Only items before this cursor (a `pageInfo.startCursor`); "
                "alone, the 20 items just before it.",
                default=None,
            ),
        ]

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        asked = _asked(kwargs)
        if not asked.backward:
            return next_(source, info, **kwargs)
        total = None
        if asked.needs_total:
            total = next_(source, info, **{**kwargs, "first": 0, "after": None}).total_count
        first, after = asked.forward(total)
        return next_(source, info, **{**kwargs, "first": first, "after": after})

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        asked = _asked(kwargs)
        if not asked.backward:
            return await next_(source, info, **kwargs)
        total = None
        if asked.needs_total:
            counted = await next_(source, info, **{**kwargs, "first": 0, "after": None})
            total = counted.total_count
        first, after = asked.forward(total)
        return await next_(source, info, **{**kwargs, "first": first, "after": after})


def _asked(kwargs: dict[str, Any]) -> Slice:
    """The four paging arguments (taking `last` and `before` out of `kwargs`), checked."""
    return Slice(
        first=kwargs.get("first"),
        after=kwargs.get("after"),
        last=kwargs.pop("last", None),
        before=kwargs.pop("before", None),
    )


def backward_paging(field: StrawberryField) -> StrawberryField:
    """Put over a connection field's `@strawberry.field`: gives it `last` and `before`."""
    field.extensions.append(BackwardPaging())
    return field
