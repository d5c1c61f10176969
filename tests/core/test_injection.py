"""Cypher injection: payloads in every String and ID argument change nothing they should not.

Every query and mutation field with a String or ID argument (also inside input objects, and
optional ones such as a filter's `search`) gets each payload in each such argument in turn,
through the API, on a small graph whose ids fill the other arguments. Queries must leave the
node and edge counts as they were; a mutation may change them only as it does with a harmless
string in the same place (or not at all, when it refuses: an edge between the same two ends
already made by the harmless run is a CONFLICT, so there the payload stops at that check).
No payload may cause an internal error. (The statements cannot be built from input in the
first place: Graph.read, Graph.write and Tx.run take `LiteralString`, which mypy enforces.)
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_composite_type,
    is_required_argument,
    is_required_input_field,
)
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.db.connection import Graph
from schema import schema
from tests import factories
from tests.conftest import counts, data, gql

PAYLOADS = (
    "'\"`\\",  # quotes, backtick, backslash
    "' OR 1=1 //",
    '" OR ""="',
    "}) DETACH DELETE n //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "` DETACH DELETE n //",
    "关系'); MATCH (n) SET n.name = 'x' // {x: 1}}\u202e\U0001f600",
)
HARMLESS = "plain text"
SCALARS: dict[str, Any] = {
    "Int": 1,
    "Float": 0.5,
    "Boolean": False,
    "Date": "2025-01-15",
    "DateTime": "2025-01-15T09:00:00+00:00",
    "JSON": None,
}
Path = tuple[str, ...]
CORE = schema._schema


def _strings(type_: GraphQLInputType, depth: int = 0) -> list[Path]:
    """Paths to the String and ID slots within a value of `type_` (input objects 3 deep)."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType) and named.name in ("String", "ID"):
        return [()]
    if isinstance(named, GraphQLInputObjectType) and depth < 3:
        return [
            (name, *rest)
            for name, field in named.fields.items()
            for rest in _strings(field.type, depth + 1)
        ]
    return []


def _fields(root: str) -> list[str]:
    parent = CORE.mutation_type if root == "mutation" else CORE.query_type
    assert parent is not None
    return [
        name
        for name, field in parent.fields.items()
        if any(_strings(argument.type) for argument in field.args.values())
    ]


class _Ids:
    """The small graph's ids, chosen for an argument by its name and its field's name."""

    def __init__(self, graph: Graph, client: TestClient) -> None:
        self.ours = factories.company(graph, "Ours", isOurs=True)
        self.theirs = factories.company(graph, "Theirs")
        self.people = [factories.person(graph, name) for name in ("Ann", "Bo", "Cai")]
        self.role = factories.role(graph, self.people[2], self.theirs)
        factories.role(graph, self.people[0], self.ours)  # so that Ann can log interactions
        self.relationship = factories.knows(graph, self.people[0], self.people[2], 0.6)
        self.company_relationship = writes.create_edge(
            graph,
            kinds.COMPANY_RELATIONSHIP,
            self.ours,
            self.theirs,
            kinds.COMPANY_RELATIONSHIP.checked({"tier": "PARTNERSHIP", "strength": 0.5}),
        ).id
        self.referral = writes.create_edge(
            graph,
            kinds.REFERRAL,
            self.people[1],
            self.theirs,
            kinds.REFERRAL.checked({"date": "2024-05-01"}),
        ).id
        self.deal = data(
            client,
            """mutation ($c: ID!) { recordDeal(input: {companyId: $c, amount: 1000,
                 currency: "CNY", date: "2025-01-01", productLine: "Consulting"}) { id } }""",
            c=self.theirs,
        )["recordDeal"]["id"]

    def pick(self, argument: str, field: str) -> str:
        by_argument = {
            "fromCompanyId": self.ours,
            "toCompanyId": self.theirs,
            "companyId": self.theirs,
            "personId": self.people[0],
            "fromPersonId": self.people[0],
            "fromId": self.people[0],
            "a": self.people[0],
            "referrerId": self.people[0],
            "toPersonId": self.people[1],
            "toId": self.people[1],
            "b": self.people[1],
            "managerId": self.people[1],
            "referredId": self.people[1],
            "relationshipId": self.relationship,
            "subjectId": self.relationship,
        }
        if argument in by_argument:
            return by_argument[argument]
        if argument.startswith("their"):
            return self.people[2]
        by_field = (
            ("CompanyRelationship", self.company_relationship),
            ("Relationship", self.relationship),
            ("Role", self.role),
            ("Referral", self.referral),
            ("Deal", self.deal),
            ("Compan", self.theirs),
        )
        for part, id_ in by_field:
            if part.lower() in field.lower():
                return id_
        return self.people[0]


