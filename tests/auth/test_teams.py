"""Account teams: a credential scoped to teams sees its customers and ours, and nothing of the
others, through every field of the schema (graph/auth/scope.py, schema/scope.py).

Two teams, north and south, each with a customer; a third customer belongs to no team. Every
root field of Query is asked by a north credential with arguments naming what it sees and what
it does not, with a selection of everything the field's type offers (generated from the
schema, a few levels deep); no name, id or external id of south's or the unassigned customer's
world may appear in any answer.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from websockets.sync.client import connect

from graph.auth.credentials import Principal
from graph.auth.tokens import Role
from graph.db.connection import Graph
from graph.db.settings import ApiSettings
from resolvers.context import Context
from schema import build_schema
from schema.scope import RULES, rules_table
from tests.conftest import ADMIN, auth_headers, make_app
from tests.live_server import served_in_a_thread
from tests.snapshot import Snapshot, snapshot

ROOMY = build_schema(
    ApiSettings(max_depth=30, max_cost=1_000_000_000, max_aliases=100_000, max_tokens=1_000_000)
)
NORTH = Principal(subject="planner-north", role=Role.ADMIN, via="jwt", teams=frozenset({"north"}))
BOTH = Principal(subject="both", role=Role.ADMIN, via="jwt", teams=frozenset({"north", "south"}))


def run(graph: Graph, document: str, principal: Principal = ADMIN, **variables: Any) -> Any:
    """The operation's result as JSON-ready data (data and errors)."""
    result = asyncio.run(
        ROOMY.execute(document, variable_values=variables, context_value=Context(graph, principal))
    )
    errors = [
        {"message": e.message, "code": (e.extensions or {}).get("code")}
        for e in result.errors or []
    ]
    return {"data": result.data, "errors": errors}


def ok(graph: Graph, document: str, principal: Principal = ADMIN, **variables: Any) -> Any:
    answer = run(graph, document, principal, **variables)
    assert not answer["errors"], answer["errors"]
    return answer["data"]


@dataclass
class World:
    """Ids by key; `hidden` the values a north credential must never read."""

    ids: dict[str, str] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)


def _company(graph: Graph, name: str, **fields: Any) -> str:
    data = ok(
        graph,
        "mutation ($e: String!, $i: CompanyInput!) { upsertCompany(externalId: $e, input: $i) "
        "{ id } }",
        e=f"ext-{name}",
        i={"name": name, **fields},
    )
    return str(data["upsertCompany"]["id"])


def _person(graph: Graph, name: str) -> str:
    data = ok(
        graph,
        "mutation ($e: String!, $i: PersonInput!) { upsertPerson(externalId: $e, input: $i) "
        "{ id } }",
        e=f"ext-{name}",
        i={"name": name, "email": f"{name.lower()}@example.com"},
    )
    return str(data["upsertPerson"]["id"])


def _edge(graph: Graph, mutation: str, input_type: str, **fields: Any) -> str:
    data = ok(graph, f"mutation ($i: {input_type}!) {{ {mutation}(input: $i) {{ id }} }}", i=fields)
    return str(data[mutation]["id"])


