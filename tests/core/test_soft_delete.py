"""Deletes are soft: a deleted company or person is gone from every query path, comes back
whole (edges, deals, interactions' links) when restored within the retention window, and is
purged after it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, reads, writes
from graph.core.retention import purge_deleted
from graph.db.connection import Graph
from seed.demo import load_demo
from tests import factories
from tests.conftest import data, error
from tests.snapshot import Snapshot, snapshot

# the change log grows with the delete and the restore; its time index changes with it, and
# the change feed has its head move and entries come
LOG = frozenset({"History", "FeedHead", "FeedEntry"})


def assert_same_but_the_log(before: Snapshot, after: Snapshot) -> None:
    """The same graph, but for the change log's new entries (the delete and the restore)."""
    assert before.missing_from(after) == (Counter(), Counter())
    new_nodes, new_edges = after.missing_from(before)
    assert all(labels == ("Change",) for labels, _ in new_nodes), new_nodes
    assert all(edge[0] == "CONCERNS" and edge[1] in new_nodes for edge in new_edges), new_edges


def _ids(graph: Graph) -> dict[str, str]:
    load_demo(graph)
    companies, people = ["huadong", "summit"], ["zhouqiang", "lina"]
    return {key: factories.demo_id(graph, "company", key) for key in companies} | {
        key: factories.demo_id(graph, "person", key) for key in people
    }


def _mentions(client: TestClient, ids: dict[str, str], item: str) -> list[str]:
    """The query paths that still show `item` (an id)."""
    found = []
    everything = data(
        client,
        """query ($lina: ID!, $summit: ID!) {
          companies(first: 100) { nodes { id } }
          people(first: 100) { nodes { id } }
          roles(first: 100) { nodes { person { id } company { id } } }
          relationships(first: 100) { nodes { fromPerson { id } toPerson { id } } }
          companyRelationships(first: 100) { nodes { fromCompany { id } toCompany { id } } }
          referrals(first: 100) { nodes { id } }
          deals(first: 100) { nodes { company { id } } }
          person(id: $lina) { relationships { fromPerson { id } toPerson { id } } }
          interactions(filter: {personId: $lina}, first: 100) {
            nodes { ourPeople { id } theirPeople { id } companies { id } }
          }
          referralChain(fromId: $summit, maxDepth: 10) { nodes(first: 100) { nodes {
            party { ... on Company { id } ... on Person { id } } } } }
          exportRecords { name content }
        }""",
        lina=ids["lina"],
        summit=ids["summit"],
    )
    for name, value in everything.items():
        if item in repr(value):
            found.append(name)
    for query in (
        "query ($id: ID!) { company(id: $id) { id } }",
        "query ($id: ID!) { person(id: $id) { id } }",
    ):
        if item in repr(data(client, query, id=item)):
            found.append(query)
    return found


@pytest.mark.parametrize("which", ["huadong", "zhouqiang"])
def test_a_deleted_item_leaves_every_query_and_comes_back_whole(
    client: TestClient, graph: Graph, which: str
) -> None:
    ids = _ids(graph)
    item = ids[which]
    kind = "Company" if which == "huadong" else "Person"
    before = snapshot(graph, LOG)
    assert _mentions(client, ids, item)  # it shows up to begin with

    data(
        client,
        f"mutation ($id: ID!) {{ delete{kind}(id: $id, force: true) }}",
        id=item,
    )
    assert _mentions(client, ids, item) == []
    gone = error(
        client, "query ($id: ID!) { keyPersonMap(companyId: $id) { tierWithUs } }", id=item
    )
    if kind == "Company":
        assert gone["extensions"]["code"] == "NOT_FOUND"
    listed = data(client, "{ deletedItems { nodes { id kind name purgeAt } totalCount } }")
    assert [n["id"] for n in listed["deletedItems"]["nodes"]] == [item]

    restored = data(
        client, f"mutation ($id: ID!) {{ restore{kind}(id: $id) {{ id name }} }}", id=item
    )[f"restore{kind}"]
    assert restored["id"] == item
    assert_same_but_the_log(before, snapshot(graph, LOG))
    assert data(client, "{ deletedItems { totalCount } }")["deletedItems"]["totalCount"] == 0


