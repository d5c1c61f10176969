"""Limits on what one GraphQL document may ask: depth, aliases, tokens and an estimated cost.

Each refusal is a LIMIT_EXCEEDED error whose message and `extensions.limit` name the setting
(README, "Limits"). The walks below visit each fragment once (its result is remembered), so
fragments spread inside fragments cannot make them exponential, and a fragment met again while
it is being walked counts as nothing: graphql-core's NoFragmentCyclesRule reports the cycle;
these rules never recurse into it.

The cost estimate: every field costs 1 each time it is resolved, and a field inside a list is
resolved once per item, so

    cost(selection) = sum over its fields f of  1 + size(f) * cost(selection of f)

where size(f) is 1 for a field that is not a list, and for a list its `first` or `limit`
argument (as written, from the variables, or the argument's default), or for the `edges` and
`nodes` of a connection the connection's `first` (the default page size, 20, when absent), or
else DEFAULT_LIST_SIZE; sizes are capped at MAX_PAGE_SIZE, since a resolver refuses more.
Fragments on alternative types all count, so the estimate is an upper bound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
DEFAULT_LIST_SIZE = DEFAULT_PAGE_SIZE  # a list field with no size argument, e.g. Person.roles
SIZE_ARGUMENTS = ("first", "limit")


def limit_error(message: str, setting: str, nodes: Any = None) -> GraphQLError:
    """A refusal naming the setting that sets the limit."""
    return GraphQLError(
        f"{message} ({setting})", nodes, extensions={"code": LIMIT_EXCEEDED, "limit": setting}
    )


def too_nested(nodes: Any = None) -> GraphQLError:
    """For fragments spread inside fragments hundreds deep: too deep to walk, let alone run."""
    return limit_error("fragments are nested too deeply to check", "GUANXI_MAX_DEPTH", nodes)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def _operations(document: DocumentNode) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield definition


class _Shape:
    """Depth (introspection fields not counted) and aliases of selections, fragments once."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._done: dict[str, tuple[int, int]] = {}
        self._walking: set[str] = set()

    def of(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """(depth, aliases) of a selection set."""
        depth = aliases = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                below, inner = self.of(selection.selection_set)
                if not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + below)
                aliases += inner + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                below, inner = self.of(selection.selection_set)
                depth, aliases = max(depth, below), aliases + inner
            elif isinstance(selection, FragmentSpreadNode):
                below, inner = self._fragment(selection.name.value)
                depth, aliases = max(depth, below), aliases + inner
        return depth, aliases

    def _fragment(self, name: str) -> tuple[int, int]:
        if name in self._done:
            return self._done[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._walking:  # unknown or a cycle: reported elsewhere
            return 0, 0
        self._walking.add(name)
        self._done[name] = self.of(fragment.selection_set)
        self._walking.discard(name)
        return self._done[name]


def shape_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing operations deeper than `max_depth` or with more aliases."""

    class ShapeLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            shape = _Shape(_fragments(context.document))
            for operation in _operations(context.document):
                try:
                    depth, aliases = shape.of(operation.selection_set)
                except RecursionError:
                    context.report_error(too_nested(operation))
                    continue
                if depth > max_depth:
                    context.report_error(
                        limit_error(
                            f"the query is {depth} fields deep, over the limit of {max_depth}",
                            "GUANXI_MAX_DEPTH",
                            operation,
                        )
                    )
                if aliases > max_aliases:
                    context.report_error(
                        limit_error(
                            f"the query has {aliases} aliases (fragments counted where they are "
                            f"spread), over the limit of {max_aliases}",
                            "GUANXI_MAX_ALIASES",
                            operation,
                        )
                    )

    return ShapeLimit


class _Cost:
    """The cost estimate of the module docstring, for one document and its variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._variables = variables
        self._done: dict[tuple[str, int | None], int] = {}
        self._walking: set[str] = set()

    def of(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, pending: int | None
    ) -> int:
        """The cost of `selection_set` on `parent`; `pending`: the size of a connection's lists."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, pending)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._schema.get_type(condition.name.value) if condition else parent
                if inner is not None:
                    total += self.of(selection.selection_set, inner, pending)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, pending)
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType, pending: int | None) -> int:
        if node.name.value.startswith("__"):
            return 0  # introspection: bounded by the schema, and off in production
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0
        sized = any(name in field.args for name in SIZE_ARGUMENTS)
        size = self._size(node, field.args) if sized else None
        type_ = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(type_, GraphQLList):
            count = next(n for n in (size, pending, DEFAULT_LIST_SIZE) if n is not None)
            inner_pending = None
        else:
            count, inner_pending = 1, size
        below = self.of(node.selection_set, get_named_type(field.type), inner_pending)
        return 1 + count * below

    def _size(self, node: FieldNode, arguments: Mapping[str, Any]) -> int:
        """The field's `first`/`limit` as asked (or its default), within 0..MAX_PAGE_SIZE."""
        value: Any = None
        for name in SIZE_ARGUMENTS:
            if name in arguments:
                value = arguments[name].default_value
        for argument in node.arguments or ():
            if argument.name.value in SIZE_ARGUMENTS:
                value = self._value(argument.value)
        if not isinstance(value, int) or isinstance(value, bool):
            return DEFAULT_PAGE_SIZE
        return min(max(value, 0), MAX_PAGE_SIZE)

    def _value(self, node: ValueNode) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            return self._variables.get(node.name.value)
        return None

    def _fragment(self, name: str, pending: int | None) -> int:
        key = (name, pending)
        if key in self._done:
            return self._done[key]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._walking:
            return 0
        on = self._schema.get_type(fragment.type_condition.name.value)
        if on is None:
            return 0
        self._walking.add(name)
        self._done[key] = self.of(fragment.selection_set, on, pending)
        self._walking.discard(name)
        return self._done[key]


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> int:
    """The estimated cost of the operation to run (module docstring); 0 if there is none."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and isinstance(definition.default_value, IntValueNode):
            values[name] = int(definition.default_value.value)
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    return _Cost(schema, _fragments(document), values).of(operation.selection_set, root, None)


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost is over `max_cost`, before it runs.

    Runs at validation, after the document rules passed (ValidationCache, listed before it,
    has validated by then; otherwise it validates itself), because the estimate needs the
    variables, which validation rules do not see.
    """

    def __init__(self, max_cost: int) -> None:
        super().__init__()
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            if context.pre_execution_errors is None:
                context.pre_execution_errors = validate_document(
                    context.schema._schema, document, context.validation_rules
                )
            if not context.pre_execution_errors:
                try:
                    cost = estimate_cost(
                        context.schema._schema, document, context.variables, context.operation_name
                    )
                except RecursionError:
                    context.pre_execution_errors = [too_nested()]
                    cost = 0
                if cost > self.max_cost:
                    context.pre_execution_errors = [
                        limit_error(
                            f"the estimated cost of the query is {cost:,}, over the limit of "
                            f"{self.max_cost:,}: ask for smaller pages (`first`) or fewer "
                            "nested lists",
                            "GUANXI_MAX_COST",
                        )
                    ]
        yield