@pytest.fixture
def world(graph: Graph) -> World:
    w = World()
    ids = w.ids
    ids["ours"] = _company(graph, "Ours", isOurs=True)
    ids["acme"] = _company(graph, "Acme", teams=["north"])
    ids["zenith"] = _company(graph, "Zenith", teams=["south"])
    ids["nomad"] = _company(graph, "Nomad")
    for key, name, at in [
        ("li", "Li", "ours"),
        ("ann", "Ann", "acme"),
        ("bob", "Bob", "acme"),
        ("cora", "Cora", "acme"),
        ("zed", "Zorro", "zenith"),
        ("yan", "Yannick", "zenith"),
        ("nora", "Noralee", "nomad"),
    ]:
        ids[key] = _person(graph, name)
        ids[f"role-{key}"] = _edge(
            graph,
            "createRole",
            "RoleInput",
            personId=ids[key],
            companyId=ids[at],
            title=f"Title of {name}",
            isKeyPerson=True,
            seniority="EXECUTIVE",
        )
    for a, b, strength in [
        ("li", "ann", 0.8),
        ("li", "zed", 0.9),
        ("ann", "zed", 0.7),
        ("bob", "ann", 0.5),
        ("li", "nora", 0.6),
        ("zed", "cora", 0.9),  # only the south's Zorro knows Cora: a path to her runs through him
    ]:
        ids[f"{a}-{b}"] = _edge(
            graph,
            "createRelationship",
            "PersonRelationshipInput",
            fromPersonId=ids[a],
            toPersonId=ids[b],
            tier="FRIEND",
            strength=strength,
            notes=f"notes of {a} and {b}",
        )
    for a, b in [("ours", "acme"), ("ours", "zenith"), ("acme", "zenith")]:
        ids[f"{a}-{b}"] = _edge(
            graph,
            "createCompanyRelationship",
            "CompanyRelationshipInput",
            fromCompanyId=ids[a],
            toCompanyId=ids[b],
            tier="PARTNERSHIP",
            strength=0.5,
        )
    ok(  # a change recorded in each relationship's history
        graph,
        "mutation ($a: ID!, $b: ID!) { a: updateRelationship(id: $a, input: {strength: 0.85}) "
        "{ id } b: updateRelationship(id: $b, input: {strength: 0.95}) { id } }",
        a=ids["li-ann"],
        b=ids["li-zed"],
    )
    for key, ours, theirs, company in [
        ("met-ann", ["li"], ["ann"], "acme"),
        ("met-zed", ["li"], ["zed"], "zenith"),
        ("met-both", ["li"], ["ann", "zed"], None),  # a meeting with both customers' people
    ]:
        data = ok(
            graph,
            "mutation ($i: InteractionInput!) { logInteraction(input: $i) { id } }",
            i={
                "kind": "MEETING",
                "at": "2026-11-01T10:00:00Z",
                "ourPersonIds": [ids[p] for p in ours],
                "theirPersonIds": [ids[p] for p in theirs],
                "companyId": None if company is None else ids[company],
                "summary": f"summary of {key}",
                "externalId": f"ext-{key}",
            },
        )
        ids[key] = data["logInteraction"]["id"]
    for key, company in [("deal-acme", "acme"), ("deal-zenith", "zenith")]:
        ids[key] = _edge(
            graph,
            "recordDeal",
            "DealInput",
            companyId=ids[company],
            amount=1000,
            date="2026-10-01",
            productLine=f"line of {key}",
            externalId=f"ext-{key}",
        )
    for key, a, b in [("ref-ann-zed", "ann", "zed"), ("ref-ann-bob", "ann", "bob")]:
        ids[key] = _edge(
            graph,
            "createReferral",
            "ReferralInput",
            referrerId=ids[a],
            referredId=ids[b],
            date="2026-09-01",
            note=f"note of {key}",
        )
    for report, manager in (("yan", "zed"), ("cora", "zed")):  # Cora, north's, reports to Zorro
        ok(
            graph,
            "mutation ($p: ID!, $m: ID!) { setReportingLine(personId: $p, managerId: $m) { id } }",
            p=ids[report],
            m=ids[manager],
        )
    # Samwise worked at Acme and has moved to Zenith: north sees him, but he is south's now
    ids["sam"] = _person(graph, "Samwise")
    for key, company, end in (
        ("role-sam-acme", "acme", "2024-01-01"),
        ("role-sam-zen", "zenith", None),
    ):
        ids[key] = _edge(
            graph,
            "createRole",
            "RoleInput",
            personId=ids["sam"],
            companyId=ids[company],
            title=f"Title of Sam at {company}",
            startDate="2020-01-01" if end else "2024-02-01",
            endDate=end,
        )
    south = ["zenith", "nomad", "zed", "yan", "nora"]
    south += [k for k in ids if any(s in k for s in ("zed", "zenith", "nora", "yan", "both"))]
    south += ["role-sam-zen"]
    for key in south:
        w.hidden.add(ids[key])
    w.hidden |= {"Zenith", "Nomad", "Zorro", "Yannick", "Noralee", "ext-Zenith", "ext-Zorro"}
    w.hidden |= {"zorro@example.com", "notes of li and zed", "summary of met-zed"}
    w.hidden |= {"line of deal-zenith", "note of ref-ann-zed", "ext-met-zed", "ext-deal-zenith"}
    w.hidden |= {ids["met-both"], "summary of met-both", "ext-met-both", "notes of zed and cora"}
    w.hidden |= {"Title of Sam at zenith"}
    w.seen = {ids[k] for k in ids if ids[k] not in w.hidden}
    return w


