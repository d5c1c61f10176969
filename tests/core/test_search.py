"""Search through the key index: the same matches as a scan of every name, ranked, and the
keys kept by every write (create, rename, delete, restore, import) and by the start-up
backfill."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, reads, writes
from graph.core.inputs import Patch
from graph.core.people_order import people_order
from graph.core.search import (
    KEY_LENGTH,
    SearchKey,
    exact_key,
    search_key_rows,
    search_term,
    search_text,
)
from graph.core.upgrades import upgrade
from graph.cypher.core import search as search_statements
from graph.cypher.core import upgrades
from graph.db.connection import Graph
from graph.transfer.importer import directory_sources, import_records
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
    assert keys == len(search_key_rows(search_text("李华")))

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


KEYS_OF = search_statements.SEARCH_KEYS_OF
KEY_RANKS_REMOVED = search_statements.SEARCH_KEY_RANKS_REMOVED


def _keys_say(keys: list[SearchKey], term: str) -> int | None:
    """What the keys alone say of a short term, as PERSON_KEYS_FOUND reads them: its rank, or
    None when it matches nothing."""
    found = [k for k in keys if k["text"].startswith(term) and k["gap"] >= len(term)]
    if not found:
        return None
    if any(k["whole"] and k["text"] == term for k in found):
        return 0
    return 1 if any(k["head"] >= len(term) for k in found) else 2


def _text_says(text: str, term: str) -> int | None:
    """What the search statement says of a term: its rank, or None when it matches nothing."""
    lines = text.split("\n")
    if not any(term in line for line in lines):
        return None
    if term in lines:
        return 0
    return 1 if any(line.startswith(term) for line in lines) else 2


def test_the_keys_alone_find_and_rank_what_the_text_does() -> None:
    rnd = random.Random(23)
    names = [
        rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN) for _ in range(rnd.randint(1, 3)))
        for _ in range(60)
    ] + ["Anna Lee", "Li Anna", "北辰物流 Beichen Logistics", "高 敏", "a  bc d", "ab ab", "x"]
    checked = 0
    for name in names:
        text = search_text(name)
        keys = search_key_rows(text)
        pieces = {"gm", "a", "al", "annalee", "nal", "bcwl", "ab", "aba", "zz", "gaomin"}
        for line in [*text.split("\n"), *("".join(line.split()) for line in text.split("\n"))]:
            for start in range(len(line)):
                for end in range(start + 1, min(len(line), start + KEY_LENGTH) + 1):
                    pieces.add(line[start:end])
        for term in pieces:
            if exact_key(term):
                assert _keys_say(keys, term) == _text_says(text, term), (name, term)
                checked += 1
    assert checked > 4000


def _stored(graph: Graph, id_: str) -> list[dict[str, object]]:
    return [dict(row) for row in graph.read(KEYS_OF, id=id_)]


def _expected(name: str, id_: str, label: str) -> list[dict[str, object]]:
    rows = [{**key, "item": id_, "of": label} for key in search_key_rows(search_text(name))]
    return sorted(rows, key=lambda row: str(row["text"]))


def test_every_write_keeps_what_the_keys_say(graph: Graph, tmp_path: Path) -> None:
    pid = factories.person(graph, "高敏")
    assert _stored(graph, pid) == _expected("高敏", pid, "Person")
    writes.update_node(graph, kinds.PERSON, pid, Patch({"name": "Anna Lee"}))
    assert _stored(graph, pid) == _expected("Anna Lee", pid, "Person")
    writes.delete_node(graph, kinds.PERSON, pid)
    assert _stored(graph, pid) == []
    writes.restore_node(graph, kinds.PERSON, pid)
    assert _stored(graph, pid) == _expected("Anna Lee", pid, "Person")

    (tmp_path / "people.csv").write_text("externalId,name\np-1,李华\n", encoding="utf-8")
    (tmp_path / "companies.csv").write_text("externalId,name\nc-1,北辰物流\n", encoding="utf-8")
    import_records(graph, directory_sources(tmp_path))
    person = reads.id_by_external_id(graph, "person", "p-1")
    company = reads.id_by_external_id(graph, "company", "c-1")
    assert person is not None and company is not None
    assert _stored(graph, person) == _expected("李华", person, "Person")
    assert _stored(graph, company) == _expected("北辰物流", company, "Company")
    (tmp_path / "people.csv").write_text("externalId,name\np-1,王伟\n", encoding="utf-8")
    (tmp_path / "companies.csv").write_text("externalId,name\nc-1,南辰 Nanchen\n", encoding="utf-8")
    import_records(graph, directory_sources(tmp_path))  # renames by import
    assert _stored(graph, person) == _expected("王伟", person, "Person")
    assert _stored(graph, company) == _expected("南辰 Nanchen", company, "Company")


def test_the_keys_alone_page_as_the_statement_does(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    rnd = random.Random(5)
    styles = ["AMIABLE", "DRIVER", "ANALYTICAL", "EXPRESSIVE"]
    names = ["高敏", "高敏华", "李高敏", "Gao Minghui", "Anna Lee", "郭明", "甘美", "高敏"]
    names += [rnd.choice(_SURNAMES) + rnd.choice(_GIVEN) for _ in range(30)]
    people = [
        factories.person(graph, name, communicationStyle=rnd.choice(styles)) for name in names
    ]
    for a, b in zip(people, people[1:], strict=False):
        if rnd.random() < 0.5:
            factories.knows(graph, a, b, strength=round(rnd.random(), 2))
    cases = 0
    for term in ["gm", "高敏", "g", "m", "an", "gao", "gaomi", "敏", "zzz"]:
        for sort in ["NAME", "CREATED_AT", "STRONGEST_TIE", "RELATIONSHIP_COUNT"]:
            for descending in [False, True]:
                extras: list[dict[str, Any]] = [
                    {},
                    {"styles": ["DRIVER", "EXPRESSIVE"]},
                    {"min_strongest_tie": 0.4},
                ]
                for extra in extras:
                    for offset in [0, 3]:
                        asked: dict[str, Any] = dict(
                            offset=offset, limit=4, sort=sort, descending=descending, search=term
                        )
                        keys = reads.person_page(graph, **asked, **extra)
                        with monkeypatch.context() as patched:
                            patched.setattr(reads, "exact_key", lambda term: False)
                            statement = reads.person_page(graph, **asked, **extra)
                        assert (keys.total, keys.items) == (statement.total, statement.items)
                        cases += keys.total
    assert cases > 500


def test_the_upgrade_gives_old_keys_what_they_say(client: TestClient, graph: Graph) -> None:
    for name in ["高敏", "高敏华", "李高敏"]:
        factories.person(graph, name)
    company = factories.company(graph, "北辰物流")
    graph.write(KEY_RANKS_REMOVED)
    graph.write(upgrades.UPGRADE_FORGET, name="search-key-ranks")
    assert _found(client, "gm") == []  # as keys written before they said more
    assert upgrade(graph) == ["search-key-ranks"]
    assert _found(client, "gm") == ["高敏", "高敏华", "李高敏"]
    assert _stored(graph, company) == _expected("北辰物流", company, "Company")
    assert upgrade(graph) == []


def test_a_person_the_kept_order_lacks_is_found_by_the_statement(
    graph: Graph, other_graph: Graph
) -> None:
    first = factories.person(graph, "高敏")
    order = people_order(graph)
    later = factories.person(graph, "郭明")  # after the order was read
    asked: dict[str, Any] = dict(
        sort="NAME", descending=False, offset=0, limit=5, styles=None, min_strongest_tie=None
    )
    assert order.ranked_page_ids({first: 0}, **asked) == ([first], 1)
    assert order.ranked_page_ids({first: 0, later: 0}, **asked) is None
    other = factories.person(other_graph, "甘美")  # as another process writes it
    page = reads.person_page(graph, offset=0, limit=5, search="gm")
    assert (page.total, {p.id for p in page.items}) == (3, {first, later, other})