def _value(
    type_: GraphQLInputType, name: str, field: str, ids: _Ids, slot: Path | None, payload: str
) -> Any:
    """A value for `type_`: the payload where `slot` ends, an ordinary value elsewhere."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, name, field, ids, slot, payload)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, name, field, ids, slot, payload)]
    if isinstance(type_, GraphQLInputObjectType):
        chosen = {
            key: entry
            for key, entry in type_.fields.items()
            if (slot and slot[0] == key) or is_required_input_field(entry)
        }
        if type_.is_one_of and not chosen:
            chosen = dict(list(type_.fields.items())[:1])
        return {
            key: _value(
                entry.type, key, field, ids, slot[1:] if slot and slot[0] == key else None, payload
            )
            for key, entry in chosen.items()
        }
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    if type_.name in ("String", "ID"):
        if slot == ():
            return payload
        return ids.pick(name, field) if type_.name == "ID" or name.endswith("Id") else HARMLESS
    return SCALARS[type_.name]


def _operation(root: str, name: str, field: GraphQLField) -> str:
    chosen = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = " { __typename }" if is_composite_type(get_named_type(field.type)) else ""
    head = f"{root} ({chosen})" if chosen else root
    return f"{head} {{ {name}({passed}){selection} }}"


def _variables(
    name: str, arguments: dict[str, GraphQLArgument], ids: _Ids, slot: Path, payload: str
) -> dict[str, Any]:
    """The required arguments filled, the one holding the slot with the payload; others unset."""
    return {
        arg: _value(argument.type, arg, name, ids, slot[1:] if slot[0] == arg else None, payload)
        for arg, argument in arguments.items()
        if slot[0] == arg or is_required_argument(argument)
    }


def _call(
    client: TestClient, root: str, name: str, slot: Path, payload: str, ids: _Ids
) -> dict[str, Any]:
    parent = CORE.mutation_type if root == "mutation" else CORE.query_type
    assert parent is not None
    field = parent.fields[name]
    variables = _variables(name, field.args, ids, slot, payload)
    body = gql(client, _operation(root, name, field), **variables)
    internal = [e for e in body.get("errors", []) if e["extensions"]["code"] == "INTERNAL"]
    assert not internal, (name, slot, payload, internal)
    return body


def _slots(root: str, name: str) -> list[Path]:
    parent = CORE.mutation_type if root == "mutation" else CORE.query_type
    assert parent is not None
    return [
        (arg, *rest)
        for arg, argument in parent.fields[name].args.items()
        for rest in _strings(argument.type)
    ]


def test_every_string_argument_is_covered() -> None:
    queries, mutations = _fields("query"), _fields("mutation")
    assert {"people", "companies", "person", "interactions"} <= set(queries)
    assert {"createCompany", "updatePerson", "upsertRole", "deleteDeal"} <= set(mutations)
    assert ("filter", "search") in _slots("query", "people")
    assert ("input", "name") in _slots("mutation", "createCompany")


@pytest.mark.slow
@pytest.mark.parametrize("name", _fields("query"))
def test_payloads_in_query_arguments_change_nothing(
    client: TestClient, graph: Graph, name: str
) -> None:
    ids = _Ids(graph, client)
    before = counts(graph)
    for slot in _slots("query", name):
        for payload in PAYLOADS:
            _call(client, "query", name, slot, payload, ids)
    assert counts(graph) == before


# An interaction links to the one before it between the same people: the second adds an edge.
CHAIN_EDGES = {"logInteraction": 1}


@pytest.mark.slow
@pytest.mark.parametrize("name", _fields("mutation"))
def test_payloads_in_mutation_arguments_change_only_what_the_mutation_does(
    client: TestClient, graph: Graph, name: str
) -> None:
    ids = _Ids(graph, client)
    for slot in _slots("mutation", name):
        before = counts(graph)
        _call(client, "mutation", name, slot, HARMLESS, ids)
        after = counts(graph)
        nodes, edges = after[0] - before[0], after[1] - before[1]
        for payload in PAYLOADS:
            before = counts(graph)
            _call(client, "mutation", name, slot, payload, ids)
            after = counts(graph)
            change = (after[0] - before[0], after[1] - before[1])
            assert change[0] in {0, nodes}, (name, slot, payload, change, (nodes, edges))
            assert min(0, edges) <= change[1] <= max(0, edges) + CHAIN_EDGES.get(name, 0), (
                name,
                slot,
                payload,
                change,
                (nodes, edges),
            )