def _leaks(answer: Any, hidden: set[str], sent: Collection[str] = ()) -> set[str]:
    """The hidden values in the answer's data, and in its errors beyond the ids it was sent."""
    data = json.dumps(answer["data"], ensure_ascii=False)
    errors = json.dumps(answer["errors"], ensure_ascii=False)
    return {v for v in hidden if v in data} | {v for v in hidden - set(sent) if v in errors}


# ---- the selection of everything a type offers, from the schema ----


def _callable(f: GraphQLField) -> bool:
    """A field that can be selected without arguments."""
    return all(
        not isinstance(arg.type, GraphQLNonNull) or arg.default_value is not Undefined
        for arg in f.args.values()
    )


def selection(type_: Any, depth: int, alias: str = "") -> str:
    """Every field of `type_` that needs no argument, `depth` levels of objects deep; inside a
    type condition each field gets an alias of its type's name (fields of the same name but
    other types in sibling fragments would conflict)."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        possible = ROOMY._schema.get_possible_types(named)
        parts = [f"... on {t.name} {{ {selection(t, depth, f'{t.name}_')} }}" for t in possible]
        return "__typename " + " ".join(parts)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, f in named.fields.items():
        if not _callable(f):
            continue
        inner = get_named_type(f.type)
        label = f"{alias}{name}: {name}" if alias else name
        if is_leaf_type(inner):
            parts.append(label)
        elif depth > 0:
            parts.append(f"{label} {{ {selection(inner, depth - 1)} }}")
    return " ".join(parts) or "__typename"


DEPTH = 3

# Each root field of Query with the argument sets a north credential asks it with: keys of the
# world's ids are written `@key`. A field missing here fails
# test_every_query_field_is_asked_and_has_a_rule.
ASKS: dict[str, list[dict[str, Any]]] = {
    "company": [{"id": "@acme"}, {"id": "@zenith"}, {"id": "@ours"}],
    "companyByExternalId": [{"externalId": "ext-Acme"}, {"externalId": "ext-Zenith"}],
    "companiesByExternalIds": [{"externalIds": ["ext-Acme", "ext-Zenith", "ext-Nomad"]}],
    "person": [{"id": "@ann"}, {"id": "@zed"}, {"id": "@li"}],
    "personByExternalId": [{"externalId": "ext-Ann"}, {"externalId": "ext-Zorro"}],
    "peopleByExternalIds": [{"externalIds": ["ext-Ann", "ext-Zorro", "ext-Li"]}],
    "role": [{"id": "@role-ann"}, {"id": "@role-zed"}],
    "rolesByExternalIds": [{"externalIds": ["none"]}],
    "relationship": [
        {"id": "@li-ann"},
        {"id": "@li-zed"},
        {"id": "@li-zed", "asOf": "2026-12-01T00:00:00Z"},
    ],
    "relationshipsByExternalIds": [{"externalIds": ["none"]}],
    "companyRelationship": [{"id": "@ours-acme"}, {"id": "@acme-zenith"}],
    "companyRelationshipsByExternalIds": [{"externalIds": ["none"]}],
    "referral": [{"id": "@ref-ann-bob"}, {"id": "@ref-ann-zed"}],
    "referralsByExternalIds": [{"externalIds": ["none"]}],
    "interaction": [{"id": "@met-ann"}, {"id": "@met-zed"}],
    "interactionsByExternalIds": [{"externalIds": ["ext-met-ann", "ext-met-zed"]}],
    "dealsByExternalIds": [{"externalIds": ["ext-deal-acme", "ext-deal-zenith"]}],
    "node": [{"id": "@ann"}, {"id": "@zed"}, {"id": "@met-zed"}, {"id": "@deal-zenith"}],
    "nodes": [{"ids": ["@ann", "@zed", "@zenith", "@li-zed", "@role-zed", "@ref-ann-zed"]}],
    "companies": [{}, {"filter": {"search": "e"}}, {"filter": {"team": "south"}}],
    "people": [
        {},
        {"filter": {"search": "o"}},
        {"filter": {"search": "zorro"}},
        {"filter": {"companyId": "@acme"}},
        {"filter": {"companyId": "@zenith"}},
    ],
    "roles": [
        {},
        {"filter": {"companyId": "@acme"}},
        {"filter": {"companyId": "@zenith"}},
        {"filter": {"personId": "@li", "includePast": True}},
    ],
    "relationships": [
        {},
        {"filter": {"personId": "@li"}},
        {"filter": {"personId": "@ann"}},
        {"filter": {"personId": "@zed"}},
    ],
    "companyRelationships": [
        {},
        {"filter": {"companyId": "@acme"}},
        {"filter": {"companyId": "@ours"}},
    ],
    "referrals": [{}],
    "interactions": [
        {"filter": {"companyId": "@acme"}},
        {"filter": {"personId": "@li"}},
        {"filter": {"relationshipId": "@li-ann"}},
        {"filter": {"relationshipId": "@li-zed"}},
    ],
    "deals": [{}, {"companyId": "@acme"}, {"companyId": "@zenith"}],
    "deletedItems": [{}],
    "keyPersonMap": [{"companyId": "@acme"}, {"companyId": "@zenith"}],
    "orgChart": [{"companyId": "@acme"}, {"companyId": "@zenith"}],
    "lifecycleTimeline": [{"companyId": "@acme"}, {"companyId": "@zenith"}],
    "dealDepth": [{"companyId": "@acme"}, {"companyId": "@zenith"}],
    "customerChanges": [
        {"companyId": "@acme", "from": "2020-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}
    ],
    "relationshipMeasures": [{"companyId": "@acme"}],
    "fadingRelationships": [{"companyId": "@acme"}, {}],
    "exportRecords": [{"companyId": "@acme", "format": fmt} for fmt in ("CSV", "JSONL", "GRAPHML")]
    + [{"format": "JSONL"}],
    "changeHistory": [{"subjectId": "@li-ann"}, {"subjectId": "@li-zed"}, {"subjectId": "@zed"}],
    "relationshipHistory": [{"a": "@li", "b": "@ann"}, {"a": "@li", "b": "@zed"}],
    "strengthExplanation": [{"relationshipId": "@li-ann"}],
    "relationshipHealth": [{"relationshipId": "@li-ann"}],
    "recentMoves": [{}],
    "introductionPaths": [
        {"fromPersonId": "@li", "toPersonId": "@bob"},
        {"fromPersonId": "@li", "toPersonId": "@cora"},
        {"fromPersonId": "@li", "toPersonId": "@cora", "via": ["RELATIONSHIP", "COLLEAGUE"]},
    ],
    "bestIntroductions": [
        {"toPersonId": "@bob"},
        {"toPersonId": "@cora"},
        {"toCompanyId": "@acme"},
    ],
    "referralChain": [{"fromId": "@ann"}],
    "topReferrers": [{}],
    "referralConversion": [{}],
    "valueClasses": [{}],
    "networkMeasures": [
        {"network": "RELATIONSHIPS"},
        {"network": "REFERRALS"},
        {"network": "RELATIONSHIPS", "companyId": "@acme"},
    ],
    "tierPyramid": [{"companyId": "@acme"}],
}


def _value(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_value(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, ids) for k, v in value.items()}
    return value


def _query(name: str, args: dict[str, Any]) -> str:
    """The operation asking root field `name` with `args` (as variables) and every field."""
    assert ROOMY._schema.query_type
    f = ROOMY._schema.query_type.fields[name]
    declared = [f"${a}: {f.args[a].type}" for a in args]
    passed = [f"{a}: ${a}" for a in args]
    head = f"query ({', '.join(declared)})" if declared else "query"
    call = f"{name}({', '.join(passed)})" if passed else name
    inner = selection(f.type, DEPTH)
    body = f"{call} {{ {inner} }}" if inner else call
    return f"{head} {{ {body} }}"


def test_every_query_field_is_asked_and_has_a_rule() -> None:
    assert ROOMY._schema.query_type and ROOMY._schema.mutation_type
    fields = set(ROOMY._schema.query_type.fields)
    assert set(ASKS) == fields
    assert set(RULES["Query"]) == fields
    assert set(RULES["Mutation"]) == set(ROOMY._schema.mutation_type.fields)
    assert set(RULES["Subscription"]) == set(ROOMY._schema.subscription_type.fields)  # type: ignore[union-attr]


def test_a_north_credential_reads_nothing_of_the_south_through_any_field(
    world: World, graph: Graph
) -> None:
    leaks: dict[str, set[str]] = {}
    answered = 0
    for name, variants in ASKS.items():
        for args in variants:
            document = _query(name, args)
            values = _value(args, world.ids)
            answer = run(graph, document, NORTH, **values)
            sent = set(json.dumps(values).split('"'))
            found = _leaks(answer, world.hidden, sent)
            if found:
                leaks[f"{name}({args})"] = found
            if answer["data"] is not None and not answer["errors"]:
                answered += 1
    assert not leaks, leaks
    assert answered > 30  # most asks get an answer: the fields are not simply refused


def test_the_same_asks_by_a_credential_of_both_teams_do_read_the_south(
    world: World, graph: Graph
) -> None:
    """The leak check can fail: with both teams, the south's names come back."""
    found: set[str] = set()
    for name, variants in ASKS.items():
        for args in variants:
            document = _query(name, args)
            answer = run(graph, document, BOTH, **_value(args, world.ids))
            found |= _leaks(answer, world.hidden)
    assert {"Zenith", "Zorro", "Yannick", "summary of met-zed"} <= found


