"""Erasure (the right to be forgotten): after `erasePerson`, no value of the person is left in
any node or edge property, in the change feed, or in an export in any format; the others'
data and counts stay."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import pytest
from starlette.testclient import TestClient

from graph.auth.tokens import Role
from graph.core import erasure, reads
from graph.core.kinds import PERSON
from graph.cypher.core import erasure as cypher
from graph.cypher.db import feed as feed_cypher
from graph.db import cache, feed
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.transfer.exporter import ExportFormat, whole_graph, write_export
from seed.demo import load_demo
from tests.auth.test_auth import _codes, _seed
from tests.conftest import auth_headers, data, error
from tests.factories import demo_id

# What the test gives 黄伟 beyond the demo: contact details, notes, and free text of theirs.
DETAILS = {
    "email": "huang.wei@beichen.example",
    "phone": "+86 22 5555 0199",
    "wechat": "hw_beichen_cfo",
    "notes": "Plays golf at Binhai on Saturdays; daughter studies in Leeds.",
}
TIE_NOTES = "Met through the Tianjin CFO circle"
CHANGE_REASON = "黄伟 asked to keep the TMS talks private"
SUMMARY = "Dinner with 黄伟 and 陈静: phase two budget reopened, 黄伟 wants a new ROI model"
REFERRAL_NOTE = "Huang Wei introduced us to Emily's old team"
DEAL_NOTE = "Signed off by 黄伟 (huang.wei@beichen.example)"
OTHER_NOTES = "Reports to the CFO; 黄伟 trusts her judgement."

MUTATION = (
    "mutation ($id: ID!) { erasePerson(id: $id) { id wasDeleted changesRemoved "
    "interactionsUpdated idempotencyRecordsRemoved textsRedacted } }"
)


def _text_forms(values: Iterable[str]) -> set[str]:
    """Each value as written and as JSON writes it (the feed's events, the change log)."""
    return {form for v in values for form in (v, json.dumps(v)[1:-1])}


def _exports(graph: Graph) -> dict[str, str]:
    """The whole graph in every export format, by format and file name."""
    found: dict[str, str] = {}
    for fmt in ExportFormat:
        files: dict[str, io.StringIO] = {}

        def open_file(name: str, files: dict[str, io.StringIO] = files) -> IO[str]:
            files[name] = io.StringIO()
            return files[name]

        write_export(graph, whole_graph(graph), fmt, open_file)
        found.update({f"{fmt.value}/{name}": f.getvalue() for name, f in files.items()})
    return found


def _feed(graph: Graph) -> list[feed.Entry]:
    head = int(graph.read(feed_cypher.FEED_HEAD)[0]["position"])
    return feed.entries_after(graph, 0, head)


def _leaks(graph: Graph, values: Iterable[str]) -> list[str]:
    """Where any of `values` is found: graph properties, feed entries, exports."""
    forms = _text_forms(values)
    found = [f"{p.where}.{p.property}: {p.value}" for p in erasure.places_holding(graph, forms)]
    for entry in _feed(graph):
        text = json.dumps(entry.events)
        found += [f"feed {entry.position}: {v}" for v in forms if v in text]
    for name, text in _exports(graph).items():
        found += [f"export {name}: {v}" for v in forms if v in text]
    return found


def _census(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    nodes = Counter(":".join(sorted(r["labels"])) for r in graph.read(cypher.EVERY_NODE))
    edges = Counter(str(r["type"]) for r in graph.read(cypher.EVERY_EDGE))
    return nodes, edges


def _his_world(client: TestClient, graph: Graph) -> dict[str, str]:
    """The demo, and 黄伟 given details, history, an interaction, idempotent writes, a
    referral, a soft-delete and restore, and mentions in the others' free text."""
    load_demo(graph)
    ids = {
        key: demo_id(graph, "person", key)
        for key in ("huangwei", "chenjing", "lina", "wanghao", "emily")
    }
    ids["beichen"] = demo_id(graph, "company", "beichen")
    hw = ids["huangwei"]
    data(
        client,
        "mutation ($id: ID!, $input: PersonPatch!) { updatePerson(id: $id, input: $input) { id } }",
        id=hw,
        input=DETAILS,
    )
    data(
        client,
        "mutation ($id: ID!, $input: PersonPatch!) { updatePerson(id: $id, input: $input) { id } }",
        id=ids["chenjing"],
        input={"notes": OTHER_NOTES},
    )
    [ties] = reads.relationships_for_people(graph, [hw])
    [tie] = [t for t in ties if ids["wanghao"] in (t.from_person_id, t.to_person_id)]
    data(
        client,
        "mutation ($id: ID!, $c: ChangeNoteInput) { updateRelationship(id: $id, "
        "input: {tier: FRIEND, strength: 0.55}, change: $c) { id } }",
        id=tie.id,
        c={"by": "王浩 Wang Hao", "reason": CHANGE_REASON},
    )
    created = (
        "mutation ($input: PersonRelationshipInput!) { createRelationship(input: $input, "
        'idempotencyKey: "erasure-tie-1") { id } }'
    )
    tie_input = {
        "fromPersonId": ids["lina"],
        "toPersonId": hw,
        "tier": "ACQUAINTANCE",
        "strength": 0.4,
        "notes": TIE_NOTES,
    }
    first = data(client, created, input=tie_input)["createRelationship"]["id"]
    assert data(client, created, input=tie_input)["createRelationship"]["id"] == first
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat()
    logged = (
        "mutation ($input: InteractionInput!) { logInteraction(input: $input, "
        'idempotencyKey: "erasure-meal-1") { id } }'
    )
    data(
        client,
        logged,
        input={
            "kind": "MEAL",
            "at": at,
            "ourPersonIds": [ids["lina"]],
            "theirPersonIds": [hw, ids["chenjing"]],
            "summary": SUMMARY,
            "followUp": "Send 黄伟 the ROI model",
            "sentiment": 1,
        },
    )
    data(
        client,
        "mutation ($input: ReferralInput!) { createReferral(input: $input) { id } }",
        input={"referrerId": hw, "referredId": ids["emily"], "note": REFERRAL_NOTE},
    )
    data(
        client,
        "mutation ($input: DealInput!) { recordDeal(input: $input) { id } }",
        input={
            "companyId": ids["beichen"],
            "amount": 10.0,
            "date": dt.date.today().isoformat(),
            "productLine": "TMS",
            "note": DEAL_NOTE,
        },
    )
    data(
        client,
        "mutation ($id: ID!) { deletePerson(id: $id, force: true, "
        'change: {by: "李娜", reason: "黄伟 left, then came back"}) }',
        id=hw,
    )
    data(client, "mutation ($id: ID!) { restorePerson(id: $id) { id } }", id=hw)
    return ids


def _referral_ids(graph: Graph, person_id: str) -> list[str]:
    [referrals] = reads.referrals_for_parties(graph, [person_id])
    return [r.id for r in referrals]


def _his_values(graph: Graph, person_id: str) -> set[str]:
    """Every value that is 黄伟's: their stored properties (but the id and the figures and
    enums others share), each line of their search text, and the free text written about
    them above and in the demo."""
    [row] = graph.read(PERSON.statements.props, id=person_id)
    props: dict[str, Any] = row["props"]
    shared = {
        "id",
        "communicationStyle",
        "createdAt",
        "updatedAt",
        "strongestTie",
        "relationshipCount",
        "searchText",
    }
    values = {str(v) for k, v in props.items() if k not in shared and v is not None}
    values |= {line for line in props["searchText"].split("\n") if len(line) >= 4}
    values |= {
        TIE_NOTES,
        CHANGE_REASON,
        SUMMARY,
        REFERRAL_NOTE,
        "黄伟",
        "Huang Wei",
        "huang.wei@beichen.example",
        # the demo's: their role, a reason of their tie's history, a meeting with them
        "财务总监 CFO",
        "golf with the CFO; he backed the TMS budget",
        "CFO rejected the business case for phase two.",
        # the idempotency keys of requests about them (records made from those requests)
        "erasure-tie-1",
        "erasure-meal-1",
    }
    assert {"黄伟", "demo:person:huangwei", "huang wei", "huangwei", *DETAILS.values()} <= values
    return values


def test_erasing_a_person_leaves_no_value_of_theirs_anywhere(
    client: TestClient, graph: Graph
) -> None:
    ids = _his_world(client, graph)
    hw = ids["huangwei"]
    values = _his_values(graph, hw)
    before = _leaks(graph, values)
    # the scan sees every value where it is (the graph, the change log, the exports)
    assert {v for v in values if not any(v in place for place in before)} == set()
    nodes, edges = _census(graph)
    lina = reads.people_by_id(graph, [ids["lina"]])[0]
    [wang_ties] = reads.relationships_for_people(graph, [ids["wanghao"]])
    [his_ties] = reads.relationships_for_people(graph, [hw])
    [his_roles] = reads.roles_for_people(graph, [hw], include_past=True)

    his_ids = [hw, *(t.id for t in his_ties), *(r.id for r in his_roles), *_referral_ids(graph, hw)]

    done = data(client, MUTATION, id=hw)["erasePerson"]

    assert _leaks(graph, values) == []
    # nor the ids of them and their edges, but in the feed (events carry ids only:
    # `personErased` says who was erased)
    places = erasure.places_holding(graph, his_ids)
    assert [p for p in places if p.where != "FeedEntry"] == []
    assert done["id"] == hw and not done["wasDeleted"]
    assert done["changesRemoved"] > 0 and done["interactionsUpdated"] >= 3
    assert done["idempotencyRecordsRemoved"] == 2 and done["textsRedacted"] >= 3
    assert {"event": "personErased", "personId": hw, "dropCaches": True} in _feed(graph)[-1].events
    # the others stay, their counts recounted without 黄伟
    after_nodes, after_edges = _census(graph)
    assert after_nodes["Person"] == nodes["Person"] - 1
    for label in ("Company", "Interaction", "Deal"):
        assert after_nodes[label] == nodes[label], label
    assert after_edges["KNOWS"] == edges["KNOWS"] - len(his_ties)
    assert after_edges["HOLDS_ROLE"] == edges["HOLDS_ROLE"] - len(his_roles)
    assert after_edges["REFERRED"] == edges["REFERRED"] - 1
    # 李娜 as she was, but her figures: one tie fewer (hers with 黄伟)
    lina_after = reads.people_by_id(graph, [ids["lina"]])[0]
    assert lina is not None and lina_after is not None and lina.figures is not None
    assert replace(lina_after, figures=None) == replace(lina, figures=None)
    assert lina_after.figures == replace(
        lina.figures, relationship_count=lina.figures.relationship_count - 1
    )
    [wang_after] = reads.relationships_for_people(graph, [ids["wanghao"]])
    assert {t.id for t in wang_after} == {t.id for t in wang_ties} - {t.id for t in his_ties}
    [figures] = reads.person_figures_by_id(graph, [ids["wanghao"]])
    assert figures.relationship_count == len(wang_after)
    chen = reads.people_by_id(graph, [ids["chenjing"]])[0]
    assert chen is not None and chen.notes == "Reports to the CFO; [erased] trusts her judgement."
    assert chen.name == "陈静"


def test_a_deleted_person_is_erased_from_the_archive(client: TestClient, graph: Graph) -> None:
    ids = _his_world(client, graph)
    hw, beichen = ids["huangwei"], ids["beichen"]
    values = _his_values(graph, hw)
    [beichen_roles] = reads.roles_for_companies(graph, [beichen], include_past=True)
    data(client, "mutation ($id: ID!) { deletePerson(id: $id, force: true) }", id=hw)
    # their company deleted too: their role waits between the two archives
    data(client, "mutation ($id: ID!) { deleteCompany(id: $id, force: true) }", id=beichen)
    assert any("DeletedItem" in place for place in _leaks(graph, values))
    done = data(client, MUTATION, id=hw)["erasePerson"]
    assert done["wasDeleted"]
    assert _leaks(graph, values) == []
    [item] = data(client, "{ deletedItems { nodes { id } } }")["deletedItems"]["nodes"]
    assert item["id"] == beichen
    restored = "mutation ($id: ID!) { restorePerson(id: $id) { id } }"
    assert error(client, restored, id=hw)["extensions"]["code"] == "NOT_FOUND"
    # the company comes back with its other people's roles, without theirs
    data(client, "mutation ($id: ID!) { restoreCompany(id: $id) { id } }", id=beichen)
    [roles] = reads.roles_for_companies(graph, [beichen], include_past=True)
    assert {r.id for r in roles} == {r.id for r in beichen_roles if r.person_id != hw}
    assert _leaks(graph, values) == []


def test_an_unknown_or_erased_person_is_not_found(client: TestClient, graph: Graph) -> None:
    load_demo(graph)
    assert error(client, MUTATION, id="pe_nobody")["extensions"]["code"] == "NOT_FOUND"
    zhaoyan = demo_id(graph, "person", "zhaoyan")
    data(client, MUTATION, id=zhaoyan)
    assert error(client, MUTATION, id=zhaoyan)["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.PLANNER])
def test_only_an_admin_erases(client: TestClient, graph: Graph, role: Role) -> None:
    load_demo(graph)
    hw = demo_id(graph, "person", "huangwei")
    response = client.post(
        "/graphql", json={"query": MUTATION, "variables": {"id": hw}}, headers=auth_headers(role)
    )
    assert _codes(response.json()) == {"FORBIDDEN"}
    assert reads.people_by_id(graph, [hw])[0] is not None


def test_another_process_drops_its_cached_results(
    client: TestClient, graph: Graph, other_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every result slow, served stale at once while it refreshes: as a whole-graph result at
    # scale is after an ordinary write
    monkeypatch.setattr(cache, "QUICK_SECONDS", 0.0)
    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.0)
    load_demo(graph)
    hw = demo_id(graph, "person", "huangwei")

    def names() -> set[str]:
        rows = other_graph.read(cypher.EVERY_NODE)
        return {str(r["props"]["name"]) for r in rows if "Person" in r["labels"]}

    def cached_names() -> set[str]:
        return cache.cached(other_graph, ("erasure-test-names",), names)

    assert "黄伟" in cached_names() and "赵燕" in cached_names()
    zhaoyan = demo_id(graph, "person", "zhaoyan")
    data(client, "mutation ($id: ID!) { deletePerson(id: $id, force: true) }", id=zhaoyan)
    # an ordinary write: the previous result, while it refreshes
    assert "赵燕" in cached_names()
    assert cache.settle(30)
    data(client, MUTATION, id=hw)
    assert "黄伟" not in cached_names()  # an erasure: never the result from before it
    assert cache.settle(30)


def test_erasures_are_logged_and_replayed_on_a_restored_graph(
    client: TestClient, graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "erasures.log"
    monkeypatch.setenv("GUANXI_ERASURE_LOG", str(log))
    load_demo(graph)
    hw, zhaoyan = (demo_id(graph, "person", key) for key in ("huangwei", "zhaoyan"))
    data(client, MUTATION, id=hw)
    [line] = log.read_text(encoding="utf-8").splitlines()
    assert set(json.loads(line)) == {"personId", "erasedAt"} and erasure.logged_ids(log) == [hw]
    # as if a backup taken before 赵燕's erasure had been restored: the log names her, the
    # graph has her again
    erasure.append_to_log(log, zhaoyan)
    replayed = erasure.replay_log(graph, log)
    assert replayed == erasure.Replay(erased=[zhaoyan], absent=1)
    assert reads.people_by_id(graph, [zhaoyan]) == [None]
    assert erasure.replay_log(graph, log) == erasure.Replay(erased=[], absent=2)
    assert erasure.logged_ids(log) == [hw, zhaoyan]  # a replay appends nothing


def test_the_values_searched_for_in_free_text() -> None:
    found = erasure.identifying_values(
        {"name": "王浩 Wang Hao", "email": "w@x.example", "phone": "1", "notes": "not searched"}
    )
    assert set(found) == {
        "王浩 Wang Hao",
        "\\u738b\\u6d69 Wang Hao",  # as JSON writes it (the change log's states)
        "Wang Hao",
        "wang hao",
        "Wang hao",
        "wanghao",
        "Wanghao",
        "w@x.example",
    }
    assert found == sorted(found, key=lambda v: (-len(v), v))  # longest replaced first


def test_the_command_line_erases_and_replays(
    graph: Graph, engine_endpoint: BoltEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m seed erase` and `replay-erasures` against the test engine."""
    settings = engine_endpoint.neo4j_settings()
    monkeypatch.setenv("NEO4J_URI", engine_endpoint.uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.username)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", settings.database)
    log = tmp_path / "erasures.log"
    monkeypatch.setenv("GUANXI_ERASURE_LOG", str(log))
    load_demo(graph)
    hw, zhaoyan = (demo_id(graph, "person", key) for key in ("huangwei", "zhaoyan"))
    code, out = _seed("erase", hw)
    assert code == 0 and out.startswith(f"erased {hw}: "), out
    assert reads.people_by_id(graph, [hw]) == [None] and erasure.logged_ids(log) == [hw]
    erasure.append_to_log(log, zhaoyan)
    code, out = _seed("replay-erasures")
    assert code == 0 and "erased 1 person(s) again; 1 already gone" in out and zhaoyan in out
    assert reads.people_by_id(graph, [zhaoyan]) == [None]