def test_two_deleted_neighbours_come_back_in_either_order(graph: Graph) -> None:
    ours = factories.company(graph, "Ours", isOurs=True)
    li, zhou, chen = (factories.person(graph, n) for n in ("Li", "Zhou", "Chen"))
    factories.role(graph, li, ours)
    factories.knows(graph, li, zhou, 0.7)
    factories.knows(graph, zhou, chen, 0.4)
    before = snapshot(graph, LOG)
    for first, second in ((li, zhou), (zhou, li)):
        writes.delete_node(graph, kinds.PERSON, li, force=True)
        writes.delete_node(graph, kinds.PERSON, zhou, force=True)
        assert reads.relationship_page(graph, offset=0, limit=10).total == 0
        writes.restore_node(graph, kinds.PERSON, first)
        # the tie between the two waits for the other end
        assert reads.relationship_page(graph, offset=0, limit=10).total == (
            1 if first == zhou else 0
        )
        writes.restore_node(graph, kinds.PERSON, second)
        assert_same_but_the_log(before, snapshot(graph, LOG))


def test_restore_is_refused_when_its_external_id_was_taken(
    client: TestClient, graph: Graph
) -> None:
    acme = factories.company(graph, "Acme", externalId="crm-1")
    data(client, "mutation ($id: ID!) { deleteCompany(id: $id) }", id=acme)
    factories.company(graph, "Acme again", externalId="crm-1")
    before = snapshot(graph, LOG)
    refused = error(client, "mutation ($id: ID!) { restoreCompany(id: $id) { id } }", id=acme)
    assert refused["extensions"]["code"] == "CONFLICT"
    assert "crm-1" in refused["message"]
    assert snapshot(graph, LOG) == before  # nothing half-restored
    missing = error(client, 'mutation { restorePerson(id: "pe_nobody") { id } }')
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_past_the_window_it_is_purged_and_cannot_come_back(
    client: TestClient, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, recent = factories.company(graph, "Old"), factories.company(graph, "Recent")
    acme = factories.company(graph, "Acme")
    factories.role(graph, factories.person(graph, "Li"), old)
    writes.delete_node(graph, kinds.COMPANY, old, force=True)
    writes.delete_node(graph, kinds.COMPANY, recent)
    # nothing is old enough yet
    assert purge_deleted(graph) == 0
    # a window that has passed for both: restoring is refused, the purge takes them
    monkeypatch.setenv("GUANXI_DELETED_RETENTION_DAYS", "0.000000001")  # 86 µs
    refused = error(client, "mutation ($id: ID!) { restoreCompany(id: $id) { id } }", id=old)
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert "retention window" in refused["message"]
    assert purge_deleted(graph) == 2
    gone = error(client, "mutation ($id: ID!) { restoreCompany(id: $id) { id } }", id=old)
    assert gone["extensions"]["code"] == "NOT_FOUND"
    assert [c.id for c in reads.company_page(graph, offset=0, limit=10).items] == [acme]
    purged_before = dt.datetime.now(dt.UTC)
    assert purge_deleted(graph, purged_before) == 0


def test_a_delete_without_force_is_still_refused_when_edges_hang_on_it(
    client: TestClient, graph: Graph
) -> None:
    acme = factories.company(graph, "Acme")
    factories.role(graph, factories.person(graph, "Li"), acme)
    refused = error(client, "mutation ($id: ID!) { deleteCompany(id: $id) }", id=acme)
    assert refused["extensions"]["code"] == "CONFLICT"
    assert data(client, "{ deletedItems { totalCount } }")["deletedItems"]["totalCount"] == 0