def test_a_scoped_credentials_figures_count_only_what_it_sees(world: World, graph: Graph) -> None:
    strength = "query ($id: ID!) { relationship(id: $id) { strength } }"
    ties = {
        k: ok(graph, strength, id=world.ids[k])["relationship"]["strength"]
        for k in ("li-ann", "li-zed", "li-nora")
    }
    query = "query ($id: ID!) { person(id: $id) { relationshipCount strongestTie } }"
    li = world.ids["li"]
    everyone = {"relationshipCount": 3, "strongestTie": max(ties.values())}
    assert ok(graph, query, ADMIN, id=li)["person"] == everyone
    north = {"relationshipCount": 1, "strongestTie": ties["li-ann"]}
    assert ok(graph, query, NORTH, id=li)["person"] == north
    page = "{ people { nodes { name relationshipCount strongestTie } } }"
    found = {p["name"]: p for p in ok(graph, page, NORTH)["people"]["nodes"]}
    assert found["Li"] == {"name": "Li", **north}


def test_companies_carry_their_teams_and_a_team_filter(world: World, graph: Graph) -> None:
    query = "query ($t: String) { companies(filter: {team: $t}) { nodes { name teams } } }"
    assert ok(graph, query, ADMIN, t="south")["companies"]["nodes"] == [
        {"name": "Zenith", "teams": ["south"]}
    ]
    names = [c["name"] for c in ok(graph, query, NORTH)["companies"]["nodes"]]
    assert names == ["Acme", "Ours"]
    assert len(ok(graph, query, ADMIN)["companies"]["nodes"]) == 4


