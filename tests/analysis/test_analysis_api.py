"""The tier pyramid and value classes through the API: shapes, pages and errors."""

from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from graph.db.connection import Graph
from graph.deals import deals
from tests import factories
from tests.conftest import data, error

PYRAMID = """
query ($ids: [ID!], $company: ID) {
  tierPyramid(personIds: $ids, companyId: $company) {
    teamSize totalContacts team { name } company { name }
    tiers { tier count share expectedShareLow expectedShareHigh withinLow withinHigh verdict }
  }
}
"""


def test_a_pyramid_by_person_and_by_company(graph: Graph, client: TestClient) -> None:
    ours = factories.company(graph, "Ourselves", isOurs=True)
    customer = factories.company(graph, "Customer")
    ann = factories.person(graph, "Ann")
    factories.role(graph, ann, ours)
    for index, tier in enumerate(["ACQUAINTANCE", "ACQUAINTANCE", "FRIEND", "PASSER_BY"]):
        contact = factories.person(graph, f"Contact {index}")
        factories.role(graph, contact, customer)
        factories.knows(graph, ann, contact, 0.5, tier)
    by_person = data(client, PYRAMID, ids=[ann])["tierPyramid"]
    assert by_person["teamSize"] == 1 and by_person["totalContacts"] == 4
    assert by_person["team"] == [{"name": "Ann"}] and by_person["company"] is None
    tiers = {t["tier"]: t for t in by_person["tiers"]}
    assert [t["tier"] for t in by_person["tiers"]] == [
        "PASSER_BY",
        "ACQUAINTANCE",
        "FRIEND",
        "CONFIDANT",
    ]
    assert (tiers["ACQUAINTANCE"]["count"], tiers["ACQUAINTANCE"]["share"]) == (2, 0.5)
    assert tiers["ACQUAINTANCE"]["verdict"] == "WITHIN"
    assert tiers["FRIEND"]["verdict"] == "ABOVE" and tiers["CONFIDANT"]["verdict"] == "BELOW"
    assert tiers["CONFIDANT"]["expectedShareLow"] == 0.03
    assert tiers["CONFIDANT"]["expectedShareHigh"] == 0.05
    by_company = data(client, PYRAMID, company=ours)["tierPyramid"]
    assert by_company["company"] == {"name": "Ourselves"}
    assert by_company["tiers"] == by_person["tiers"]
    both = error(client, PYRAMID, ids=[ann], company=ours)
    assert both["extensions"]["code"] == "BAD_USER_INPUT"
    theirs = error(client, PYRAMID, company=customer)
    assert theirs["extensions"]["code"] == "BAD_USER_INPUT"
    assert error(client, PYRAMID, ids=["nobody"])["extensions"]["code"] == "NOT_FOUND"


CLASSES = """
query ($after: String, $currency: String!) {
  valueClasses(currency: $currency) {
    currency totalRevenue classified unclassified
    counts { valueClass count }
    matrix { setClass computedClass count }
    customers(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { company { name } revenue share cumulativeShare computedClass setClass agrees }
    }
    disagreements { nodes { company { name } computedClass setClass } }
  }
}
"""


def test_value_classes_page_and_list_disagreements(graph: Graph, client: TestClient) -> None:
    revenues = {"Big": (800.0, "A"), "Mid": (150.0, "A"), "Small": (50.0, None)}
    for name, (amount, set_class) in revenues.items():
        fields = {} if set_class is None else {"valueClass": set_class}
        company = factories.company(graph, name, status="CURRENT", **fields)
        deals.record_deal(
            graph,
            company,
            deals.DealFields.checked(
                {"amount": amount, "date": dt.date(2025, 5, 1), "productLine": "Core"}
            ),
        )
    factories.company(graph, "Prospect", status="PROSPECT")
    first = data(client, CLASSES, currency="cny")["valueClasses"]
    assert (first["currency"], first["totalRevenue"]) == ("CNY", 1000.0)
    assert (first["classified"], first["unclassified"]) == (3, 1)
    assert first["counts"] == [
        {"valueClass": "A", "count": 1},
        {"valueClass": "B", "count": 1},
        {"valueClass": "C", "count": 1},
    ]
    assert {"setClass": "A", "computedClass": "B", "count": 1} in first["matrix"]
    assert len(first["matrix"]) == 12
    page = first["customers"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [(n["company"]["name"], n["computedClass"], n["agrees"]) for n in page["nodes"]] == [
        ("Big", "A", True),
        ("Mid", "B", False),
    ]
    assert page["nodes"][1]["cumulativeShare"] == 0.95
    rest = data(client, CLASSES, currency="CNY", after=page["pageInfo"]["endCursor"])
    assert [n["company"]["name"] for n in rest["valueClasses"]["customers"]["nodes"]] == ["Small"]
    assert first["disagreements"]["nodes"] == [
        {"company": {"name": "Mid"}, "computedClass": "B", "setClass": "A"}
    ]
    refused = error(client, CLASSES, currency="yuan")
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
