"""Limits on what one GraphQL document may ask: depth, aliases, tokens and an estimated cost.

Each refusal is a LIMIT_EXCEEDED error whose message and `extensions.limit` name the setting
(README, "Limits"). The walks below visit each fragment once (its result is remembered), so
fragments spread inside fragments cannot make them exponential, and a fragment met again while
it is being walked counts as nothing: graphql-core's NoFragmentCyclesRule reports the cycle;
these rules never recurse into it.

The cost estimate: every field costs 1 each time it is resolved, plus its weight (below), and a
field inside a list is resolved once per item, so

    cost(selection) = sum over its fields f of  1 + weight(f) + size(f) * cost(selection of f)

where size(f) is 1 for a field that is not a list, and for a list its `first` or `limit`
argument (or `last`; as written, from the variables, or the default), or for the `edges` and
`nodes` of a connection the connection's `first` or `last` (20, the default page, if absent), or
else, for a list without a page, its documented size in LIST_SIZES (a person's relationships
count as 100, a customer's people as 200: the sizes of a hub and of a large customer on the
benchmark graph) or UNPAGED_LIST_SIZE, 20, for the short lists of values (a change's fields).
A list longer than its documented size is not refused; GUANXI_REQUEST_TIMEOUT bounds what it
costs (graph/db/deadline.py). Sizes are capped at MAX_PAGE_SIZE, since a resolver refuses
more; a size that is not an integer (a float variable) counts at that cap. Fragments on
alternative types all count, so the estimate is an upper bound.

The weight: a resolved field costs about 20 µs of the server's time; the fields in WEIGHTS do far
more (a path search, a whole-graph measure, a history), measured at 100,000 people
(BENCHMARKS.md), and cost that many units more. The searches for paths grow with `maxHops`: their
weight doubles with each hop past two. These are the "heavy" fields: a credential may run at most
GUANXI_MAX_HEAVY_PER_CREDENTIAL operations holding one at a time (HeavySlots, CostLimit).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any, Final, cast

from graphql import (
    BooleanValueNode,
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
    ListValueNode,
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
from strawberry.types.graphql import OperationType

from graph.core.reads import MAX_EXTERNAL_IDS
from graph.db.deadline import deadline
from graph.keypersons.paths import MAX_HOPS
from resolvers.nodes import MAX_NODE_IDS
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
EXTERNAL_ID_LOOKUPS = (
    "companiesByExternalIds",
    "peopleByExternalIds",
    "rolesByExternalIds",
    "relationshipsByExternalIds",
    "companyRelationshipsByExternalIds",
    "referralsByExternalIds",
    "dealsByExternalIds",
    "interactionsByExternalIds",
)
# a list answered item for item from one of these arguments counts at that list's length
ID_LIST_ARGUMENTS = ("ids", "externalIds")
UNPAGED_LIST_SIZE = DEFAULT_PAGE_SIZE  # a list without a page, unless LIST_SIZES says more
# (type, field): lists without a page whose items are records of the graph, at the size of the
# longest on the benchmark graph (100,000 people): a hub's relationships, a large customer
LIST_SIZES: Final[Mapping[tuple[str, str], int]] = {
    ("Person", "relationships"): 100,
    ("Person", "referralsMade"): 50,
    ("Person", "referralsReceived"): 50,
    ("Company", "people"): 200,
    ("Company", "companyRelationships"): 50,
    ("Company", "referralsMade"): 50,
    ("Company", "referralsReceived"): 50,
    ("KeyPersonMap", "entries"): 200,
    ("KeyPersonMap", "plan"): 200,
    ("KeyPersonMap", "mismatches"): 200,
    ("OrgChart", "people"): 200,
    ("OrgChart", "roots"): 200,
    # a manager's direct reports: a tree's levels multiply, so its flat `people` (with each
    # one's managerId) is the way to read a deep chart
    ("OrgChartNode", "reports"): 10,
    ("TierPyramid", "team"): 200,
    ("KeyPersonEntry", "relationships"): 8,
    ("KeyPersonEntry", "roles"): 5,  # a person's current roles at one customer
    ("OrgChartNode", "roles"): 5,
    ("IntroductionPath", "people"): MAX_HOPS + 1,
    ("IntroductionPath", "steps"): MAX_HOPS,
    ("Query", "recentMoves"): 100,
    ("Query", "lifecycleTimeline"): 10,
    # look-ups by a list of ids: as many as asked (ID_LIST_ARGUMENTS), else at most these
    ("Query", "nodes"): MAX_NODE_IDS,
    **{("Query", name): MAX_EXTERNAL_IDS for name in EXTERNAL_ID_LOOKUPS},
}
# Person.roles: with the past ones (the default), or only the current (`includePast: false`)
PAST_ROLES_SIZE, CURRENT_ROLES_SIZE = 20, 3
SIZE_ARGUMENTS = ("first", "limit", "last")
HOPS_ARGUMENT = "maxHops"
# (type, field): the field's weight in units of about 20 µs, from its p50 at 100,000 people
WEIGHTS: Final[Mapping[tuple[str, str], int]] = {
    ("Query", "bestIntroductions"): 2_500,  # x2 a hop past 2: 3 hops 5,000, 4 hops 10,000
    ("Query", "introductionPaths"): 1_250,  # x2 a hop past 2: 4 hops 5,000, 6 hops 20,000
    ("Query", "keyPersonMap"): 2_500,
    ("Query", "orgChart"): 1_000,
    ("Query", "customerChanges"): 1_000,
    ("Query", "recentMoves"): 2_500,
    ("Query", "fadingRelationships"): 2_500,
    ("Query", "relationshipHistory"): 1_500,
    ("Query", "changeHistory"): 1_000,
    ("Query", "relationshipHealth"): 1_000,
    ("Query", "strengthExplanation"): 500,
    ("Query", "referralChain"): 2_000,
    ("Query", "topReferrers"): 1_500,
    ("Query", "referralConversion"): 1_500,
    ("Query", "tierPyramid"): 1_000,
    ("Query", "valueClasses"): 2_000,
    ("Query", "dealDepth"): 1_000,
    ("Query", "networkMeasures"): 5_000,
    ("Query", "relationshipMeasures"): 2_500,
    ("Query", "exportRecords"): 10_000,
    ("Mutation", "importRecords"): 10_000,
}


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
        self.heavy = False  # a field of WEIGHTS was met

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
        size = self._size(node, field.args, SIZE_ARGUMENTS) if sized else None
        type_ = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(type_, GraphQLList):
            documented = self._documented_size(node, parent.name)
            count = next(n for n in (size, pending, documented) if n is not None)
            inner_pending = None
        else:
            count, inner_pending = 1, size
        below = self.of(node.selection_set, get_named_type(field.type), inner_pending)
        return 1 + self._weight(node, parent.name, field.args) + count * below

    def _documented_size(self, node: FieldNode, parent: str) -> int:
        """The size an unpaged list counts at (LIST_SIZES, module docstring)."""
        if (parent, node.name.value) == ("Person", "roles"):
            current_only = any(
                argument.name.value == "includePast"
                and isinstance(argument.value, BooleanValueNode)
                and not argument.value.value
                for argument in node.arguments or ()
            )
            return CURRENT_ROLES_SIZE if current_only else PAST_ROLES_SIZE
        for argument in node.arguments or ():
            if argument.name.value in ID_LIST_ARGUMENTS:
                value = argument.value
                asked = (
                    self._variables.get(value.name.value)
                    if isinstance(value, VariableNode)
                    else value.values
                    if isinstance(value, ListValueNode)
                    else None
                )
                if isinstance(asked, list | tuple):
                    return len(cast("list[Any] | tuple[Any, ...]", asked))
        return LIST_SIZES.get((parent, node.name.value), UNPAGED_LIST_SIZE)

    def _weight(self, node: FieldNode, parent: str, arguments: Mapping[str, Any]) -> int:
        """The field's weight (WEIGHTS), doubled for each hop past two of a path search."""
        weight = WEIGHTS.get((parent, node.name.value), 0)
        if not weight:
            return 0
        self.heavy = True
        if HOPS_ARGUMENT in arguments:
            hops = self._size(node, arguments, (HOPS_ARGUMENT,))
            return weight << max(0, min(hops, MAX_HOPS) - 2)
        return weight

    def _size(self, node: FieldNode, arguments: Mapping[str, Any], names: tuple[str, ...]) -> int:
        """The field's argument of one of `names` as asked (or its default), within
        0..MAX_PAGE_SIZE: the default page when absent, MAX_PAGE_SIZE when it is not a whole
        number (the resolver refuses it, or reads a float variable such as 100.0 as 100)."""
        value: Any = None
        for name in names:
            if name in arguments:
                value = arguments[name].default_value
        for argument in node.arguments or ():
            if argument.name.value in names:
                value = self._value(argument.value)
        if value is None:
            return DEFAULT_PAGE_SIZE  # the page a resolver gives when not asked for one
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return MAX_PAGE_SIZE
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
    return _estimate(schema, document, variables, operation_name)[0]