def test_paths_run_only_through_people_the_credential_sees(world: World, graph: Graph) -> None:
    """Only the south's Zorro knows Cora: an admin is introduced through him, north is not (and
    reaches Bob through Ann, whom it sees)."""
    ids = world.ids
    query = """query ($a: ID!, $b: ID!) {
      introductionPaths(fromPersonId: $a, toPersonId: $b) { people { name } }
    }"""

    def names(principal: Principal, to: str) -> list[list[str]]:
        found = ok(graph, query, principal, a=ids["li"], b=ids[to])["introductionPaths"]
        return [[p["name"] for p in path["people"]] for path in found]

    assert ["Li", "Zorro", "Cora"] in names(ADMIN, "cora")
    assert names(NORTH, "cora") == []
    assert ["Li", "Ann", "Bob"] in names(NORTH, "bob")


# ---- writes ----

PROTOCOL = "graphql-transport-ws"
NORTH_PLANNER = Principal("planner-north", Role.PLANNER, "jwt", teams=frozenset({"north"}))

# Each write a north planner may make at its own customer, and the same aimed at the south's:
# (document, the north's variables, the south's), variables written `@key`.
WRITES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "createRole": (
        "mutation ($p: ID!, $c: ID!) { createRole(input: {personId: $p, companyId: $c, "
        'title: "Adviser"}) { id } }',
        {"p": "@li", "c": "@acme"},
        {"p": "@li", "c": "@zenith"},
    ),
    "updateRole": (
        'mutation ($id: ID!) { updateRole(id: $id, input: {title: "Chief"}) { id } }',
        {"id": "@role-ann"},
        {"id": "@role-zed"},
    ),
    "createRelationship": (
        "mutation ($a: ID!, $b: ID!) { createRelationship(input: {fromPersonId: $a, "
        "toPersonId: $b, tier: ACQUAINTANCE, strength: 0.3}) { id } }",
        {"a": "@li", "b": "@bob"},
        {"a": "@li", "b": "@yan"},
    ),
    "updateRelationship": (
        "mutation ($id: ID!) { updateRelationship(id: $id, input: {strength: 0.1}) { id } }",
        {"id": "@li-ann"},
        {"id": "@li-zed"},
    ),
    "logInteraction": (
        'mutation ($o: [ID!]!, $t: [ID!]!) { logInteraction(input: {kind: CALL, at: "2026-11-'
        '02T10:00:00Z", ourPersonIds: $o, theirPersonIds: $t}) { id } }',
        {"o": ["@li"], "t": ["@ann"]},
        {"o": ["@li"], "t": ["@ann", "@zed"]},
    ),
    "setReportingLine": (
        "mutation ($p: ID!, $m: ID!) { setReportingLine(personId: $p, managerId: $m) { id } }",
        {"p": "@bob", "m": "@ann"},
        {"p": "@yan", "m": "@zed"},
    ),
    # Cora is north's, but her line runs to the south's Zorro: not north's to replace
    "setReportingLine over a line to the south": (
        "mutation ($p: ID!, $m: ID!) { setReportingLine(personId: $p, managerId: $m) { id } }",
        {"p": "@bob", "m": "@ann"},
        {"p": "@cora", "m": "@ann"},
    ),
    # Samwise left Acme for Zenith: an interaction with him is written into Zenith's record
    "logInteraction with someone now at the south": (
        'mutation ($o: [ID!]!, $t: [ID!]!) { logInteraction(input: {kind: CALL, at: "2026-11-'
        '02T10:00:00Z", ourPersonIds: $o, theirPersonIds: $t}) { id } }',
        {"o": ["@li"], "t": ["@bob"]},
        {"o": ["@li"], "t": ["@sam"]},
    ),
    # an external id the south's interaction holds: no replay of it, and no id in the answer
    "logInteraction replaying the south's": (
        "mutation ($o: [ID!]!, $t: [ID!]!, $e: String!) { logInteraction(input: {kind: CALL, "
        'at: "2026-11-02T10:00:00Z", ourPersonIds: $o, theirPersonIds: $t, externalId: $e}) '
        "{ id } }",
        {"o": ["@li"], "t": ["@ann"], "e": "ext-north-call"},
        {"o": ["@li"], "t": ["@ann"], "e": "ext-met-zed"},
    ),
}
ADMIN_WRITES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "deleteRelationship": (
        "mutation ($id: ID!) { deleteRelationship(id: $id) }",
        {"id": "@bob-ann"},
        {"id": "@ann-zed"},
    ),
    "removeReportingLine": (
        "mutation ($p: ID!) { removeReportingLine(personId: $p) }",
        {"p": "@bob"},
        {"p": "@yan"},
    ),
    "recordDeal": (
        'mutation ($c: ID!) { recordDeal(input: {companyId: $c, amount: 5, date: "2026-11-01", '
        'productLine: "x"}) { id } }',
        {"c": "@acme"},
        {"c": "@zenith"},
    ),
    "updatePerson": (
        'mutation ($id: ID!) { updatePerson(id: $id, input: {phone: "123"}) { id } }',
        {"id": "@ann"},
        {"id": "@zed"},
    ),
    "updatePerson who moved to the south": (
        'mutation ($id: ID!) { updatePerson(id: $id, input: {phone: "123"}) { id } }',
        {"id": "@bob"},
        {"id": "@sam"},
    ),
    "removeReportingLine to the south": (
        "mutation ($p: ID!) { removeReportingLine(personId: $p) }",
        {"p": "@bob"},
        {"p": "@cora"},
    ),
    "createReferral": (
        "mutation ($a: ID!, $b: ID!) { createReferral(input: {referrerId: $a, referredId: $b}) "
        "{ id } }",
        {"a": "@bob", "b": "@ann"},
        {"a": "@ann", "b": "@yan"},
    ),
    "updateCompanyRelationship": (
        "mutation ($id: ID!) { updateCompanyRelationship(id: $id, input: {strength: 0.2}) { id } }",
        {"id": "@ours-acme"},
        {"id": "@acme-zenith"},
    ),
    "deleteDeal": (
        "mutation ($id: ID!) { deleteDeal(id: $id) }",
        {"id": "@deal-acme"},
        {"id": "@deal-zenith"},
    ),
}


