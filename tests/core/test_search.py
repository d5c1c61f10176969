"""Search through the key index: the same matches as a scan of every name, ranked, and the
keys kept by every write (create, rename, delete, restore, import) and by the start-up
backfill."""

from __future__ import annotations

import random

from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.core.search import search_keys, search_term, search_text
from graph.core.upgrades import upgrade
from graph.cypher.core import search as search_statements
from graph.cypher.core import upgrades
from graph.db.connection import Graph
from tests import factories
from tests.conftest import data

PEOPLE = """
query ($s: String, $first: Int) {
  people(first: $first, filter: {search: $s}) { totalCount nodes { name } }
}
"""
COMPANIES = """
query ($s: String) { companies(filter: {search: $s}) { totalCount nodes { name } } }
"""
_SURNAMES = "高李王张刘陈杨赵黄周吴徐孙胡朱"
_GIVEN = "敏伟芳娜秀英华明静丽强磊军洋勇艳杰娟涛"
KEY_COUNT = search_statements.SEARCH_KEY_COUNT


def _found(client: TestClient, text: str) -> list[str]:
    result = data(client, PEOPLE, s=text, first=100)["people"]
    names = [node["name"] for node in result["nodes"]]
    assert result["totalCount"] == len(names)
    return names


def test_search_finds_what_a_scan_of_every_name_finds(client: TestClient, graph: Graph) -> None:
    rnd = random.Random(17)
    names = sorted(
        {
            rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN) for _ in range(rnd.randint(1, 2)))
            for _ in range(40)
        }
        | {"Anna Lee", "Li Anna"}
    )
    for name in names:
        factories.person(graph, name)
    texts = {name: search_text(name) for name in names}
    terms = {"gm", "ao mi", "a", "n l", "zzz", "高", "敏华", "lian", "li anna", "annalee"}
    for text in texts.values():  # pieces of every form, spaces and all
        for line in text.split("\n"):
            start = rnd.randrange(len(line))
            terms.add(line[start : start + rnd.randint(1, 9)])
    checked = 0
    for raw in sorted(terms):
        term = search_term(raw)
        if term is None:
            continue
        expected = {name for name, text in texts.items() if term in text}
        assert set(_found(client, raw)) == expected, raw
        checked += 1
    assert checked > 100


def test_exact_then_prefix_then_inside(client: TestClient, graph: Graph) -> None:
    for name in ["李高敏", "高敏华", "高敏", "Gao Minghui"]:
        factories.person(graph, name)
    assert _found(client, "gao min") == ["高敏", "Gao Minghui", "高敏华", "李高敏"]
    assert _found(client, "高敏") == ["高敏", "高敏华", "李高敏"]


def test_companies_are_found_by_their_keys(client: TestClient, graph: Graph) -> None:
    factories.company(graph, "北辰物流 Beichen Logistics")
    factories.company(graph, "南辰")
    names = data(client, COMPANIES, s="chen")["companies"]["nodes"]
    assert [n["name"] for n in names] == ["北辰物流 Beichen Logistics", "南辰"]  # by name
    assert data(client, COMPANIES, s="logis")["companies"]["totalCount"] == 1


def test_keys_follow_renames_deletes_and_restores(client: TestClient, graph: Graph) -> None:
    pid = factories.person(graph, "高敏")
    writes.update_node(graph, kinds.PERSON, pid, Patch({"name": "李华"}))
    assert _found(client, "gao") == []
    assert _found(client, "lh") == ["李华"]
    keys = graph.read(KEY_COUNT)[0]["keys"]
    assert keys == len(search_keys(search_text("李华")))

    writes.delete_node(graph, kinds.PERSON, pid)
    assert _found(client, "li hua") == []
    assert graph.read(KEY_COUNT)[0]["keys"] == 0  # no key is left pointing at nothing

    writes.restore_node(graph, kinds.PERSON, pid)
    assert _found(client, "li hua") == ["李华"]
    assert graph.read(KEY_COUNT)[0]["keys"] == keys

    writes.update_node(graph, kinds.PERSON, pid, Patch({"phone": "123"}))  # no rename
    assert graph.read(KEY_COUNT)[0]["keys"] == keys


def test_the_upgrade_gives_old_items_their_keys(client: TestClient, graph: Graph) -> None:
    ids = [factories.person(graph, name) for name in ["高敏", "李华"]]
    company = factories.company(graph, "北辰物流")
    graph.write(search_statements.PERSON_SEARCH_KEYS.clear, ids=ids)
    graph.write(search_statements.COMPANY_SEARCH_KEYS.clear, ids=[company])
    graph.write(upgrades.UPGRADE_FORGET, name="search-keys")  # the app's start applied it
    assert _found(client, "gm") == []  # as a database written before keys existed

    seen: list[tuple[str, int, int]] = []
    assert upgrade(graph, lambda what, done, total: seen.append((what, done, total))) == [
        "search-keys"
    ]
    assert seen[-1] == ("search-keys", 3, 3)
    assert _found(client, "gm") == ["高敏"]
    assert data(client, COMPANIES, s="bcwl")["companies"]["totalCount"] == 1
    assert upgrade(graph) == []  # once only