def _estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> tuple[int, bool]:
    """(the estimated cost, whether the operation holds a heavy field)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0, False
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and isinstance(definition.default_value, IntValueNode):
            values[name] = int(definition.default_value.value)
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0, False
    cost = _Cost(schema, _fragments(document), values)
    return cost.of(operation.selection_set, root, None), cost.heavy


class HeavySlots:
    """How many operations holding a heavy field each credential is running (event loop only)."""

    def __init__(self, per_credential: int) -> None:
        self.per_credential = per_credential
        self._running: dict[Hashable, int] = {}

    def take(self, holder: Hashable) -> bool:
        """Take one of `holder`'s slots; False when all are in use."""
        if self._running.get(holder, 0) >= self.per_credential:
            return False
        self._running[holder] = self._running.get(holder, 0) + 1
        return True

    def give_back(self, holder: Hashable) -> None:
        left = self._running.get(holder, 0) - 1
        if left > 0:
            self._running[holder] = left
        else:
            self._running.pop(holder, None)


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost is over `max_cost`, before it runs, and one
    holding a heavy field while its credential already runs `slots.per_credential` such.

    Runs at validation, after the document rules passed (ValidationCache, listed before it,
    has validated by then; otherwise it validates itself), because the estimate needs the
    variables, which validation rules do not see.
    """

    def __init__(self, max_cost: int, slots: HeavySlots) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.slots = slots
        self._holder: Hashable | None = None
        self._holding = False

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            if self._holding:
                self.slots.give_back(self._holder)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            if context.pre_execution_errors is None:
                context.pre_execution_errors = validate_document(
                    context.schema._schema, document, context.validation_rules
                )
            if not context.pre_execution_errors:
                # an empty list, not None: None would make Strawberry validate again
                context.pre_execution_errors = self._refusals(document)
        yield

    def _refusals(self, document: DocumentNode) -> list[GraphQLError]:
        context = self.execution_context
        try:
            cost, heavy = _estimate(
                context.schema._schema, document, context.variables, context.operation_name
            )
        except RecursionError:
            return [too_nested()]
        if cost > self.max_cost:
            return [
                limit_error(
                    f"the estimated cost of the query is {cost:,}, over the limit of "
                    f"{self.max_cost:,}: ask for smaller pages (`first`) or fewer "
                    "nested lists",
                    "GUANXI_MAX_COST",
                )
            ]
        if heavy:
            principal = getattr(context.context, "principal", None)
            self._holder = principal if isinstance(principal, Hashable) else None
            if not self.slots.take(self._holder):
                return [
                    limit_error(
                        f"this credential already runs {self.slots.per_credential} heavy "
                        "operations (paths, introductions, measures, histories, referral "
                        "chains): try again when one has answered",
                        "GUANXI_MAX_HEAVY_PER_CREDENTIAL",
                    )
                ]
            self._holding = True
        return []


class RequestDeadline(SchemaExtension):
    """Gives each query and mutation GUANXI_REQUEST_TIMEOUT seconds: every statement it runs
    checks the deadline (graph/db/deadline.py). Subscriptions live on: their events are not one
    request."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def on_execute(self) -> Iterator[None]:
        if self.execution_context.operation_type is OperationType.SUBSCRIPTION:
            yield
            return
        with deadline(self.seconds):
            yield