def _everything(graph: Graph) -> Snapshot:
    """Every node and edge but the change feed's, to see that nothing changed."""
    return snapshot(graph, frozenset({"FeedEntry", "FeedHead"}))


def test_writes_aimed_outside_the_teams_are_forbidden_and_write_nothing(
    world: World, graph: Graph
) -> None:
    for name, (document, _, south) in {**WRITES, **ADMIN_WRITES}.items():
        principal = NORTH_PLANNER if name in WRITES else NORTH
        before = _everything(graph)
        answer = run(graph, document, principal, **_value(south, world.ids))
        assert [e["code"] for e in answer["errors"]] == ["FORBIDDEN"], (name, answer)
        sent = set(json.dumps(_value(south, world.ids)).split('"'))
        assert _leaks(answer, world.hidden, sent) == set(), name
        assert _everything(graph) == before, name


def test_writes_at_its_own_customers_go_through(world: World, graph: Graph) -> None:
    for name, (document, north, _) in {**WRITES, **ADMIN_WRITES}.items():
        principal = NORTH_PLANNER if name in WRITES else NORTH
        answer = run(graph, document, principal, **_value(north, world.ids))
        assert answer["errors"] == [], (name, answer)


def test_admin_work_across_customers_needs_a_credential_of_every_customer(
    world: World, graph: Graph
) -> None:
    refused = [n for n, rule in RULES["Mutation"].items() if rule.kind == "refused"]
    assert "createCompany" in refused and "importRecords" in refused
    answer = run(
        graph, 'mutation { createCompany(input: {name: "New", teams: ["north"]}) { id } }', NORTH
    )
    assert [e["code"] for e in answer["errors"]] == ["FORBIDDEN"]
    assert "credential of every customer" in answer["errors"][0]["message"]


