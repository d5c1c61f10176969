"""Deals against customers: validation, idempotent re-recording, pages, depth figures.

Through the graph functions for the logic, and through GraphQL on a small schema built from
DealQuery and DealMutation (the app's root types do not include them yet).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from typing import Any

import pytest
import strawberry
from starlette.testclient import TestClient
from strawberry.types import ExecutionResult

from graph.core.currency import MAX_AMOUNT
from graph.core.inputs import Patch
from graph.cypher.db.setup import DEAL_SCHEMA
from graph.db.connection import Graph
from graph.db.errors import Conflict, InvalidInput, NotFound
from graph.deals import deals
from resolvers.context import Context
from schema.deals import DealMutation, DealQuery
from schema.errors import ErrorCodes
from tests import factories
from tests.conftest import ADMIN, counts
from tests.conftest import data as gql_data
from tests.conftest import error as gql_error


@strawberry.type
class Query(DealQuery):
    pass


@strawberry.type
class Mutation(DealMutation):
    pass


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])


@pytest.fixture(autouse=True)
def deal_schema(graph: Graph) -> None:
    for statement in DEAL_SCHEMA:
        graph.write(statement)


def _deal(
    amount: float = 100.0, date: str = "2024-01-01", product_line: str = "Cloud", **more: Any
) -> dict[str, Any]:
    return {"amount": amount, "date": date, "productLine": product_line, **more}


def _one(graph: Graph, deal_id: str) -> deals.Deal:
    found = deals.deals_by_id(graph, [deal_id])[0]
    assert found is not None
    return found


def _execute(graph: Graph, query: str, **variables: Any) -> ExecutionResult:
    async def run() -> ExecutionResult:
        return await SCHEMA.execute(
            query, variable_values=variables, context_value=Context(graph, principal=ADMIN)
        )

    return asyncio.run(run())


def _data(graph: Graph, query: str, **variables: Any) -> dict[str, Any]:
    result = _execute(graph, query, **variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _error(graph: Graph, query: str, **variables: Any) -> tuple[str, dict[str, Any]]:
    """The single error of an operation that must fail: (message, extensions)."""
    result = _execute(graph, query, **variables)
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].message, dict(result.errors[0].extensions or {})


# --- the graph functions ---------------------------------------------------------------------


def test_record_stores_validated_fields(graph: Graph) -> None:
    company = factories.company(graph, "北辰物流")
    deal_id = deals.record_deal(
        graph,
        company,
        deals.DealFields.checked(
            _deal(1200.5, "2024-03-15", "  Cloud  ", currency=" usd ", note="first order")
        ),
    ).id
    assert deal_id.startswith("de_") and len(deal_id) == 3 + 32
    deal = _one(graph, deal_id)
    assert (deal.company_id, deal.amount, deal.currency) == (company, 1200.5, "USD")
    assert (deal.date, deal.product_line, deal.note) == (
        dt.date(2024, 3, 15),
        "Cloud",
        "first order",
    )
    assert deal.external_id is None
    assert deal.created_at is not None and deal.created_at == deal.updated_at

    plain = _one(graph, deals.record_deal(graph, company, deals.DealFields.checked(_deal(0))).id)
    assert (plain.amount, plain.currency) == (0.0, "CNY")
    assert counts(graph) == (3, 2)


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        (_deal(-0.01), "input.amount", "greater than or equal to 0"),
        (_deal(math.nan), "input.amount", "finite number"),
        (_deal(math.inf), "input.amount", "finite number"),
        (_deal(currency="US"), "input.currency", "should match pattern"),
        (_deal(currency="EURO"), "input.currency", "should match pattern"),
        (_deal(currency="U$D"), "input.currency", "should match pattern"),
        (_deal(product_line="  "), "input.productLine", "at least 1 character"),
        (_deal(product_line="x" * 201), "input.productLine", "at most 200 characters"),
        (_deal(date="2024-02-30"), "input.date", "valid date"),
        ({"amount": 5, "productLine": "Cloud"}, "input.date", "Field required"),
        (_deal(externalId=""), "input.externalId", "at least 1 character"),
        (_deal(companyId="co_x"), "input.companyId", "Extra inputs are not permitted"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(
    graph: Graph, data: dict[str, Any], field: str, rule: str
) -> None:
    company = factories.company(graph, "C")
    with pytest.raises(InvalidInput) as caught:
        deals.record_deal(graph, company, deals.DealFields.checked(data))
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field}: ")
    assert rule in caught.value.message
    assert counts(graph) == (1, 0)


def test_unknown_company_is_not_found(graph: Graph) -> None:
    with pytest.raises(NotFound) as caught:
        deals.record_deal(graph, "co_missing", deals.DealFields.checked(_deal()))
    assert caught.value.field == "companyId"
    assert "co_missing" in caught.value.message
    assert counts(graph) == (0, 0)


def test_rerecording_an_external_id_is_idempotent(graph: Graph) -> None:
    company = factories.company(graph, "C")
    other = factories.company(graph, "D")
    first_id = deals.record_deal(
        graph, company, deals.DealFields.checked(_deal(500, externalId="erp-1", note="n"))
    ).id
    first = _one(graph, first_id)
    assert first.external_id == "erp-1"

    again_id = deals.record_deal(
        graph, company, deals.DealFields.checked(_deal(500, externalId="  erp-1 ", note="n"))
    ).id
    assert again_id == first_id
    assert _one(graph, first_id) == first  # nothing changed, updatedAt included
    assert counts(graph) == (3, 1)

    # Fields left out keep their stored values; a changed amount is an update of the same deal.
    changed_id = deals.record_deal(
        graph, company, deals.DealFields.checked(_deal(650, externalId="erp-1"))
    ).id
    assert changed_id == first_id
    changed = _one(graph, first_id)
    assert (changed.amount, changed.note, changed.created_at) == (650.0, "n", first.created_at)
    assert changed.updated_at is not None and first.updated_at is not None
    assert changed.updated_at > first.updated_at
    assert counts(graph) == (3, 1)

    with pytest.raises(Conflict) as caught:
        deals.record_deal(graph, other, deals.DealFields.checked(_deal(650, externalId="erp-1")))
    assert caught.value.field == "externalId"
    assert company in caught.value.message
    assert _one(graph, first_id) == changed
    assert deals.deals_for_companies(graph, [other]) == [[]]


def test_update_changes_only_given_fields(graph: Graph) -> None:
    company = factories.company(graph, "C")
    deal_id = deals.record_deal(
        graph, company, deals.DealFields.checked(_deal(100, currency="EUR", note="keep?"))
    ).id
    before = _one(graph, deal_id)

    assert (
        deals.update_deal(graph, deal_id, Patch({"amount": 100.0, "currency": "eur"})).id == deal_id
    )
    assert _one(graph, deal_id) == before  # the same values: nothing written

    deals.update_deal(graph, deal_id, Patch({"amount": 120, "note": None}))
    after = _one(graph, deal_id)
    assert (after.amount, after.note, after.currency, after.date) == (
        120.0,
        None,
        "EUR",
        before.date,
    )

    with pytest.raises(InvalidInput) as bad:
        deals.update_deal(graph, deal_id, Patch({"amount": -1}))
    assert bad.value.field == "input.amount"
    with pytest.raises(InvalidInput) as moved:
        deals.update_deal(graph, deal_id, Patch({"companyId": company}))
    assert moved.value.field == "input.companyId"
    assert _one(graph, deal_id) == after

    with pytest.raises(NotFound) as missing:
        deals.update_deal(graph, "de_missing", Patch({"amount": 1}))
    assert missing.value.field == "id"


def test_a_key_replayed_after_its_deal_was_deleted_is_not_found(graph: Graph) -> None:
    """A replay answers with what the first request made, read back in its transaction; once
    that deal is gone, the answer is NotFound, not an internal error."""
    company = factories.company(graph, "C")
    fields = deals.DealFields.checked(_deal(10))
    first = deals.record_deal(graph, company, fields, idempotency_key="k-1")
    assert deals.record_deal(graph, company, fields, idempotency_key="k-1") == first
    deals.delete_deal(graph, first.id)
    with pytest.raises(NotFound) as caught:
        deals.record_deal(graph, company, fields, idempotency_key="k-1")
    assert first.id in caught.value.message
    assert counts(graph) == (1, 0)


def test_delete_removes_the_deal_only(graph: Graph) -> None:
    company = factories.company(graph, "C")
    deal_id = deals.record_deal(graph, company, deals.DealFields.checked(_deal())).id
    assert counts(graph) == (2, 1)
    deals.delete_deal(graph, deal_id)
    assert counts(graph) == (1, 0)
    assert deals.deals_by_id(graph, [deal_id]) == [None]
    with pytest.raises(NotFound) as caught:
        deals.delete_deal(graph, deal_id)
    assert caught.value.field == "id"


def test_deals_for_companies_newest_first_in_key_order(graph: Graph) -> None:
    a, b, empty = (factories.company(graph, name) for name in ("A", "B", "E"))
    old = deals.record_deal(graph, a, deals.DealFields.checked(_deal(date="2022-06-01"))).id
    new = deals.record_deal(graph, a, deals.DealFields.checked(_deal(date="2024-06-01"))).id
    mid = deals.record_deal(graph, a, deals.DealFields.checked(_deal(date="2023-06-01"))).id
    same_day_later = deals.record_deal(
        graph, a, deals.DealFields.checked(_deal(date="2024-06-01"))
    ).id
    only_b = deals.record_deal(graph, b, deals.DealFields.checked(_deal(date="2020-01-01"))).id

    found = deals.deals_for_companies(graph, [empty, b, "co_missing", a])
    assert [[d.id for d in group] for group in found] == [
        [],
        [only_b],
        [],
        [same_day_later, new, mid, old],
    ]


def _history(graph: Graph) -> tuple[str, str, str]:
    """A with six deals in three lines and two currencies, B with one, C with none."""
    a, b, c = (factories.company(graph, name) for name in ("A", "B", "C"))
    for amount, date, line, currency in [
        (100.0, "2021-03-01", "Cloud", "CNY"),
        (200.0, "2021-09-15", "Cloud", "CNY"),
        (50.0, "2022-01-10", "Cloud", "CNY"),
        (1000.0, "2022-05-05", "Security", "USD"),
        (300.0, "2023-02-28", "Security", "USD"),
        (25.5, "2023-07-01", "Consulting", "CNY"),
    ]:
        deals.record_deal(
            graph, a, deals.DealFields.checked(_deal(amount, date, line, currency=currency))
        )
    deals.record_deal(graph, b, deals.DealFields.checked(_deal(80.0, "2024-04-04", "Cloud")))
    return a, b, c


def test_depth_figures_on_a_known_history(graph: Graph) -> None:
    a, b, c = _history(graph)
    depth_b, missing, depth_a, depth_c = deals.depth_figures(graph, [b, "co_missing", a, c])

    assert missing is None
    assert depth_a == deals.DealDepth(
        company_id=a,
        deal_count=6,
        total_amount=1675.5,
        totals_by_currency={"CNY": 375.5, "USD": 1300.0},
        first_deal_date=dt.date(2021, 3, 1),
        last_deal_date=dt.date(2023, 7, 1),
        product_lines=["Cloud", "Consulting", "Security"],
        repeat_purchases=3,  # Cloud 3 - 1, Security 2 - 1, Consulting 1 - 1
        cross_sell_count=2,
    )
    assert depth_b == deals.DealDepth(
        company_id=b,
        deal_count=1,
        total_amount=80.0,
        totals_by_currency={"CNY": 80.0},
        first_deal_date=dt.date(2024, 4, 4),
        last_deal_date=dt.date(2024, 4, 4),
        product_lines=["Cloud"],
        repeat_purchases=0,
        cross_sell_count=0,
    )
    assert depth_c == deals.DealDepth(
        company_id=c,
        deal_count=0,
        total_amount=0.0,
        totals_by_currency={},
        first_deal_date=None,
        last_deal_date=None,
        product_lines=[],
        repeat_purchases=0,
        cross_sell_count=0,
    )


def test_deal_page_newest_first_with_filters(graph: Graph) -> None:
    a, b, _ = _history(graph)
    page = deals.deal_page(graph, offset=0, limit=3)
    assert page.total == 7
    assert [d.date.isoformat() for d in page.items] == ["2024-04-04", "2023-07-01", "2023-02-28"]
    assert page.has_next

    rest = deals.deal_page(graph, offset=3, limit=10)
    assert [d.date.isoformat() for d in rest.items] == [
        "2022-05-05",
        "2022-01-10",
        "2021-09-15",
        "2021-03-01",
    ]
    assert not rest.has_next

    since = deals.deal_page(graph, company_id=a, since=dt.date(2022, 5, 5), offset=0, limit=10)
    assert since.total == 3
    assert {d.company_id for d in since.items} == {a}
    assert [d.product_line for d in since.items] == ["Consulting", "Security", "Security"]

    assert deals.deal_page(graph, company_id=b, offset=0, limit=10).total == 1
    assert deals.deal_page(graph, company_id="co_missing", offset=0, limit=10).total == 0


# --- through GraphQL -------------------------------------------------------------------------

RECORD = """
mutation ($input: DealInput!) {
  recordDeal(input: $input) {
    id externalId amount currency date productLine note company { id name }
  }
}
"""

PAGE = """
query ($c: ID, $since: Date, $first: Int, $after: String) {
  deals(companyId: $c, since: $since, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { date productLine amount company { name } }
  }
}
"""

DEPTH = """
query ($c: ID!) {
  dealDepth(companyId: $c) {
    company { name } dealCount totalAmount totalsByCurrency { currency amount }
    firstDealDate lastDealDate productLines repeatPurchases crossSellCount
  }
}
"""


def test_graphql_record_update_delete(graph: Graph) -> None:
    company = factories.company(graph, "蓝海能源")
    recorded = _data(
        graph,
        RECORD,
        input={
            "companyId": company,
            "amount": 88000,
            "date": "2025-01-15",
            "productLine": "Storage",
            "externalId": "erp-7",
        },
    )["recordDeal"]
    assert recorded["id"].startswith("de_")
    assert {k: v for k, v in recorded.items() if k != "id"} == {
        "externalId": "erp-7",
        "amount": 88000.0,
        "currency": "CNY",
        "date": "2025-01-15",
        "productLine": "Storage",
        "note": None,
        "company": {"id": company, "name": "蓝海能源"},
    }

    again = _data(
        graph,
        RECORD,
        input={
            "companyId": company,
            "amount": 88000,
            "date": "2025-01-15",
            "productLine": "Storage",
            "externalId": "erp-7",
        },
    )["recordDeal"]
    assert again == recorded
    assert counts(graph) == (2, 1)

    updated = _data(
        graph,
        """mutation ($id: ID!) { updateDeal(id: $id, input: {currency: "usd", note: "PO 42"}) {
             id amount currency note } }""",
        id=recorded["id"],
    )["updateDeal"]
    assert updated == {"id": recorded["id"], "amount": 88000.0, "currency": "USD", "note": "PO 42"}

    deleted = _data(graph, "mutation ($id: ID!) { deleteDeal(id: $id) }", id=recorded["id"])
    assert deleted == {"deleteDeal": recorded["id"]}
    assert counts(graph) == (1, 0)


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"amount": -5}, "BAD_USER_INPUT", "input.amount"),
        ({"currency": "RMB1"}, "BAD_USER_INPUT", "input.currency"),
        ({"productLine": ""}, "BAD_USER_INPUT", "input.productLine"),
        ({"companyId": "co_missing"}, "NOT_FOUND", "companyId"),
    ],
)
def test_graphql_errors_name_the_field(
    graph: Graph, fields: dict[str, Any], code: str, field: str
) -> None:
    company = factories.company(graph, "C")
    input_ = {"companyId": company, **_deal(), **fields}
    message, extensions = _error(graph, RECORD, input=input_)
    assert extensions == {"code": code, "field": field}
    assert field in message
    assert counts(graph) == (1, 0)


def test_graphql_update_and_delete_of_unknown_deal(graph: Graph) -> None:
    _, extensions = _error(graph, 'mutation { updateDeal(id: "de_x", input: {amount: 1}) { id } }')
    assert extensions == {"code": "NOT_FOUND", "field": "id"}
    _, extensions = _error(graph, 'mutation { deleteDeal(id: "de_x") }')
    assert extensions == {"code": "NOT_FOUND", "field": "id"}


def test_graphql_pages_newest_first(graph: Graph) -> None:
    a, _, _ = _history(graph)
    first = _data(graph, PAGE, first=4)["deals"]
    assert first["totalCount"] == 7
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert [n["date"] for n in first["nodes"]] == [
        "2024-04-04",
        "2023-07-01",
        "2023-02-28",
        "2022-05-05",
    ]
    assert first["nodes"][0]["company"] == {"name": "B"}

    rest = _data(graph, PAGE, first=4, after=first["pageInfo"]["endCursor"])["deals"]
    assert rest["totalCount"] == 7
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["hasPreviousPage"] is True
    assert [n["date"] for n in rest["nodes"]] == ["2022-01-10", "2021-09-15", "2021-03-01"]

    recent = _data(graph, PAGE, c=a, since="2023-01-01")["deals"]
    assert recent["totalCount"] == 2
    assert [(n["productLine"], n["amount"]) for n in recent["nodes"]] == [
        ("Consulting", 25.5),
        ("Security", 300.0),
    ]

    _, extensions = _error(graph, PAGE, first=101)
    assert extensions == {"code": "BAD_USER_INPUT", "field": "first"}


def test_graphql_deal_depth(graph: Graph) -> None:
    a, _, c = _history(graph)
    assert _data(graph, DEPTH, c=a)["dealDepth"] == {
        "company": {"name": "A"},
        "dealCount": 6,
        "totalAmount": 1675.5,
        "totalsByCurrency": [
            {"currency": "CNY", "amount": 375.5},
            {"currency": "USD", "amount": 1300.0},
        ],
        "firstDealDate": "2021-03-01",
        "lastDealDate": "2023-07-01",
        "productLines": ["Cloud", "Consulting", "Security"],
        "repeatPurchases": 3,
        "crossSellCount": 2,
    }
    empty = _data(graph, DEPTH, c=c)["dealDepth"]
    assert (empty["dealCount"], empty["firstDealDate"], empty["productLines"]) == (0, None, [])

    message, extensions = _error(graph, DEPTH, c="co_missing")
    assert extensions == {"code": "NOT_FOUND", "field": "companyId"}
    assert "co_missing" in message


def test_amounts_over_the_maximum_are_refused_and_sums_stay_finite(
    graph: Graph, client: TestClient
) -> None:
    """Finding 9: two deals of 1.7e308 made every total infinite (dealDepth and
    relationshipMeasures failed, valueClasses answered INTERNAL to everyone). An amount over
    MAX_AMOUNT is refused with nothing written; deals at the maximum add up to finite totals."""
    company = factories.company(graph, "Whale", status="CURRENT")
    before = counts(graph)
    for amount in (1.7e308, MAX_AMOUNT * 1.000001):
        refused = gql_error(client, RECORD, input={"companyId": company, **_deal(amount)})
        assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.amount"}
        assert "less than or equal to 1000000000000000" in refused["message"]
    assert counts(graph) == before
    kept = [
        gql_data(client, RECORD, input={"companyId": company, **_deal(MAX_AMOUNT)})
        for _ in range(2)
    ]
    first_id = kept[0]["recordDeal"]["id"]
    over = gql_error(
        client,
        "mutation ($id: ID!) { updateDeal(id: $id, input: {amount: 1.7e308}) { id } }",
        id=first_id,
    )
    assert over["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.amount"}
    assert _one(graph, first_id).amount == MAX_AMOUNT
    depth = gql_data(client, DEPTH, c=company)["dealDepth"]
    assert depth["totalAmount"] == 2 * MAX_AMOUNT
    measures = gql_data(
        client, "query ($c: ID!) { relationshipMeasures(companyId: $c) { revenue } }", c=company
    )["relationshipMeasures"]
    assert measures["revenue"] == 2 * MAX_AMOUNT
    classes = gql_data(client, "{ valueClasses { totalRevenue } }")["valueClasses"]
    assert classes["totalRevenue"] == 2 * MAX_AMOUNT
