"""Retries are safe: creates that carry an idempotency key happen once, whether the repeat
comes from the client, from the driver re-running a transaction whose commit answer was lost,
or from two copies of the request racing each other."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.testclient import TestClient

from graph.core import reads
from graph.core.retention import purge_keys
from graph.db.connection import Graph
from tests import factories
from tests.conftest import data, error
from tests.faults import commit_twice, fail_first_attempt

LOG = """
mutation ($input: InteractionInput!, $key: String) {
  logInteraction(input: $input, idempotencyKey: $key) { id relationships { id } }
}"""
REFER = """
mutation ($input: ReferralInput!, $key: String) {
  createReferral(input: $input, idempotencyKey: $key) { id }
}"""
COUNTS = """
query ($person: ID!, $tie: ID!) {
  interactions(filter: {personId: $person}) { totalCount }
  relationship(id: $tie) { interactionCount }
}"""


def _book(graph: Graph) -> dict[str, str]:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"], "beta": []})
    ids["tie"] = factories.knows(graph, ids["li"], ids["zhou"], 0.4)
    return ids


# a retry sends the very same request: the same time included
AT = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)


def _meeting(ids: dict[str, str], summary: str = "Kick-off") -> dict[str, Any]:
    return {
        "kind": "MEETING",
        "at": AT.isoformat(),
        "ourPersonIds": [ids["li"]],
        "theirPersonIds": [ids["zhou"]],
        "summary": summary,
    }


def _counts(client: TestClient, ids: dict[str, str]) -> tuple[int, int]:
    found = data(client, COUNTS, person=ids["li"], tie=ids["tie"])
    return found["interactions"]["totalCount"], found["relationship"]["interactionCount"]


def _referrals(graph: Graph) -> int:
    return reads.referral_page(graph, offset=0, limit=100).total


def test_a_repeated_key_returns_the_first_result_and_writes_nothing(
    client: TestClient, graph: Graph
) -> None:
    ids = _book(graph)
    first = data(client, LOG, input=_meeting(ids), key="meeting-1")["logInteraction"]
    again = data(client, LOG, input=_meeting(ids), key="meeting-1")["logInteraction"]
    assert again == first
    assert _counts(client, ids) == (1, 1)

    refer = {"referrerId": ids["acme"], "referredId": ids["beta"]}
    made = data(client, REFER, input=refer, key="ref-1")["createReferral"]["id"]
    assert data(client, REFER, input=refer, key="ref-1")["createReferral"]["id"] == made
    assert _referrals(graph) == 1

    # without a key, a repeat is a new interaction: the key is what makes it safe
    data(client, LOG, input=_meeting(ids))
    assert _counts(client, ids) == (2, 2)


def test_a_key_reused_for_another_request_is_refused(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    data(client, LOG, input=_meeting(ids), key="k")
    refused = error(client, LOG, input=_meeting(ids, summary="Another meeting"), key="k")
    assert refused["extensions"]["code"] == "CONFLICT"
    assert "idempotencyKey" in refused["message"]
    refused = error(
        client, REFER, input={"referrerId": ids["acme"], "referredId": ids["beta"]}, key="k"
    )
    assert refused["extensions"]["code"] == "CONFLICT"
    assert _counts(client, ids) == (1, 1)
    assert _referrals(graph) == 0
    too_long = error(client, LOG, input=_meeting(ids), key="x" * 201)
    assert too_long["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_commit_whose_answer_was_lost_and_ran_again_creates_once(
    client: TestClient, graph: Graph
) -> None:
    ids = _book(graph)
    refer = {"referrerId": ids["acme"], "referredId": ids["beta"]}
    with commit_twice(graph):
        logged = data(client, LOG, input=_meeting(ids), key="lost-answer")["logInteraction"]
        data(client, REFER, input=refer, key="lost-referral")
    assert _counts(client, ids) == (1, 1)
    assert _referrals(graph) == 1
    # the client, having seen no answer, sends it again: still one
    assert data(client, LOG, input=_meeting(ids), key="lost-answer")["logInteraction"] == logged
    assert _counts(client, ids) == (1, 1)

    # the same fault without a key writes twice: the fault is real, the key is the cure
    with commit_twice(graph):
        data(client, LOG, input=_meeting(ids, summary="Unkeyed"))
    assert _counts(client, ids) == (3, 3)


def test_a_transient_failure_before_commit_is_retried_and_writes_once(
    client: TestClient, graph: Graph
) -> None:
    ids = _book(graph)
    with fail_first_attempt(graph, "CREATE (i:Interaction)") as failures:
        data(client, LOG, input=_meeting(ids), key="flaky")
        data(client, LOG, input=_meeting(ids, summary="Flaky, no key"))
    assert len(failures) == 2  # each request failed once, and the driver ran it again
    assert _counts(client, ids) == (2, 2)


def test_two_copies_racing_create_once(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    refer = {"referrerId": ids["acme"], "referredId": ids["beta"]}

    def send(index: int) -> tuple[str, str]:
        logged = data(client, LOG, input=_meeting(ids), key="race")["logInteraction"]["id"]
        referred = data(client, REFER, input=refer, key="race-ref")["createReferral"]["id"]
        return logged, referred

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = set(pool.map(send, range(16)))
    assert len(results) == 1  # every copy got the same interaction and referral
    assert _counts(client, ids) == (1, 1)
    assert _referrals(graph) == 1


def test_keys_are_forgotten_after_the_window(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    data(client, LOG, input=_meeting(ids), key="old")
    assert purge_keys(graph, dt.datetime.now(dt.UTC) - dt.timedelta(days=1)) == 0
    assert purge_keys(graph, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)) == 1
    data(client, LOG, input=_meeting(ids), key="old")  # a new request now
    assert _counts(client, ids) == (2, 2)