# ---- over HTTP and WebSockets, with a JWT carrying the teams claim ----

LOGGED = """subscription ($p: ID) {
  interactionLogged(personId: $p) { summary theirPeople { name } }
}"""
LOG = """mutation ($o: [ID!]!, $t: [ID!]!, $s: String!) {
  logInteraction(input: {kind: CALL, at: "2026-11-03T10:00:00Z", ourPersonIds: $o,
                         theirPersonIds: $t, summary: $s}) { id }
}"""


def test_a_jwt_with_a_teams_claim_is_scoped_over_http_and_websockets(
    world: World, graph: Graph
) -> None:
    ids = world.ids
    north = auth_headers(Role.PLANNER, "planner-north", frozenset({"north"}))
    with served_in_a_thread(make_app(graph)) as base:
        url = f"http://{base}/graphql"
        query = "query ($id: ID!) { company(id: $id) { name } }"
        for company, expected in (("acme", {"name": "Acme"}), ("zenith", None)):
            body = httpx2.post(
                url, json={"query": query, "variables": {"id": ids[company]}}, headers=north
            ).json()
            assert body == {"data": {"company": expected}}
        with connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
            ws.send(json.dumps({"type": "connection_init", "payload": north}))
            assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
            payload = {"query": LOGGED, "variables": {"p": ids["li"]}}
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            time.sleep(0.5)  # the subscription listens once its arguments are checked
            for theirs, summary in ((["zed"], "with the south"), (["ann"], "with Ann")):
                variables = {"o": [ids["li"]], "t": [ids[p] for p in theirs], "s": summary}
                body = httpx2.post(
                    url, json={"query": LOG, "variables": variables}, headers=auth_headers()
                ).json()
                assert "errors" not in body, body
            message = json.loads(ws.recv(timeout=15))
            assert message["payload"]["data"]["interactionLogged"] == {
                "summary": "with Ann",
                "theirPeople": [{"name": "Ann"}],
            }
            with pytest.raises(TimeoutError):
                ws.recv(timeout=1.0)


def test_the_docs_list_every_fields_rule_as_the_code_has_it() -> None:
    text = (Path(__file__).parents[2] / "docs" / "ACCOUNT_TEAMS.md").read_text()
    listed = text.split("<!-- rules:start -->\n")[1].split("<!-- rules:end -->")[0]
    assert listed == rules_table()


def test_figures_are_neither_sorted_nor_filtered_on_for_a_scoped_credential(
    world: World, graph: Graph
) -> None:
    """The stored figures count every tie: sorting or filtering by them would tell a hidden
    tie's strength. The key-person map and a write's answer show the figures it sees."""
    for query in (
        "{ people(sort: {field: STRONGEST_TIE}) { nodes { name } } }",
        "{ people(filter: {minStrongestTie: 0.9}) { nodes { name } } }",
    ):
        assert [e["code"] for e in run(graph, query, NORTH)["errors"]] == ["FORBIDDEN"]
        assert run(graph, query, ADMIN)["errors"] == []
    query = """query ($c: ID!) { keyPersonMap(companyId: $c) { entries { relationships {
      ourPerson { name relationshipCount } } } } }"""
    entries = ok(graph, query, NORTH, c=world.ids["acme"])["keyPersonMap"]["entries"]
    counts = {r["ourPerson"]["relationshipCount"] for e in entries for r in e["relationships"]}
    assert counts == {1}  # Li's tie with Ann; not those with Zorro and Noralee
    update = (
        'mutation ($id: ID!) { updatePerson(id: $id, input: {phone: "1"}) { relationshipCount } }'
    )
    assert ok(graph, update, NORTH, id=world.ids["li"])["updatePerson"] == {"relationshipCount": 1}
